/** Opt-in: table names without a schema depend on the search_path of whoever runs the migration. */
import type { AlterTableStmt, CreateStmt, DropStmt, IndexStmt, Node, RangeVar, RenameStmt, TruncateStmt } from '@pgsql/types';
import { as, strings } from '../ast';
import type { ParsedFile } from '../parse';
import { defineRule } from '../rule';

const temporaryByFile = new WeakMap<ParsedFile, Map<string, number>>();

/** Temporary tables of the file (they live in pg_temp, not a schema): name → index of the statement creating it. */
function temporaryTables(file: ParsedFile): Map<string, number> {
  let names = temporaryByFile.get(file);
  if (!names) {
    names = new Map();
    for (const s of file.statements) {
      const rel = as<CreateStmt>(s.node, 'CreateStmt')?.relation ?? as<{ into?: { rel?: RangeVar } }>(s.node, 'CreateTableAsStmt')?.into?.rel;
      if (rel?.relname && rel.relpersistence === 't' && !names.has(rel.relname)) names.set(rel.relname, s.index);
    }
    temporaryByFile.set(file, names);
  }
  return names;
}

/** The tables a statement names, as RangeVars (DROP TABLE lists become RangeVar-like records). */
function tablesOf(node: Node | undefined): RangeVar[] {
  const create = as<CreateStmt>(node, 'CreateStmt');
  if (create?.relation) return [create.relation];
  const ctas = as<{ into?: { rel?: RangeVar }; objtype?: string }>(node, 'CreateTableAsStmt');
  if (ctas?.into?.rel && ctas.objtype === 'OBJECT_TABLE') return [ctas.into.rel];
  const alter = as<AlterTableStmt>(node, 'AlterTableStmt');
  if (alter?.relation && (!alter.objtype || alter.objtype === 'OBJECT_TABLE')) return [alter.relation];
  const rename = as<RenameStmt>(node, 'RenameStmt');
  if (rename?.relation && (rename.renameType === 'OBJECT_TABLE' || rename.relationType === 'OBJECT_TABLE')) return [rename.relation];
  const drop = as<DropStmt>(node, 'DropStmt');
  if (drop?.removeType === 'OBJECT_TABLE') {
    return (drop.objects ?? []).map((o) => {
      const parts = strings(as<{ items?: Node[] }>(o, 'List')?.items);
      return { relname: parts[parts.length - 1], schemaname: parts.length > 1 ? parts[parts.length - 2] : undefined };
    });
  }
  const index = as<IndexStmt>(node, 'IndexStmt');
  if (index?.relation) return [index.relation];
  const truncate = as<TruncateStmt>(node, 'TruncateStmt');
  if (truncate) return (truncate.relations ?? []).map((r) => as<RangeVar>(r, 'RangeVar')).filter((r): r is RangeVar => !!r);
  return [];
}

export default defineRule({
  id: 'require-table-schema',
  description: 'Table names should be schema-qualified, so the migration does not depend on the search_path.',
  category: 'style',
  defaultSeverity: 'warning',
  recommended: false,
  fixable: false,
  messages: {
    unqualified: 'No schema on {tables}: the name is looked up (or created) in the first schema on the search_path of whoever runs the migration.',
  },
  help: 'Write the schema: public.users instead of users.',
  docs: {
    rationale:
      'An unqualified table name resolves through `search_path`, which differs between roles, connection poolers, tools and psql sessions (and is set by `ALTER ROLE … SET search_path`). The same migration can then create a table in a different schema, or alter the wrong table when two schemas have one of the same name. Qualifying names makes the migration mean the same thing everywhere.\n\n' +
      'Opt-in, as in squawk (recommended: no): many projects use only `public` and rely on the default. Checked like squawk in CREATE TABLE, CREATE TABLE AS, ALTER TABLE and DROP TABLE, and also in ALTER TABLE … RENAME, CREATE INDEX … ON and TRUNCATE, which resolve table names the same way. Temporary tables are exempt, and so are later references to a temporary table created earlier in the file. No fix is offered: which schema is meant is not something the linter can know.',
    bad: ['CREATE TABLE users (id bigint);', 'ALTER TABLE users ADD COLUMN nickname text;', 'CREATE INDEX users_email_idx ON users (email);'],
    good: ['CREATE TABLE public.users (id bigint);', 'CREATE TEMP TABLE staging (id bigint);\nINSERT INTO staging VALUES (1);\nDROP TABLE staging;'],
  },
  check({ statement, file, report }) {
    const unqualified = tablesOf(statement.node).filter((r) => r.relname && !r.schemaname && r.relpersistence !== 't');
    if (unqualified.length === 0) return;
    const temporary = temporaryTables(file.file);
    const names = [...new Set(unqualified.map((r) => r.relname!).filter((n) => !((temporary.get(n) ?? Infinity) < statement.index)))];
    if (names.length === 0) return;
    report({ messageId: 'unqualified', data: { tables: names.map((n) => `\`${n}\``).join(', ') } });
  },
});
