/** RENAME of a table, column, constraint, index, view, sequence, type, schema, function, … ↔ rename back. */
import type { Node, RenameStmt } from '@pgsql/types';
import { as } from '../../ast';
import { defineReverser, irreversible, undo } from '../reverser';
import { deparse, qi, rel } from '../sql';

/** The RenameStmt that undoes `s`: the new name renamed to the old. */
function renamedBack(s: RenameStmt): RenameStmt | undefined {
  const newname = s.newname;
  if (!newname) return undefined;
  // Names that live on a table (column, constraint, trigger, policy, rule) and schemas: subname ↔ newname.
  if (s.subname !== undefined) return { ...s, subname: newname, newname: s.subname };
  if (s.relation?.relname) return { ...s, relation: { ...s.relation, relname: newname }, newname: s.relation.relname };
  const list = as<{ items?: Node[] }>(s.object, 'List')?.items;
  const owa = as<{ objname?: Node[] }>(s.object, 'ObjectWithArgs');
  const tn = as<{ names?: Node[] }>(s.object, 'TypeName');
  const names = list ?? owa?.objname ?? tn?.names;
  const old = names && as<{ sval?: string }>(names[names.length - 1], 'String')?.sval;
  if (!names || !old) return undefined;
  const renamed = [...names.slice(0, -1), { String: { sval: newname } } as Node];
  const object = list ? { List: { items: renamed } } : owa ? { ObjectWithArgs: { ...owa, objname: renamed } } : { TypeName: { ...tn, names: renamed } };
  return { ...s, object: object as Node, newname: old };
}

export default defineReverser<RenameStmt>({
  id: 'rename',
  description: 'A renamed object is renamed back.',
  handles: ['RenameStmt'],
  examples: [
    { schema: 'CREATE TABLE users (name text);', up: 'ALTER TABLE users RENAME COLUMN name TO full_name;', down: 'ALTER TABLE users RENAME COLUMN full_name TO name;\n' },
    { schema: 'CREATE SCHEMA app;\nCREATE TABLE app.users (id int);', up: 'ALTER TABLE app.users RENAME TO members;', down: 'ALTER TABLE app.members RENAME TO users;\n' },
    { schema: 'CREATE TABLE t (n int CONSTRAINT c1 CHECK (n > 0));', up: 'ALTER TABLE t RENAME CONSTRAINT c1 TO n_positive;', down: 'ALTER TABLE t RENAME CONSTRAINT n_positive TO c1;\n' },
    { schema: 'CREATE TABLE t (n int);\nCREATE INDEX t_n ON t (n);', up: 'ALTER INDEX t_n RENAME TO t_n_idx;', down: 'ALTER INDEX t_n_idx RENAME TO t_n;\n' },
    { schema: "CREATE TYPE mood AS ENUM ('ok');", up: 'ALTER TYPE mood RENAME TO feeling;', down: 'ALTER TYPE feeling RENAME TO mood;\n' },
    {
      schema: 'CREATE TABLE t (a int);\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();',
      up: 'ALTER TRIGGER tr ON t RENAME TO t_insert;',
      down: 'ALTER TRIGGER t_insert ON t RENAME TO tr;\n',
    },
    { schema: 'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;', up: 'ALTER FUNCTION f(int) RENAME TO g;', down: 'ALTER FUNCTION g(int) RENAME TO f;\n' },
  ],
  reverse(s) {
    // pgsql-deparser drops the `ON table` of these; written out here.
    const onTable: Record<string, string> = { OBJECT_TRIGGER: 'TRIGGER', OBJECT_POLICY: 'POLICY', OBJECT_RULE: 'RULE' };
    const what = onTable[s.renameType ?? ''];
    if (what && s.subname && s.newname) return undo(`ALTER ${what} ${qi(s.newname)} ON ${rel(s.relation)} RENAME TO ${qi(s.subname)}`);
    const back = renamedBack(s);
    if (!back) return irreversible('the renamed object cannot be named');
    return undo(deparse({ RenameStmt: back } as Node));
  },
});
