/** The rule registry: one line per rule. A test checks every file in this folder is registered once. */
import type { Rule } from '../rule';
import addingFieldWithDefault from './adding-field-with-default';
import banConcurrentIndexCreationInTransaction from './ban-concurrent-index-creation-in-transaction';
import constraintMissingNotValid from './constraint-missing-not-valid';
import psqlMetaCommand from './psql-meta-command';
import renamingColumn from './renaming-column';
import requireConcurrentIndexCreation from './require-concurrent-index-creation';
import requireLockTimeout from './require-lock-timeout';
import syntaxError from './syntax-error';

export const RULES: readonly Rule[] = [
  addingFieldWithDefault,
  banConcurrentIndexCreationInTransaction,
  constraintMissingNotValid,
  psqlMetaCommand,
  renamingColumn,
  requireConcurrentIndexCreation,
  requireLockTimeout,
  syntaxError,
] as Rule[];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
