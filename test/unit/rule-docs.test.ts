/**
 * The rule catalogue stays honest: every rule file is registered once under its file name, its metadata reads well,
 * its documented bad examples trigger it and good ones do not, and `fixable` matches what it does.
 */
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, initParser, RULES, RULES_BY_ID, type Finding, type Rule } from '../../server/src/analysis';
import { docExample, type RuleDocExample } from '../../server/src/analysis/rule';
import { placeholders } from '../support/ruleTester';

const RULES_DIR = join(process.cwd(), 'server', 'src', 'analysis', 'rules');
const ruleFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'aliases.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

/** Findings of one rule on a documented example (with its rollback context), the rule switched on whatever its recommended flag says. */
function findings(rule: Rule, example: RuleDocExample): Finding[] {
  const { sql, rollback } = docExample(example);
  return analyze(sql, { rules: { [rule.id]: rule.defaultSeverity } }, { rollback }).findings.filter((f) => f.ruleId === rule.id);
}

const shown = (e: RuleDocExample): string => docExample(e).sql;

describe('rule registry', () => {
  before(async () => {
    await initParser();
  });

  it('finds the rule files', () => {
    assert.ok(ruleFiles.length >= 8, `only ${ruleFiles.length} rule files under ${RULES_DIR}`);
  });

  it('registers every rule file exactly once, and nothing else', () => {
    assert.deepEqual([...RULES.map((r) => r.id)].sort(), ruleFiles);
    assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length, 'duplicate rule ids');
    assert.equal(new Set(RULES).size, RULES.length, 'a rule object registered twice');
    assert.equal(RULES_BY_ID.size, RULES.length);
  });

  for (const file of ruleFiles) {
    describe(file, () => {
      const rule = () => {
        const r = RULES_BY_ID.get(file);
        assert.ok(r, `${file}.ts is not registered in rules/index.ts`);
        return r;
      };

      it('has id === file name, kebab-case', () => {
        assert.equal(rule().id, file);
        assert.match(file, /^[a-z]+(-[a-z]+)*$/);
      });

      it('has a one-sentence description ending with a period', () => {
        const d = rule().description;
        assert.match(d, /^[A-Z`][^\n]*\.$/, 'starts with a capital, ends with a period, one line');
        assert.doesNotMatch(d.slice(0, -1), /[.!?]\s/, 'more than one sentence');
      });

      it('has help and a rationale', () => {
        assert.ok(rule().help.trim().length > 0, 'help is empty');
        assert.match(rule().help, /\.$/, 'help ends with a period');
        assert.ok(rule().docs.rationale.trim().length > 0, 'rationale is empty');
      });

      it('has documented bad and good examples', () => {
        assert.ok(rule().docs.bad.length > 0, 'no bad example');
        assert.ok(rule().docs.good.length > 0, 'no good example');
      });

      it('every bad example triggers it, with every placeholder filled', () => {
        const templates = Object.values(rule().messages);
        for (const sql of rule().docs.bad) {
          const found = findings(rule(), sql);
          assert.ok(found.length > 0, `bad example does not trigger ${file}:\n${shown(sql)}`);
          for (const f of found) {
            for (const t of templates) {
              for (const p of placeholders(t)) assert.ok(!f.message.includes(`{${p}}`), `unfilled {${p}} in: ${f.message}`);
            }
          }
        }
      });

      it('no good example triggers it', () => {
        for (const sql of rule().docs.good) {
          const found = findings(rule(), sql);
          assert.deepEqual(found.map((f) => f.message), [], `good example triggers ${file}:\n${shown(sql)}`);
        }
      });

      it('is fixable iff a bad example yields a fix', () => {
        const fixes = rule().docs.bad.some((sql) => findings(rule(), sql).some((f) => f.fix && f.fix.edits.length > 0));
        assert.equal(rule().fixable, fixes, `fixable is ${rule().fixable} but a bad example ${fixes ? 'yields' : 'yields no'} fix`);
      });

      it('has message templates with well-formed placeholders only', () => {
        const messages = Object.entries(rule().messages);
        assert.ok(messages.length > 0, 'no messages');
        for (const [id, template] of messages) {
          assert.match(id, /^[a-z][A-Za-z]*$/, `message id ${id}`);
          // Any brace must be part of a `{name}` placeholder: a stray brace is a typo that formatMessage leaves in.
          assert.doesNotMatch(template.replace(/\{\w+\}/g, ''), /[{}]/, `stray brace in message ${id}: ${template}`);
          assert.match(template, /\.$/, `message ${id} ends with a period`);
        }
      });

      it('has fix titles that are short imperatives', () => {
        for (const sql of rule().docs.bad) {
          for (const f of findings(rule(), sql)) {
            if (!f.fix) continue;
            assert.match(f.fix.title, /^[A-Z][a-z]+ /, `fix title: ${f.fix.title}`);
            assert.ok(f.fix.title.length <= 60, `fix title too long: ${f.fix.title}`);
            assert.doesNotMatch(f.fix.title, /\.$/, 'fix title ends with a period');
          }
        }
      });
    });
  }
});
