/**
 * A rule tester in the spirit of ESLint's RuleTester and squawk's lint_ok / lint_errors / fix_sql: a rule is tested
 * as a table of valid and invalid migrations. In invalid SQL, `«…»` marks where each finding's span must be (the
 * markers are stripped before analysis; pairs may nest, and are matched to findings in source order). Fixes are
 * applied and compared with `output`, and the output is re-linted to prove the fix silences the rule.
 * The tester refuses sloppy tables: a fix without `output`, `output` equal to the input, duplicate cases, unknown
 * message ids or data keys, markers that do not match the expected errors.
 */
import * as assert from 'node:assert/strict';
import { analyze, initParser, type AnalysisOptions, type Finding, type Span, type TextEdit } from '../../server/src/analysis';
import { formatMessage, type RollbackContext, type RuleDefinition } from '../../server/src/analysis/rule';

export interface ValidCase {
  name?: string;
  sql: string;
  options?: AnalysisOptions;
  /** The file's rollback (its down, or for a down its up), for the rollback rules. */
  rollback?: RollbackContext;
}

export interface ExpectedError<M extends string> {
  messageId: M;
  /** Placeholder values; the finding's message must equal the template filled with them. */
  data?: Record<string, string | number>;
  /** When given, the finding must carry a fix with this title / preferred flag. */
  fix?: { title?: string; preferred?: boolean };
  /** When given, the finding's severity (rules that lower it per finding). */
  severity?: 'error' | 'warning' | 'info';
}

export interface InvalidCase<M extends string> {
  name?: string;
  /** The migration, with `«…»` around each expected finding's span. */
  sql: string;
  options?: AnalysisOptions;
  rollback?: RollbackContext;
  errors: ExpectedError<M>[];
  /** The text after applying every fix of this rule. Required exactly when the rule offers a fix. */
  output?: string;
}

export interface RuleTable<M extends string> {
  valid: (string | ValidCase)[];
  invalid: InvalidCase<M>[];
}

const OPEN = '«';
const CLOSE = '»';

/** Strips `«…»` markers, returning the clean text and the marked spans sorted by start (then end). */
export function stripMarkers(marked: string): { text: string; spans: Span[] } {
  let text = '';
  const open: number[] = [];
  const spans: Span[] = [];
  for (const ch of marked) {
    if (ch === OPEN) open.push(text.length);
    else if (ch === CLOSE) {
      const start = open.pop();
      if (start === undefined) throw new assert.AssertionError({ message: `unbalanced "${CLOSE}" in ${JSON.stringify(marked)}` });
      spans.push({ start, end: text.length });
    } else text += ch;
  }
  if (open.length) throw new assert.AssertionError({ message: `unclosed "${OPEN}" in ${JSON.stringify(marked)}` });
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text, spans };
}

