/** The rule registry: one line per rule. A test checks every file in this folder is registered once. */
import type { Rule } from '../rule';
import addingFieldWithDefault from './adding-field-with-default';
import addingForeignKeyConstraint from './adding-foreign-key-constraint';
import addingNotNullableField from './adding-not-nullable-field';
import addingRequiredField from './adding-required-field';
import addingSerialPrimaryKeyField from './adding-serial-primary-key-field';
import banAddExclusionConstraint from './ban-add-exclusion-constraint';
import banAlterDomainWithAddConstraint from './ban-alter-domain-with-add-constraint';
import banAlterTypeRenameValue from './ban-alter-type-rename-value';
import banBlockingDdlInDoBlock from './ban-blocking-ddl-in-do-block';
import banCharField from './ban-char-field';
import banConcurrentIndexCreationInTransaction from './ban-concurrent-index-creation-in-transaction';
import banCreateDomainWithConstraint from './ban-create-domain-with-constraint';
import banDisableTriggerAll from './ban-disable-trigger-all';
import banDropColumn from './ban-drop-column';
import banDownDataLoss from './ban-down-data-loss';
import banDropDatabase from './ban-drop-database';
import banDropNotNull from './ban-drop-not-null';
import banDropSchema from './ban-drop-schema';
import banDropTable from './ban-drop-table';
import banDropTypeInUse from './ban-drop-type-in-use';
import banDuplicateColumnAssignments from './ban-duplicate-column-assignments';
import banEnumAddValueInTransaction from './ban-enum-add-value-in-transaction';
import banIrreversibleStatement from './ban-irreversible-statement';
import banLockTable from './ban-lock-table';
import banMixedExpandContract from './ban-mixed-expand-contract';
import banReplicaIdentityFull from './ban-replica-identity-full';
import banRewriteUnderAccessExclusive from './ban-rewrite-under-access-exclusive';
import banStatementsAfterAccessExclusive from './ban-statements-after-access-exclusive';
import banTriggerDdlOnExistingTable from './ban-trigger-ddl-on-existing-table';
import banTruncateCascade from './ban-truncate-cascade';
import banUnbatchedBackfill from './ban-unbatched-backfill';
import banUncommittedTransaction from './ban-uncommitted-transaction';
import changingColumnType from './changing-column-type';
import constraintMissingNotValid from './constraint-missing-not-valid';
import disallowedUniqueConstraint from './disallowed-unique-constraint';
import identifierTooLong from './identifier-too-long';
import preferBigintOverInt from './prefer-bigint-over-int';
import preferBigintOverSmallint from './prefer-bigint-over-smallint';
import preferIdentity from './prefer-identity';
import preferJsonb from './prefer-jsonb';
import preferRepack from './prefer-repack';
import preferRobustStmts from './prefer-robust-stmts';
import preferStaticSqlInDoBlock from './prefer-static-sql-in-do-block';
import preferTextField from './prefer-text-field';
import preferTimestamptz from './prefer-timestamptz';
import psqlMetaCommand from './psql-meta-command';
import renamingColumn from './renaming-column';
import renamingTable from './renaming-table';
import requireCheckBeforeAttachPartition from './require-check-before-attach-partition';
import requireCompleteDown from './require-complete-down';
import requireConcurrentIndexCreation from './require-concurrent-index-creation';
import requireConcurrentIndexDeletion from './require-concurrent-index-deletion';
import requireConcurrentPartitionDetach from './require-concurrent-partition-detach';
import requireConcurrentRefresh from './require-concurrent-refresh';
import requireConcurrentReindex from './require-concurrent-reindex';
import requireDownMigration from './require-down-migration';
import requireEnumValueOrdering from './require-enum-value-ordering';
import requireIndexForForeignKey from './require-index-for-foreign-key';
import requireLockTimeout from './require-lock-timeout';
import requireStatementTimeout from './require-statement-timeout';
import requireTableSchema from './require-table-schema';
import syntaxError from './syntax-error';
import transactionNesting from './transaction-nesting';
import unusedIgnore from './unused-ignore';

export const RULES: readonly Rule[] = [
  addingFieldWithDefault,
  addingForeignKeyConstraint,
  addingNotNullableField,
  addingRequiredField,
  addingSerialPrimaryKeyField,
  banAddExclusionConstraint,
  banAlterDomainWithAddConstraint,
  banAlterTypeRenameValue,
  banBlockingDdlInDoBlock,
  banCharField,
  banConcurrentIndexCreationInTransaction,
  banCreateDomainWithConstraint,
  banDisableTriggerAll,
  banDropColumn,
  banDownDataLoss,
  banDropDatabase,
  banDropNotNull,
  banDropSchema,
  banDropTable,
  banDropTypeInUse,
  banDuplicateColumnAssignments,
  banEnumAddValueInTransaction,
  banIrreversibleStatement,
  banLockTable,
  banMixedExpandContract,
  banReplicaIdentityFull,
  banRewriteUnderAccessExclusive,
  banStatementsAfterAccessExclusive,
  banTriggerDdlOnExistingTable,
  banTruncateCascade,
  banUnbatchedBackfill,
  banUncommittedTransaction,
  changingColumnType,
  constraintMissingNotValid,
  disallowedUniqueConstraint,
  identifierTooLong,
  preferBigintOverInt,
  preferBigintOverSmallint,
  preferIdentity,
  preferJsonb,
  preferRepack,
  preferRobustStmts,
  preferStaticSqlInDoBlock,
  preferTextField,
  preferTimestamptz,
  psqlMetaCommand,
  renamingColumn,
  renamingTable,
  requireCheckBeforeAttachPartition,
  requireCompleteDown,
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentPartitionDetach,
  requireConcurrentRefresh,
  requireConcurrentReindex,
  requireDownMigration,
  requireEnumValueOrdering,
  requireIndexForForeignKey,
  requireLockTimeout,
  requireStatementTimeout,
  requireTableSchema,
  syntaxError,
  transactionNesting,
  unusedIgnore,
] as Rule[];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

export { canonicalRuleId } from './aliases';
