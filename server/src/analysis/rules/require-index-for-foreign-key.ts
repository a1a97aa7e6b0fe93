/** A foreign key whose referencing columns no index leads with: every delete on the referenced table scans this one. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, CreateStmt, IndexStmt, RangeVar } from '@pgsql/types';
import { as, columnConstraints, relationKey, relationName, strings } from '../ast';
import type { Catalog } from '../catalog';
import type { Statement } from '../parse';
import { defineRule } from '../rule';
import { quoteIdent } from '../tokens';

interface ForeignKey {
  name: string;
  columns: string[];
  ref: string;
}

/** True when an index whose first columns are exactly `fk` (in any order) exists in `indexes`. */
function covered(fk: readonly string[], indexes: readonly (readonly string[])[]): boolean {
  return indexes.some((cols) => cols.length >= fk.length && fk.every((c) => cols.slice(0, fk.length).includes(c)));
}

function indexColumns(s: IndexStmt): string[] {
  return (s.indexParams ?? []).map((p) => as<{ name?: string }>(p, 'IndexElem')?.name ?? '(expression)');
}

/** Column lists of the PRIMARY KEY / UNIQUE constraints in a list of constraints (they come with an index). */
function keyColumns(cons: readonly (Constraint | undefined)[], column?: string): string[][] {
  return cons
    .filter((c): c is Constraint => c?.contype === 'CONSTR_PRIMARY' || c?.contype === 'CONSTR_UNIQUE')
    .map((c) => (c.keys?.length ? strings(c.keys) : column ? [column] : []));
}

interface FileIndexes {
  /** Per table key: the column lists of indexes and keys that statements create, with the statement's index. */
  byTable: Map<string, { index: number; columns: string[] }[]>;
  /** Keys (`schema.name`) of partial indexes, with the statement that created them. */
  partial: Map<string, number>;
}

/** What each statement of a file adds in indexes, collected once per parsed file. */
const fileIndexes = new WeakMap<readonly Statement[], FileIndexes>();

function indexesOfFile(statements: readonly Statement[]): FileIndexes {
  const cached = fileIndexes.get(statements);
  if (cached) return cached;
  const out: FileIndexes = { byTable: new Map(), partial: new Map() };
  const add = (key: string, index: number, columns: string[]) => {
    const list = out.byTable.get(key) ?? [];
    list.push({ index, columns });
    out.byTable.set(key, list);
  };
  for (const s of statements) {
    const idx = as<IndexStmt>(s.node, 'IndexStmt');
    if (idx?.relation) {
      if (idx.whereClause) out.partial.set(`${idx.relation.schemaname ?? 'public'}.${idx.idxname ?? ''}`, s.index);
      else add(relationKey(idx.relation), s.index, indexColumns(idx));
    }
    const alter = as<AlterTableStmt>(s.node, 'AlterTableStmt');
    if (!alter?.relation) continue;
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype === 'AT_AddConstraint') for (const cols of keyColumns([as<Constraint>(cmd.def, 'Constraint')])) add(relationKey(alter.relation), s.index, cols);
      if (cmd?.subtype === 'AT_AddColumn') {
        const col = as<ColumnDef>(cmd.def, 'ColumnDef');
        for (const cols of keyColumns(columnConstraints(col), col?.colname)) add(relationKey(alter.relation), s.index, cols);
      }
    }
  }
  fileIndexes.set(statements, out);
  return out;
}

/**
 * Indexes and keys of the table known to the catalog, leaving out indexes that an earlier statement of the file
 * created with a WHERE clause (the catalog does not record that an index is partial).
 */
function catalogIndexes(catalog: Catalog, key: string, partial: ReadonlyMap<string, number>, before: number): string[][] {
  const table = catalog.tables.get(key);
  return [
    ...catalog.indexesOf(key).filter((i) => (partial.get(i.key) ?? Infinity) >= before).map((i) => i.columns),
    ...(table?.constraints ?? []).filter((k) => k.kind === 'primary' || k.kind === 'unique').map((k) => k.columns),
  ];
}

function foreignKey(c: Constraint, column?: string): ForeignKey | undefined {
  if (c.contype !== 'CONSTR_FOREIGN') return undefined;
  const columns = c.fk_attrs?.length ? strings(c.fk_attrs) : column ? [column] : [];
  if (columns.length === 0) return undefined;
  return { name: c.conname ? `\`${c.conname}\`` : `(${columns.join(', ')})`, columns, ref: relationName(c.pktable) };
}

/** A name for the new index, within PostgreSQL's 63-byte limit. */
function indexName(table: string, columns: readonly string[]): string {
  const tail = `_${columns.join('_')}_idx`;
  return `${table.slice(0, Math.max(1, 63 - tail.length))}${tail}`.slice(0, 63);
}

function qualified(rv: RangeVar): string {
  return rv.schemaname ? `${quoteIdent(rv.schemaname)}.${quoteIdent(rv.relname ?? '')}` : quoteIdent(rv.relname ?? '');
}

