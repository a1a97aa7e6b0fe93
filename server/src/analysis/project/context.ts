/**
 * `migrationContext`: everything the CLI and the language server need to know about a migration's project before
 * calling `analyze` on it: its convention, the text to analyze, the earlier migrations (and their catalog), whether
 * the tool runs it in a transaction, and its rollback. Like `analyze`, it needs `initParser()` to have resolved
 * (it counts statements for tools that send a file as one query, and builds the catalog).
 */
import type { Catalog } from '../catalog';
import { parseFile } from '../parse';
import { basename, readText, type ProjectHost } from './host';
import { detectConvention, type MigrationConvention } from './conventions';
import { defaultCatalogCache, earlierOf, type CatalogCache, type EarlierMigration } from './ordering';
import { blankOutside, blankSpan } from './sqltext';

export interface MigrationContextOptions {
  /** The file's current text (an editor buffer); otherwise the host reads it. */
  text?: string;
  /** Where built catalogs are kept; `defaultCatalogCache` unless given. */
  cache?: CatalogCache;
}

export interface MigrationContext {
  path: string;
  convention: MigrationConvention;
  /**
   * The text to hand to `analyze`: the file's text, with the down section of a single-file up/down format blanked
   * (spaces, line breaks kept), so that only what runs forward is analyzed and every offset is still the file's.
   */
  text: string;
  /** The forward migrations that run before this file, in order. */
  earlier: EarlierMigration[];
  earlierTexts: string[];
  /** Pass as `AnalysisOptions.assumeInTransaction`: the tool wraps the file, or sends several statements as one query. */
  assumeInTransaction: boolean;
  /** Why, in one sentence (for hovers and `--explain`). */
  transactionNote: string;
  /** The rollback of this file: the down/revert file, or this file itself for a single-file format with a down section. */
  downPath?: string;
  /** The rollback's text; for a single-file format the whole file with everything but the down section blanked. */
  downText?: string;
  downAssumeInTransaction?: boolean;
  /** For a down or revert file: the forward migration it rolls back. */
  upPath?: string;
  /** The schema the earlier migrations build (cached; shared, so do not modify it; `analyze` clones it). */
  catalog(): Catalog;
  /**
   * Caches `after` (the schema once `text` has run, from `analyze`'s `catalogAfter`) as the catalog of the earlier
   * migrations plus this one: linting a folder in order then applies each file once, not again for the next file.
   */
  rememberCatalogAfter(after: Catalog): void;
}

/** Several statements in one simple query run as one implicit transaction (PostgreSQL protocol, "Multiple Statements in a Simple Query"). */
function sentAsOneQueryInTransaction(text: string): boolean {
  return parseFile(text).statements.length > 1;
}

function assumeFor(conv: MigrationConvention, text: string, wraps = conv.wrapsInTransaction): boolean {
  if (wraps) return true;
  return conv.implicitTransaction && sentAsOneQueryInTransaction(text);
}

/** The context of the migration at `path`; see `MigrationContext`. */
export function migrationContext(path: string, host: ProjectHost, options: MigrationContextOptions = {}): MigrationContext {
  const content = options.text ?? readText(host, path) ?? '';
  const conv = detectConvention(path, host, content);
  const earlier = earlierOf(conv, host);
  const cache = options.cache ?? defaultCatalogCache;
  let built: Catalog | undefined;

  const down = conv.sections?.down;
  const text = down ? blankSpan(content, down) : content;
  const ctx: MigrationContext = {
    path,
    convention: conv,
    text,
    earlier,
    earlierTexts: earlier.map((e) => e.text),
    assumeInTransaction: assumeFor(conv, text),
    transactionNote:
      conv.implicitTransaction && !conv.wrapsInTransaction
        ? `${conv.transactionNote} ${assumeFor(conv, text) ? 'This file has several statements.' : 'This file has one statement.'}`
        : conv.transactionNote,
    catalog: () => (built ??= cache.catalogFor(earlier)),
    rememberCatalogAfter: (after) => cache.remember([...earlier, { path, text }], after),
  };

  if (down) {
    ctx.downPath = path;
    ctx.downText = blankOutside(content, down);
    ctx.downAssumeInTransaction = conv.downWrapsInTransaction ?? conv.wrapsInTransaction;
  } else if (conv.pairPath && (conv.role === 'up' || conv.role === 'deploy')) {
    ctx.downPath = conv.pairPath;
    const downText = readText(host, conv.pairPath);
    if (downText !== undefined) {
      ctx.downText = downText;
      // Ory popx: `.autocommit.` is per file, so the down may differ from its up; elsewhere one setting covers both.
      const wraps = conv.tool === 'popx' ? !/\.autocommit\./.test(basename(conv.pairPath)) : conv.wrapsInTransaction;
      ctx.downAssumeInTransaction = assumeFor(conv, downText, wraps);
    }
  } else if (conv.pairPath && (conv.role === 'down' || conv.role === 'revert')) {
    ctx.upPath = conv.pairPath;
  }
  return ctx;
}
