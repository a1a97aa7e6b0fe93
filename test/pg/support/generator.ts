/**
 * The generated downs the round trip checks: `reverseForMigration` (the reverse-migration generator, with the
 * catalog of the folder's earlier migrations), adapted to the harness's `Generator`.
 */
import { reverseForMigration } from '../../../server/src/analysis/reverse/target';
import type { Generator } from './roundtrip';

export function generator(): Generator {
  return (upPath, host) => {
    const { result } = reverseForMigration(upPath, host);
    return { sql: result.sql, complete: result.complete, irreversible: result.irreversible };
  };
}
