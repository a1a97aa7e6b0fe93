/**
 * Up and down sections of the single-file formats, found the way each tool finds them: goose annotations
 * (`-- +goose Up`, case-sensitive, at the start of a line), dbmate directives (`-- migrate:up [options]`) and
 * node-pg-migrate markers (`-- Up Migration`). Spans are UTF-16 offsets into the file; a section starts at its
 * marker and ends where the next section's marker starts.
 */
import type { Span } from '../text';
import { isCommentOnly } from './sqltext';

export type SectionTool = 'goose' | 'dbmate' | 'node-pg-migrate';

export interface Sections {
  tool: SectionTool;
  /** Where the forward part is. Without a forward marker (a tool error, see `notes`) the whole file. */
  up: Span;
  down?: Span;
  /** The down section holds only comments and whitespace (after its marker line). */
  downEmpty?: boolean;
  /** Per direction: the tool runs it outside a transaction, and the directive that says so. */
  upNoTransaction?: string;
  downNoTransaction?: string;
  /** Problems the tool would report, or directives it would silently ignore. */
  notes: string[];
}

interface Line {
  start: number;
  end: number;
  text: string;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    out.push({ start, end, text: text.slice(start, end).replace(/\r$/, '') });
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

/** The offset just past the line that starts at `offset`. */
function afterLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

const GOOSE_ANNOTATIONS = ['+goose Up', '+goose Down', '+goose StatementBegin', '+goose StatementEnd', '+goose NO TRANSACTION', '+goose ENVSUB ON', '+goose ENVSUB OFF'];

/** goose's own test: the line starts with `--` and the rest, trimmed, is exactly the annotation (pressly/goose sqlparser). */
function gooseAnnotation(line: string): string | undefined {
  if (!line.startsWith('--')) return undefined;
  const cmd = line.slice(2).trim();
  return GOOSE_ANNOTATIONS.includes(cmd) ? cmd : undefined;
}

export function hasGooseMarkers(text: string): boolean {
  return /^--[ \t]*\+goose (Up|Down)[ \t]*\r?$/m.test(text);
}

export function gooseSections(text: string): Sections {
  let up: number | undefined;
  let down: number | undefined;
  let noTx: string | undefined;
  const notes: string[] = [];
  for (const line of lines(text)) {
    const a = gooseAnnotation(line.text);
    if (a === '+goose Up' && up === undefined) up = line.start;
    else if (a === '+goose Down' && down === undefined) down = line.start;
    else if (a === '+goose NO TRANSACTION') noTx ??= line.text.trim();
    else if (!a && /^\s*--\s*\+goose\b/i.test(line.text)) {
      notes.push(`goose ignores \`${line.text.trim()}\`: annotations are case-sensitive and must start the line (\`-- +goose NO TRANSACTION\`, \`-- +goose Up\`, …).`);
    }
  }
  if (up === undefined) notes.push('goose requires a `-- +goose Up` annotation; without it the migration fails to parse.');
  else if (down !== undefined && down < up) notes.push('goose requires `-- +goose Up` before `-- +goose Down`.');
  const upStart = up ?? 0;
  const upEnd = down !== undefined && down > upStart ? down : text.length;
  const result: Sections = { tool: 'goose', up: { start: upStart, end: upEnd }, notes };
  if (down !== undefined && down >= upStart) {
    result.down = { start: down, end: text.length };
    result.downEmpty = isCommentOnly(text, afterLine(text, down), text.length);
  }
  if (noTx) {
    // One annotation covers both directions.
    result.upNoTransaction = noTx;
    if (result.down) result.downNoTransaction = noTx;
  }
  return result;
}

// amacneil/dbmate pkg/dbmate/migration.go: upRegExp / downRegExp.
const DBMATE_UP = /^--\s*migrate:up(\s*$|\s+\S+)/m;
const DBMATE_DOWN = /^--\s*migrate:down(\s*$|\s+\S+)/m;

export function hasDbmateMarkers(text: string): boolean {
  return DBMATE_UP.test(text);
}

/** dbmate block options on the directive's line: `-- migrate:up transaction:false` → `{ transaction: 'false' }`. */
function dbmateOptions(text: string, start: number): Record<string, string> {
  const first = text.slice(start, afterLine(text, start)).trim().replace(/^--\s*migrate:(up|down)/, '');
  const options: Record<string, string> = {};
  for (const pair of first.trim().split(/\s+/)) {
    const kv = pair.split(':');
    if (kv.length === 2) options[kv[0]] = kv[1];
  }
  return options;
}

export function dbmateSections(text: string): Sections {
  const upAt = DBMATE_UP.exec(text)?.index;
  const downAt = DBMATE_DOWN.exec(text)?.index;
  const notes: string[] = [];
  if (upAt === undefined) notes.push('dbmate requires a `-- migrate:up` block.');
  if (downAt === undefined) notes.push('dbmate requires a `-- migrate:down` block, even an empty one.');
  if (upAt !== undefined && downAt !== undefined && downAt < upAt) notes.push('dbmate requires `-- migrate:up` before `-- migrate:down`.');
  if (upAt !== undefined && !isCommentOnly(text, 0, upAt)) notes.push('dbmate does not allow statements before `-- migrate:up`.');
  const upStart = upAt ?? 0;
  const upEnd = downAt !== undefined && downAt > upStart ? downAt : text.length;
  const result: Sections = { tool: 'dbmate', up: { start: upStart, end: upEnd }, notes };
  if (upAt !== undefined && dbmateOptions(text, upAt).transaction === 'false') result.upNoTransaction = 'transaction:false';
  if (downAt !== undefined && downAt > upStart) {
    result.down = { start: downAt, end: text.length };
    result.downEmpty = isCommentOnly(text, afterLine(text, downAt), text.length);
    if (dbmateOptions(text, downAt).transaction === 'false') result.downNoTransaction = 'transaction:false';
  }
  return result;
}

// salsita/node-pg-migrate src/sqlMigration.ts: `^\s*--[\s-]*up\s+migration`, case-insensitive, multiline.
const NPM_UP = /^\s*--[\s-]*up\s+migration/im;
const NPM_DOWN = /^\s*--[\s-]*down\s+migration/im;

export function hasNodePgMigrateMarkers(text: string): boolean {
  return NPM_UP.test(text) || NPM_DOWN.test(text);
}

/** Where the `--` of a marker match is (the match itself may begin with blank lines). */
function markerStart(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m ? m.index + m[0].indexOf('--') : undefined;
}

/**
 * node-pg-migrate's slicing (`getActions`): the up SQL runs from its marker to the down marker when that comes
 * later, else to the end; without an up marker the whole file is up. Without a down marker there is no down
 * migration (`down: false`, irreversible).
 */
export function nodePgMigrateSections(text: string): Sections {
  const upAt = markerStart(text, NPM_UP);
  const downAt = markerStart(text, NPM_DOWN);
  const up: Span = upAt === undefined ? { start: 0, end: text.length } : { start: upAt, end: downAt !== undefined && downAt > upAt ? downAt : text.length };
  const result: Sections = { tool: 'node-pg-migrate', up, notes: [] };
  if (upAt === undefined && downAt !== undefined) {
    result.notes.push('node-pg-migrate runs the whole file as the up migration when `-- Up Migration` is missing, the down section included.');
  }
  if (downAt !== undefined) {
    const end = upAt !== undefined && upAt > downAt ? upAt : text.length;
    result.down = { start: downAt, end };
    result.downEmpty = isCommentOnly(text, afterLine(text, downAt), end);
  }
  return result;
}

export function sectionsOf(tool: SectionTool, text: string): Sections {
  return tool === 'goose' ? gooseSections(text) : tool === 'dbmate' ? dbmateSections(text) : nodePgMigrateSections(text);
}

/** Which single-file format the text's markers say, if any. */
export function markerTool(text: string): SectionTool | undefined {
  if (hasGooseMarkers(text)) return 'goose';
  if (hasDbmateMarkers(text)) return 'dbmate';
  if (hasNodePgMigrateMarkers(text)) return 'node-pg-migrate';
  return undefined;
}
