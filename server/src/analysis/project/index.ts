/**
 * The migration-project layer: which tool runs a migration file, in what order, with what counterpart and
 * transaction, and what ran before it. Pure like the rest of the library: all file access goes through the
 * `ProjectHost` the caller passes.
 */
export type { ProjectHost } from './host';
export { detectConvention, type MigrationConvention, type MigrationRole, type MigrationTool } from './conventions';
export { migrationSequence, folderSequence, folderMigrations, earlierMigrations, CatalogCache, defaultCatalogCache, type EarlierMigration, type MigrationStep, type SequenceLayout } from './ordering';
export { migrationContext, type MigrationContext, type MigrationContextOptions } from './context';
export { parseSqitchPlan, dieselRunInTransaction, flywayExecuteInTransaction, temporalManifestFiles, type SqitchPlan } from './metadata';
export { newMigrationFiles, newMigration, type NewMigrationPhase, type NewMigrationFiles, type NewMigrationOptions, type FileEdit } from './naming';
