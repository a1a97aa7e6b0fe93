/**
 * CREATE FUNCTION / PROCEDURE ↔ DROP FUNCTION name(argument types). CREATE OR REPLACE of a routine the earlier
 * migrations define → its old definition.
 */
import type { CreateFunctionStmt, Node } from '@pgsql/types';
import { inputArgTypes, routineKey } from '../../catalog';
import { defineReverser, irreversible, undo } from '../reverser';
import { deparse, qname, typeSql } from '../sql';

export default defineReverser<CreateFunctionStmt>({
  id: 'create-function',
  description: 'A created function is dropped; a replaced one gets its old definition back.',
  handles: ['CreateFunctionStmt'],
  examples: [
    { up: 'CREATE FUNCTION add(a integer, b integer, OUT c integer) LANGUAGE sql AS $$ SELECT a + b $$;', down: 'DROP FUNCTION add(int, int);\n' },
    {
      name: 'OR REPLACE',
      schema: 'CREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
      up: 'CREATE OR REPLACE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;',
      down: 'CREATE OR REPLACE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n',
    },
    {
      name: 'OR REPLACE of a routine the catalog has in another schema',
      schema: 'CREATE SCHEMA app;\nSET search_path TO app, public;\nCREATE FUNCTION one() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nRESET search_path;',
      up: 'CREATE OR REPLACE FUNCTION app.one() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;',
      down: '-- IRREVERSIBLE: the earlier migrations define public.one(), not app.one(): whether OR REPLACE replaced it (under a search_path) is unknown\n',
      irreversible: ['the earlier migrations define public.one(), not app.one(): whether OR REPLACE replaced it (under a search_path) is unknown'],
      exact: false,
    },
    { up: 'CREATE PROCEDURE p(x text) LANGUAGE sql AS $$ SELECT x $$;', down: 'DROP PROCEDURE p(text);\n' },
  ],
  reverse(s, ctx) {
    const k = routineKey(s.funcname, inputArgTypes(s.parameters));
    const old = k && ctx.catalog.routines.get(k.key);
    if (s.replace && old) return undo(deparse({ CreateFunctionStmt: { ...old.stmt, replace: true } } as Node));
    // The earlier migrations define it in another schema: they may have run under a search_path the catalog does not follow.
    const elsewhere = s.replace && k ? [...ctx.catalog.routines.keys()].find((x) => x !== k.key && x.slice(x.indexOf('.')) === k.key.slice(k.key.indexOf('.'))) : undefined;
    if (elsewhere) return irreversible(`the earlier migrations define ${elsewhere}, not ${k!.key}: whether OR REPLACE replaced it (under a search_path) is unknown`);
    const args = inputArgTypes(s.parameters).map((t) => (t ? typeSql(t) : '?'));
    return undo(`DROP ${s.is_procedure ? 'PROCEDURE' : 'FUNCTION'} ${qname(s.funcname)}(${args.join(', ')})`);
  },
});
