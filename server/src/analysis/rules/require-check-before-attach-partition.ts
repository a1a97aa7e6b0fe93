/** ATTACH PARTITION without a validated CHECK that proves the bound: a full scan of the partition under lock. */
import type { AlterTableCmd, AlterTableStmt, ColumnDef, ColumnRef, Constraint, Node, PartitionCmd, RangeVar } from '@pgsql/types';
import { as, columnConstraints, relationKey, relationName, strings, walk } from '../ast';
import type { Catalog } from '../catalog';
import { lockPhrase } from '../lockHold';
import type { Statement } from '../parse';
import { defineRule } from '../rule';

interface BoundCheck {
  name: string;
  validated: boolean;
  /** Columns the CHECK reads; undefined when unknown (a table CHECK from an earlier migration). */
  columns?: string[];
  /** Columns the CHECK itself requires to be NOT NULL (`col IS NOT NULL AND …`). */
  notNullInside: Set<string>;
}

/** `CHECK (col IS NOT NULL)` alone → `col`. */
function onlyNotNull(expr: Node | undefined): string | undefined {
  const t = as<{ nulltesttype?: string; arg?: Node }>(expr, 'NullTest');
  return t?.nulltesttype === 'IS_NOT_NULL' ? strings(as<ColumnRef>(t.arg, 'ColumnRef')?.fields).pop() : undefined;
}

function describe(con: Constraint, fallback: string): BoundCheck {
  const columns = new Set<string>();
  const notNullInside = new Set<string>();
  walk(con.raw_expr, (kind, v) => {
    if (kind === 'ColumnRef') {
      const name = strings((v as ColumnRef).fields).pop();
      if (name) columns.add(name);
    } else if (kind === 'NullTest' && (v as { nulltesttype?: string }).nulltesttype === 'IS_NOT_NULL') {
      const name = strings(as<ColumnRef>((v as { arg?: Node }).arg, 'ColumnRef')?.fields).pop();
      if (name) notNullInside.add(name);
    }
  });
  return { name: con.conname ?? fallback, validated: !con.skip_validation, columns: [...columns], notNullInside };
}

/**
 * What the file and the catalog say about the partition before the ATTACH: its validated CHECK constraints that could
 * prove a bound, and its columns known to be NOT NULL. The catalog does not record constraints added to tables it has
 * not seen created, so the file's ALTER TABLE statements are read directly.
 */
function partitionFacts(earlier: readonly Statement[], part: RangeVar, catalog: Catalog): { checks: BoundCheck[]; notNull: Set<string> } {
  const table = catalog.table(part);
  const checks = new Map<string, BoundCheck>();
  const notNull = new Set<string>([...(table?.columns.values() ?? [])].filter((c) => c.notNull).map((c) => c.name));
  const notNullChecks = new Map<string, { column: string; validated: boolean }>();
  (table?.constraints ?? []).forEach((k, i) => {
    if (k.kind !== 'check') return;
    const key = k.name ?? `#catalog${i}`;
    if (k.notNullColumn) notNullChecks.set(key, { column: k.notNullColumn, validated: k.validated });
    else checks.set(key, { name: k.name ?? '(unnamed)', validated: k.validated, columns: k.columns.length ? k.columns : undefined, notNullInside: new Set() });
  });
  for (const s of earlier) {
    const alter = as<AlterTableStmt>(s.node, 'AlterTableStmt');
    if (!alter?.relation || relationKey(alter.relation) !== relationKey(part)) continue;
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      const con = as<Constraint>(cmd?.def, 'Constraint');
      const name = cmd?.name ?? '';
      if (cmd?.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_CHECK') {
        const column = onlyNotNull(con.raw_expr);
        const key = con.conname ?? `#${s.index}`;
        if (column) notNullChecks.set(key, { column, validated: !con.skip_validation });
        else checks.set(key, describe(con, key));
      } else if (cmd?.subtype === 'AT_ValidateConstraint') {
        const k = checks.get(name) ?? notNullChecks.get(name);
        if (k) k.validated = true;
      } else if (cmd?.subtype === 'AT_DropConstraint') {
        checks.delete(name);
        notNullChecks.delete(name);
      } else if (cmd?.subtype === 'AT_SetNotNull') {
        notNull.add(name);
      } else if (cmd?.subtype === 'AT_DropNotNull') {
        notNull.delete(name);
      } else if (cmd?.subtype === 'AT_AddColumn') {
        const col = as<ColumnDef>(cmd.def, 'ColumnDef');
        if (col?.colname && (col.is_not_null || columnConstraints(col).some((k) => k.contype === 'CONSTR_NOTNULL' || k.contype === 'CONSTR_PRIMARY'))) notNull.add(col.colname);
      }
    }
  }
  for (const k of notNullChecks.values()) if (k.validated) notNull.add(k.column);
  return { checks: [...checks.values()].filter((k) => k.validated), notNull };
}

