/** The down migration leaves in place something the up changes: an object it creates, a rename, a dropped object. */
import { parseFile } from '../parse';
import { downCoverage, migrationEffects, netChanges, type Effect } from '../rollback';
import { defineRule } from '../rule';

export default defineRule({
  id: 'require-complete-down',
  description: 'The down migration should undo everything its up migration changes in the schema.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    created: 'The down migration does not drop {noun} `{name}`, which this {label} creates: after a rollback it is still there, and running the up again fails on it.',
    replaced: 'The down migration does not restore {noun} `{name}`, which this {label} replaces: after a rollback the new definition stays.',
    renamed: 'The down migration does not rename {noun} `{to}` back to `{from}`: after a rollback, code that uses `{from}` breaks.',
    dropped: 'The down migration does not recreate {noun} `{name}`, which this {label} drops: after a rollback it is missing.',
    altered: 'The down migration does not undo this {label} on `{name}`: after a rollback the column keeps its new definition.',
    inserted: 'The down migration does not delete the rows this INSERT adds to `{name}`: after a rollback they are still there.',
  },
  help: 'Add the missing statements to the down migration (the "Generate Reverse Migration" command drafts them), in reverse order of the up.',
  docs: {
    rationale:
      'A down migration that misses part of its up leaves the database in a state no migration describes: the rollback "succeeds", the version goes back, and the next deploy of the up fails on the index or column that is still there, or the application breaks on a rename that was not undone. The rule compares what the up changes (objects created, dropped or renamed, column types and NOT NULL changed, rows inserted into existing tables) with the down\'s statements, and names each object the down leaves as it is. Dropping a table or schema in the down covers what the up created inside it. Objects the up creates without a name (an unnamed index or constraint) cannot be matched and are not reported. An empty down (the irreversible marker) is left to `require-down-migration`; data the up destroys is `ban-irreversible-statement`.',
    bad: [
      {
        sql: 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX users_nickname_idx ON users (nickname);',
        rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: '000042_nickname.down.sql', downText: 'DROP INDEX users_nickname_idx;\n' },
      },
      {
        sql: 'ALTER TABLE users RENAME COLUMN name TO full_name;',
        rollback: { role: 'up', tool: 'diesel', expectation: 'required', downPath: 'down.sql', downText: '-- nothing to do\nSELECT 1;\n' },
      },
    ],
    good: [
      {
        sql: 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE INDEX users_nickname_idx ON users (nickname);',
        rollback: { role: 'up', tool: 'golang-migrate', expectation: 'required', downPath: '000042_nickname.down.sql', downText: 'DROP INDEX users_nickname_idx;\nALTER TABLE users DROP COLUMN nickname;\n' },
      },
      {
        sql: 'CREATE TABLE posts (id bigint PRIMARY KEY, title text);\nCREATE INDEX posts_title_idx ON posts (title);',
        rollback: { role: 'up', tool: 'diesel', expectation: 'required', downPath: 'down.sql', downText: 'DROP TABLE posts;\n' },
      },
    ],
  },
  checkFile({ file, rollback, report }) {
    if (rollback?.role !== 'up' || rollback.downText === undefined || rollback.irreversibleMarker) return;
    const down = downCoverage(migrationEffects(parseFile(rollback.downText)));
    const net = netChanges(migrationEffects(file.file));
    const at = (e: Effect) => ({ span: e.span, statementIndex: e.statementIndex });
    for (const e of net.created.values()) {
      const o = e.object;
      if (e.op === 'replace') {
        if (!down.creates(o) && !down.drops(o)) report({ messageId: 'replaced', data: { noun: o.noun, name: o.name, label: e.label }, ...at(e) });
      } else if (!down.drops(o)) {
        report({ messageId: 'created', data: { noun: o.noun, name: o.name, label: e.label }, ...at(e) });
      }
    }
    for (const e of net.renamed.values()) {
      if (!down.renames(e.object, e.to!)) report({ messageId: 'renamed', data: { noun: e.object.noun, from: e.object.name, to: e.to!.name }, ...at(e) });
    }
    for (const e of net.dropped.values()) {
      if (!down.creates(e.object)) report({ messageId: 'dropped', data: { noun: e.object.noun, name: e.object.name, label: e.label }, ...at(e) });
    }
    const opposite = { 'alter-type': 'alter-type', 'set-not-null': 'drop-not-null', 'drop-not-null': 'set-not-null' } as const;
    for (const e of net.altered) {
      const need = opposite[e.op as keyof typeof opposite];
      if (!down.alters(e.object, need) && !down.drops(e.object)) report({ messageId: 'altered', data: { label: e.label, name: e.object.name }, ...at(e) });
    }
    for (const e of net.inserted) {
      if (!down.deletesFrom(e.object.key)) report({ messageId: 'inserted', data: { name: e.object.name }, ...at(e) });
    }
  },
});
