/**
 * ALTER COLUMN … TYPE → the old type from the schema before the up. A conversion that lost information (a USING
 * expression, numbers rounded to integers, timestamps cut to dates) cannot be undone; a reverse that narrows the
 * type fails if values written since do not fit, and says so.
 */
import type { AlterTableCmd, ColumnDef } from '@pgsql/types';
import { as } from '../../ast';
import { typeInfo } from '../../catalog';
import { defineReverser, irreversible } from '../reverser';
import { deparse, qi, qname, rel, typeSql } from '../sql';

const INTEGER = new Set(['int2', 'int4', 'int8', 'smallint', 'integer', 'bigint', 'int', 'serial', 'bigserial', 'smallserial']);
const FRACTIONAL = new Set(['numeric', 'decimal', 'float4', 'float8', 'real', 'double', 'money']);
const TIMESTAMP = new Set(['timestamp', 'timestamptz']);
const WIDTH: Record<string, number> = { int2: 2, smallint: 2, int4: 4, int: 4, integer: 4, serial: 4, int8: 8, bigint: 8, bigserial: 8 };

const STRING = new Set(['text', 'varchar', 'bpchar', 'char', 'name', 'citext']);
const TIME = new Set(['timestamp', 'timestamptz', 'date', 'time', 'timetz']);

/**
 * Does PostgreSQL convert a `from` column to `to` without USING (an assignment cast)? Same type; anything to a string
 * type (I/O conversion); number to number; date/time to date/time. Otherwise the reverse says `USING col::to`.
 */
function assignable(from: string, to: string): boolean {
  if (from === to || STRING.has(to)) return true;
  const num = (t: string) => INTEGER.has(t) || FRACTIONAL.has(t);
  return (num(from) && num(to)) || (TIME.has(from) && TIME.has(to));
}

/** Why converting `from` to `to` loses information, if it does. */
function lossOf(from: string, to: string): string | undefined {
  if (FRACTIONAL.has(from) && INTEGER.has(to)) return 'fractions were rounded away';
  if (TIMESTAMP.has(from) && to === 'date') return 'the time of day was cut off';
  return undefined;
}

export default defineReverser<AlterTableCmd>({
  id: 'alter-column-type',
  description: 'A column type change is undone by changing back to the old type.',
  handles: ['AlterTableCmd.AT_AlterColumnType'],
  examples: [
    {
      schema: 'CREATE TABLE t (id int, name varchar(50));',
      up: 'ALTER TABLE t ALTER COLUMN name TYPE text;',
      down: '-- fails if values written since do not fit varchar(50)\nALTER TABLE t ALTER COLUMN name TYPE varchar(50);\n',
    },
    { name: 'widening int to bigint', schema: 'CREATE TABLE t (id int);', up: 'ALTER TABLE t ALTER COLUMN id TYPE bigint;', down: '-- fails if values written since do not fit int\nALTER TABLE t ALTER COLUMN id TYPE int;\n' },
    {
      name: 'a default is set again for the old type',
      schema: "CREATE TABLE t (theme varchar(20) DEFAULT 'darkly' NOT NULL);",
      up: "ALTER TABLE t ALTER COLUMN theme TYPE text;\nALTER TABLE t ALTER COLUMN theme SET DEFAULT 'browser'::text;",
      down: "ALTER TABLE t ALTER COLUMN theme SET DEFAULT 'darkly';\n-- fails if values written since do not fit varchar(20)\nALTER TABLE t ALTER COLUMN theme TYPE varchar(20);\nALTER TABLE t ALTER COLUMN theme SET DEFAULT 'darkly';\n",
    },
    {
      name: 'a USING conversion',
      schema: 'CREATE TABLE t (code text);',
      up: 'ALTER TABLE t ALTER COLUMN code TYPE int USING code::int;',
      down: '-- IRREVERSIBLE: t.code was converted with USING code::int: values may not convert back exactly\nALTER TABLE t ALTER COLUMN code TYPE text USING code::text;\n',
      irreversible: ['t.code was converted with USING code::int: values may not convert back exactly'],
    },
    {
      name: 'back to a type without an assignment cast from the new one',
      schema: 'CREATE TABLE t (icon bytea);',
      up: 'ALTER TABLE t ALTER COLUMN icon TYPE text;',
      down: '-- fails if values written since do not convert to bytea\nALTER TABLE t ALTER COLUMN icon TYPE bytea USING icon::bytea;\n',
    },
    {
      name: 'rounding',
      schema: 'CREATE TABLE t (price numeric(10,2));',
      up: 'ALTER TABLE t ALTER COLUMN price TYPE int;',
      down: '-- IRREVERSIBLE: t.price: fractions were rounded away\nALTER TABLE t ALTER COLUMN price TYPE numeric(10, 2);\n',
      irreversible: ['t.price: fractions were rounded away'],
    },
  ],
  reverse(cmd, ctx) {
    const name = cmd.name ?? '?';
    const shown = `${rel(ctx.relation)}.${qi(name)}`;
    const col = ctx.catalog.column(ctx.relation, name);
    if (!col?.typeName) return irreversible(`the type of ${shown} before this migration is unknown`);
    const def = as<ColumnDef>(cmd.def, 'ColumnDef');
    const to = typeInfo(def?.typeName);
    const old = typeSql(col.typeName);
    const reasons: string[] = [];
    // The default, converted along with the column, is set again as it was typed for the old type ('x'::varchar).
    const resetDefault = col.defaultExpr ? [`ALTER TABLE ${rel(ctx.relation)} ALTER COLUMN ${qi(name)} SET DEFAULT ${deparse(col.defaultExpr)}`] : [];
    let sql = `ALTER TABLE ${rel(ctx.relation)} ALTER COLUMN ${qi(name)} TYPE ${old}`;
    if (col.collation?.length) sql += ` COLLATE ${qname(col.collation)}`;
    if (def?.raw_default) {
      reasons.push(`${shown} was converted with USING ${deparse(def.raw_default)}: values may not convert back exactly`);
      sql += ` USING ${qi(name)}::${old}`;
    } else if (!assignable(to.baseType, col.baseType)) {
      sql = `-- fails if values written since do not convert to ${old}\n${sql} USING ${qi(name)}::${old}`;
      return { sql: [sql, ...resetDefault], irreversible: reasons };
    }
    const loss = lossOf(col.baseType, to.baseType);
    if (loss) reasons.push(`${shown}: ${loss}`);
    const narrower =
      (WIDTH[to.baseType] ?? 0) > (WIDTH[col.baseType] ?? 99) ||
      (col.baseType === 'varchar' && col.typmods.length > 0 && (to.baseType === 'text' || (to.baseType === 'varchar' && (to.typmods[0] ?? Infinity) > col.typmods[0]))) ||
      (col.baseType === 'numeric' && col.typmods.length > 0 && (to.typmods.length === 0 || to.typmods[0] > col.typmods[0]));
    if (narrower && !loss && !def?.raw_default) sql = `-- fails if values written since do not fit ${old}\n${sql}`;
    return { sql: [sql, ...resetDefault], irreversible: reasons };
  },
});
