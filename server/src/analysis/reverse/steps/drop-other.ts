/** DROP of an object whose definition the static catalog does not keep (domain, policy, rule, collation, …). */
import type { DropStmt } from '@pgsql/types';
import { defineReverser, irreversible } from '../reverser';

export default defineReverser<DropStmt>({
  id: 'drop-other',
  description: 'Dropping an object whose definition is not kept statically cannot be undone.',
  handles: ['DropStmt'],
  examples: [
    {
      schema: 'CREATE TABLE t (a int);\nCREATE POLICY p ON t USING (a > 0);',
      up: 'DROP POLICY p ON t;',
      down: '-- IRREVERSIBLE: the definition of the dropped policy is not kept statically\n',
      irreversible: ['the definition of the dropped policy is not kept statically'],
    },
  ],
  reverse(s) {
    const what = (s.removeType ?? 'OBJECT_?').replace(/^OBJECT_/, '').replace(/_/g, ' ').toLowerCase();
    return irreversible(`the definition of the dropped ${what} is not kept statically`);
  },
});