export default defineRule({
  id: 'require-check-before-attach-partition',
  description: 'Attaching a partition without a validated CHECK constraint matching its bound scans the whole partition while it is locked.',
  category: 'locking',
  defaultSeverity: 'warning',
  recommended: true,
  fixable: false,
  messages: {
    scans: 'ATTACH PARTITION reads every row of `{partition}` to check it fits the partition bound, holding an ACCESS EXCLUSIVE lock on `{partition}` and {parentLock} lock on `{table}` for the whole scan.',
    nullable: 'ATTACH PARTITION still reads every row of `{partition}` under an ACCESS EXCLUSIVE lock: CHECK `{check}` lets {columns} be NULL, which the partition bound does not, so it does not prove the bound.',
  },
  help: 'Before attaching, add a CHECK constraint equal to the bound, including `key IS NOT NULL` (or make the key column NOT NULL), with NOT VALID, and VALIDATE it (that scan allows reads and writes); ATTACH then skips its scan, and the CHECK can be dropped afterwards.',
  docs: {
    rationale:
      'ALTER TABLE … ATTACH PARTITION must prove that every row of the new partition satisfies the partition bound. Unless valid constraints on the partition already imply the bound, PostgreSQL reads the whole partition while holding an ACCESS EXCLUSIVE lock on it (no reads or writes) and a SHARE UPDATE EXCLUSIVE lock on the parent (ACCESS EXCLUSIVE before PostgreSQL 12). Adding a CHECK as NOT VALID and validating it separately does the same scan under a SHARE UPDATE EXCLUSIVE lock that lets traffic continue. The bound of a range or list partition also excludes NULL keys, and a CHECK lets NULL through: `CHECK (at >= … AND at < …)` alone does not prove the bound (PostgreSQL 15 still logs "verifying table"), so the key column must be NOT NULL or the CHECK must say `at IS NOT NULL`. The rule accepts a validated CHECK on the partition, known from earlier statements or migrations, whose columns are all NOT NULL; it cannot prove that the CHECK implies the bound, and accepts a CHECK from an earlier migration whose columns it does not know. When the parent has a DEFAULT partition, that one is scanned as well. Partitions created earlier in the same migration are not flagged.',
    bad: [
      "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
      "ALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound CHECK (at >= '2024-01-01' AND at < '2025-01-01');\nALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
    ],
    good: [
      "ALTER TABLE events_2024 ADD CONSTRAINT events_2024_bound CHECK (at IS NOT NULL AND at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;\nALTER TABLE events_2024 VALIDATE CONSTRAINT events_2024_bound;\nALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
      "CREATE TABLE events_2025 (at timestamptz);\nALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
    ],
  },
  check({ statement, facts, file, catalog, report }) {
    const alter = as<AlterTableStmt>(statement.node, 'AlterTableStmt');
    if (!alter?.relation) return;
    for (const c of alter.cmds ?? []) {
      const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
      if (cmd?.subtype !== 'AT_AttachPartition') continue;
      const part = as<PartitionCmd>(cmd.def, 'PartitionCmd')?.name;
      if (!part?.relname || facts.createdBefore.has(relationKey(part))) continue;
      const partition = relationName(part);
      const { checks, notNull } = partitionFacts(file.file.statements.slice(0, statement.index), part, catalog);
      const nullable = checks.map((k) => ({ k, cols: k.columns?.filter((col) => !notNull.has(col) && !k.notNullInside.has(col)) ?? [] }));
      if (nullable.some((n) => n.cols.length === 0)) continue; // a CHECK that can prove the bound
      if (nullable.length > 0) {
        const { k, cols } = nullable[0];
        report({ messageId: 'nullable', data: { partition, check: k.name, columns: cols.map((col) => `\`${col}\``).join(', ') } });
        continue;
      }
      const parentLock = facts.effect.locks.find((l) => l.key === relationKey(alter.relation));
      report({ messageId: 'scans', data: { partition, table: relationName(alter.relation), parentLock: lockPhrase(parentLock?.mode ?? 'ShareUpdateExclusiveLock') } });
    }
  },
});