/** Applies non-overlapping edits (from the end, so earlier offsets stay valid). Overlapping edits fail. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let prev: TextEdit | undefined;
  for (const e of sorted) {
    assert.ok(e.start <= e.end && e.end <= text.length, `edit out of range: ${JSON.stringify(e)}`);
    if (prev) {
      // Two inserts at one point have no defined order; any other shared point is fine.
      const overlap = e.end > prev.start || (e.start === e.end && prev.start === prev.end && e.start === prev.start);
      assert.ok(!overlap, `overlapping fix edits: ${JSON.stringify(e)} and ${JSON.stringify(prev)}`);
    }
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    prev = e;
  }
  return out;
}

/** Placeholder names of a message template (`{table}` → `table`). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex matching messages of a template; placeholders without data match anything. */
function templatePattern(template: string, data: Record<string, string | number>): RegExp {
  const parts = template.split(/(\{\w+\})/);
  const body = parts
    .map((p) => {
      const m = /^\{(\w+)\}$/.exec(p);
      if (!m) return escapeRegExp(p);
      return m[1] in data ? escapeRegExp(String(data[m[1]])) : '[\\s\\S]*?';
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** Options that make sure the rule under test runs, even when it is not in the recommended set. */
function optionsFor(rule: RuleDefinition<string>, options: AnalysisOptions = {}): AnalysisOptions {
  return { ...options, rules: { [rule.id]: rule.defaultSeverity, ...(options.rules ?? {}) } };
}

/** Findings of one rule only. */
export function findingsOf(rule: RuleDefinition<string>, text: string, options?: AnalysisOptions, rollback?: RollbackContext): Finding[] {
  return analyze(text, optionsFor(rule, options), { rollback })
    .findings.filter((f) => f.ruleId === rule.id)
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

function show(text: string, findings: Finding[]): string {
  return findings.map((f) => `  ${JSON.stringify(text.slice(f.span.start, f.span.end))} [${f.span.start}, ${f.span.end}): ${f.message}`).join('\n') || '  (none)';
}

export function runValid(rule: RuleDefinition<string>, c: ValidCase): void {
  assert.ok(!c.sql.includes(OPEN) && !c.sql.includes(CLOSE), `valid SQL must not contain ${OPEN}${CLOSE} markers`);
  const found = findingsOf(rule, c.sql, c.options, c.rollback);
  assert.equal(found.length, 0, `expected no ${rule.id} findings, got:\n${show(c.sql, found)}`);
}

export function runInvalid<M extends string>(rule: RuleDefinition<M>, c: InvalidCase<M>): void {
  const r = rule as unknown as RuleDefinition<string>;
  assert.ok(c.errors.length > 0, 'an invalid case must expect at least one error');
  const { text, spans } = stripMarkers(c.sql);
  assert.equal(spans.length, c.errors.length, `${spans.length} marked span(s) but ${c.errors.length} expected error(s): mark each finding with ${OPEN}…${CLOSE}`);
  for (const e of c.errors) {
    assert.ok(Object.hasOwn(rule.messages, e.messageId), `unknown messageId "${e.messageId}" (rule has: ${Object.keys(rule.messages).join(', ')})`);
    const known = placeholders(rule.messages[e.messageId]);
    for (const k of Object.keys(e.data ?? {})) assert.ok(known.includes(k), `data key "${k}" is not a placeholder of message "${e.messageId}"`);
  }

  const found = findingsOf(r, text, c.options, c.rollback);
  assert.equal(found.length, c.errors.length, `expected ${c.errors.length} ${rule.id} finding(s), got ${found.length}:\n${show(text, found)}`);
  found.forEach((f, i) => {
    const e = c.errors[i];
    assert.deepEqual(
      { text: text.slice(f.span.start, f.span.end), ...f.span },
      { text: text.slice(spans[i].start, spans[i].end), ...spans[i] },
      `finding ${i + 1} is not where it is marked`,
    );
    const template = rule.messages[e.messageId];
    if (e.data && placeholders(template).every((k) => k in e.data!)) {
      assert.equal(f.message, formatMessage(template, e.data), `finding ${i + 1}: message`);
    } else {
      assert.match(f.message, templatePattern(template, e.data ?? {}), `finding ${i + 1}: not message "${e.messageId}"`);
    }
    if (e.severity) assert.equal(f.severity, e.severity, `finding ${i + 1}: severity`);
    if (e.fix) {
      assert.ok(f.fix, `finding ${i + 1}: expected a fix`);
      if (e.fix.title !== undefined) assert.equal(f.fix.title, e.fix.title, `finding ${i + 1}: fix title`);
      if (e.fix.preferred !== undefined) assert.equal(f.fix.preferred, e.fix.preferred, `finding ${i + 1}: fix preferred`);
    }
  });

  const edits = found.flatMap((f) => f.fix?.edits ?? []);
  if (edits.length === 0) {
    assert.equal(c.output, undefined, 'output is given but the rule produced no fix');
    return;
  }
  assert.notEqual(c.output, undefined, `the rule produced a fix, so the case needs an output; it gives:\n${applyEdits(text, edits)}`);
  assert.notEqual(c.output, text, 'output equals the input: a fix must change the text');
  const fixed = applyEdits(text, edits);
  assert.equal(fixed, c.output, 'text after applying the fixes');
  const again = findingsOf(r, fixed, c.options, c.rollback);
  assert.equal(again.length, 0, `the fixed text still triggers ${rule.id}:\n${show(fixed, again)}`);
}

function caseKey(c: ValidCase): string {
  return JSON.stringify([c.sql, c.options ?? {}, c.rollback ?? {}]);
}

/** Cases that appear more than once (same SQL and options), across valid and invalid. */
export function duplicateCases(table: RuleTable<string>): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  const all: ValidCase[] = [
    ...table.valid.map((v) => (typeof v === 'string' ? { sql: v } : v)),
    ...table.invalid.map((c) => ({ sql: stripMarkers(c.sql).text, options: c.options, rollback: c.rollback })),
  ];
  for (const c of all) {
    const k = caseKey(c);
    if (seen.has(k)) dups.push(c.sql);
    seen.add(k);
  }
  return dups;
}

function title(c: { name?: string; sql: string }): string {
  const sql = c.sql.length > 90 ? `${c.sql.slice(0, 87)}…` : c.sql;
  return c.name ? `${c.name}: ${JSON.stringify(sql)}` : JSON.stringify(sql);
}

/** Registers a mocha suite for one rule from its table. */
export function ruleTests<M extends string>(rule: RuleDefinition<M>, table: RuleTable<M>): void {
  describe(`rule ${rule.id}`, () => {
    before(async () => {
      await initParser();
    });

    it('has a table without duplicate cases', () => {
      assert.ok(table.valid.length > 0 && table.invalid.length > 0, 'a rule table needs valid and invalid cases');
      assert.deepEqual(duplicateCases(table as RuleTable<string>), [], 'duplicate cases');
    });

    describe('valid', () => {
      for (const v of table.valid) {
        const c = typeof v === 'string' ? { sql: v } : v;
        it(title(c), () => runValid(rule as unknown as RuleDefinition<string>, c));
      }
    });

    describe('invalid', () => {
      for (const c of table.invalid) it(title(c), () => runInvalid(rule, c));
    });
  });
}