export default defineRule({
  id: 'require-index-for-foreign-key',
  description: 'A foreign key needs an index on its referencing columns, or every delete on the referenced table scans the referencing one.',
  category: 'correctness',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: true,
  messages: {
    one: 'Foreign key {name} on `{table}` has no index on ({columns}): every DELETE, and every UPDATE of the key, on `{ref}` reads all of `{table}` to find referencing rows, holding its locks meanwhile.',
    several: 'Foreign keys {names} on `{table}` have no index on their referencing columns: every DELETE, and every UPDATE of a key, on the tables they reference reads all of `{table}` to find referencing rows.',
  },
  help: 'Create an index on the referencing columns (CONCURRENTLY, outside a transaction block, when the table already exists); ON DELETE CASCADE and joins use it too.',
  docs: {
    rationale:
      'PostgreSQL indexes the referenced side of a foreign key (it must be a primary key or unique) but not the referencing side. Each DELETE on the referenced table, and each UPDATE of its key, must then find the referencing rows with a sequential scan of the referencing table, once per row deleted: a bulk delete becomes quadratic, ON DELETE CASCADE crawls, and the row locks are held all the while. An index whose leading columns are the foreign key\'s columns avoids it. The rule looks for one in the schema known from earlier migrations, in the same statement (PRIMARY KEY, UNIQUE) and anywhere later in the same file; for ALTER TABLE on a table that schema has never seen it stays quiet, since the table\'s indexes are unknown. The quick fix adds the index right after the statement: a plain CREATE INDEX for a table created in this migration, else CREATE INDEX CONCURRENTLY IF NOT EXISTS (preferred only outside a transaction block, where CONCURRENTLY can run). After Eugene\'s E15 hint.',
    bad: [
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));',
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
    ],
    good: [
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX orders_user_id_idx ON orders (user_id);',
      'CREATE TABLE memberships (user_id bigint REFERENCES users (id), team_id bigint, PRIMARY KEY (user_id, team_id));',
    ],
  },
  check({ statement, facts, file, catalog, report }) {
    let relation: RangeVar | undefined;
    const fks: ForeignKey[] = [];
    const sameStatement: string[][] = [];
    const create = as<CreateStmt>(statement.node, 'CreateStmt');
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (create?.relation) {
      relation = create.relation;
      for (const e of create.tableElts ?? []) {
        const col = as<ColumnDef>(e, 'ColumnDef');
        const cons: Constraint[] = col ? columnConstraints(col) : [as<Constraint>(e, 'Constraint')].filter((c): c is Constraint => !!c);
        for (const c of cons) {
          const fk = foreignKey(c, col?.colname);
          if (fk) fks.push(fk);
        }
        sameStatement.push(...keyColumns(cons, col?.colname));
      }
    } else if (alter?.relation) {
      relation = alter.relation;
      for (const c of alter.cmds ?? []) {
        const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
        if (cmd?.subtype === 'AT_AddConstraint') {
          const con = as<Constraint>(cmd.def, 'Constraint');
          const fk = con && foreignKey(con);
          if (fk) fks.push(fk);
          sameStatement.push(...keyColumns([con]));
        } else if (cmd?.subtype === 'AT_AddColumn') {
          const col = as<ColumnDef>(cmd.def, 'ColumnDef');
          for (const k of columnConstraints(col)) {
            const fk = foreignKey(k, col?.colname);
            if (fk) fks.push(fk);
          }
          sameStatement.push(...keyColumns(columnConstraints(col), col?.colname));
        }
      }
    }
    if (!relation || fks.length === 0) return;
    const key = relationKey(relation);
    // ALTER TABLE on a table the schema has never seen: its indexes are unknown, so stay quiet rather than guess.
    if (!create && !catalog.tables.has(key)) return;
    const known = indexesOfFile(file.file.statements);
    const later = (known.byTable.get(key) ?? []).filter((i) => i.index > statement.index).map((i) => i.columns);
    const indexes = [...(create ? [] : catalogIndexes(catalog, key, known.partial, statement.index)), ...sameStatement, ...later];
    const missing = fks.filter((fk) => !covered(fk.columns, indexes));
    if (missing.length === 0) return;

    // The fix: one CREATE INDEX per missing key, right after this statement.
    const fresh = !!create || facts.createdBefore.has(key);
    const text = file.file.text;
    const eol = /\r\n/.test(text) ? '\r\n' : '\n';
    const lines = missing
      .filter((fk, i) => missing.findIndex((o) => o.columns.join() === fk.columns.join()) === i)
      .map((fk) => {
        const name = quoteIdent(indexName(relation.relname ?? 'table', fk.columns));
        const cols = fk.columns.map(quoteIdent).join(', ');
        return fresh ? `CREATE INDEX ${name} ON ${qualified(relation)} (${cols});` : `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ON ${qualified(relation)} (${cols});`;
      });
    const terminated = statement.end > statement.span.end;
    const fix = {
      title: lines.length > 1 ? 'Add indexes for the foreign keys' : 'Add an index for the foreign key',
      edits: [{ start: statement.end, end: statement.end, newText: `${terminated ? '' : ';'}${eol}${lines.join(eol)}` }],
      preferred: fresh || !facts.inTransaction,
    };
    const table = relationName(relation);
    if (missing.length === 1) {
      report({ messageId: 'one', data: { name: missing[0].name, table, columns: missing[0].columns.join(', '), ref: missing[0].ref }, fix });
    } else {
      report({ messageId: 'several', data: { names: missing.map((m) => m.name).join(', '), table }, fix });
    }
  },
});

