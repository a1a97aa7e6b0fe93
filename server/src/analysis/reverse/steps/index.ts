/** The reverser registry: one line per reverser. A test checks every file in this folder is registered once. */
import type { Reverser } from '../reverser';
import addColumn from './add-column';
import addConstraint from './add-constraint';
import alterColumnType from './alter-column-type';
import alterEnum from './alter-enum';
import columnDefault from './column-default';
import comment from './comment';
import createExtension from './create-extension';
import createFunction from './create-function';
import createIndex from './create-index';
import createPolicy from './create-policy';
import createSchema from './create-schema';
import createSequence from './create-sequence';
import createTableAs from './create-table-as';
import createTable from './create-table';
import createTrigger from './create-trigger';
import createType from './create-type';
import createView from './create-view';
import data from './data';
import doBlock from './do-block';
import dropColumn from './drop-column';
import dropConstraint from './drop-constraint';
import dropFunction from './drop-function';
import dropIndex from './drop-index';
import dropNotNull from './drop-not-null';
import dropOther from './drop-other';
import dropSchema from './drop-schema';
import dropSequence from './drop-sequence';
import dropTable from './drop-table';
import dropTrigger from './drop-trigger';
import dropType from './drop-type';
import dropView from './drop-view';
import grant from './grant';
import insert from './insert';
import noChange from './no-change';
import rename from './rename';
import rowSecurity from './row-security';
import session from './session';
import setNotNull from './set-not-null';
import transaction from './transaction';
import validateConstraint from './validate-constraint';

export const REVERSERS: readonly Reverser[] = [
  addColumn,
  addConstraint,
  alterColumnType,
  alterEnum,
  columnDefault,
  comment,
  createExtension,
  createFunction,
  createIndex,
  createPolicy,
  createSchema,
  createSequence,
  createTableAs,
  createTable,
  createTrigger,
  createType,
  createView,
  data,
  doBlock,
  dropColumn,
  dropConstraint,
  dropFunction,
  dropIndex,
  dropNotNull,
  dropOther,
  dropSchema,
  dropSequence,
  dropTable,
  dropTrigger,
  dropType,
  dropView,
  grant,
  insert,
  noChange,
  rename,
  rowSecurity,
  session,
  setNotNull,
  transaction,
  validateConstraint,
] as Reverser[];

/** By what they handle (`DropStmt.OBJECT_TABLE`, `CreateStmt`, `AlterTableCmd.AT_AddColumn`). */
export const REVERSERS_BY_HANDLE: ReadonlyMap<string, Reverser> = new Map(REVERSERS.flatMap((r) => r.handles.map((h) => [h, r] as const)));
