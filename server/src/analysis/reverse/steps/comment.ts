/** COMMENT ON … IS → the old comment, or `IS NULL` when there was none. */
import type { CommentStmt, Node } from '@pgsql/types';
import { commentKey } from '../../catalog';
import { defineReverser, undo } from '../reverser';
import { deparse } from '../sql';

export default defineReverser<CommentStmt>({
  id: 'comment',
  description: 'A comment is set back to the old one, or removed.',
  handles: ['CommentStmt'],
  examples: [
    { schema: 'CREATE TABLE t (a int);', up: "COMMENT ON TABLE t IS 'Things';", down: 'COMMENT ON TABLE t IS NULL;\n' },
    { schema: "CREATE TABLE t (a int);\nCOMMENT ON COLUMN t.a IS 'old';", up: "COMMENT ON COLUMN t.a IS 'new';", down: "COMMENT ON COLUMN t.a IS 'old';\n" },
  ],
  reverse(s, ctx) {
    const old = ctx.catalog.comments.get(commentKey(s));
    const back: CommentStmt = { ...s };
    if (old === undefined) delete back.comment;
    else back.comment = old;
    return undo(deparse({ CommentStmt: back } as Node));
  },
});
