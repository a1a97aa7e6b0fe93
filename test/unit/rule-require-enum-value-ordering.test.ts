/** require-enum-value-ordering: ALTER TYPE … ADD VALUE without BEFORE or AFTER. */
import rule from '../../server/src/analysis/rules/require-enum-value-ordering';
import { ruleTests } from '../support/ruleTester';

const FIX = { title: 'Add AFTER the current last value', preferred: false };
const MOOD = "CREATE TYPE mood AS ENUM ('sad', 'ok');\n";

ruleTests(rule, {
  valid: [
    "ALTER TYPE order_status ADD VALUE 'cancelled' BEFORE 'shipped';",
    "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy' AFTER 'ok';",
    "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';",
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');",
    'ALTER TYPE mood OWNER TO admin;',
    "ALTER TYPE address ADD ATTRIBUTE zip text;",
  ],
  invalid: [
    {
      sql: "«ALTER TYPE order_status ADD VALUE 'cancelled'»;",
      errors: [{ messageId: 'unknown', data: { value: "'cancelled'", type: 'order_status' } }],
    },
    {
      name: 'the catalog knows the values: the fix says AFTER the last one',
      sql: `${MOOD}«ALTER TYPE mood ADD VALUE 'happy'»;`,
      errors: [{ messageId: 'known', data: { value: "'happy'", type: 'mood', last: "'ok'" }, fix: FIX }],
      output: `${MOOD}ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';`,
    },
    {
      name: 'IF NOT EXISTS, lower case, a quote in the value',
      sql: `${MOOD}«alter type mood add value if not exists 'it''s fine'»;`,
      errors: [{ messageId: 'known', data: { value: "'it''s fine'", last: "'ok'" } }],
      output: `${MOOD}alter type mood add value if not exists 'it''s fine' after 'ok';`,
    },
    {
      name: 'earlier positioned values are placed where they were put',
      sql: `${MOOD}ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';\nALTER TYPE mood ADD VALUE 'great' AFTER 'ok';\n«ALTER TYPE mood ADD VALUE 'happy'»;`,
      errors: [{ messageId: 'known', data: { last: "'great'" } }],
      output: `${MOOD}ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';\nALTER TYPE mood ADD VALUE 'great' AFTER 'ok';\nALTER TYPE mood ADD VALUE 'happy' AFTER 'great';`,
    },
    {
      name: 'schema-qualified type',
      sql: "CREATE TYPE app.mood AS ENUM ('sad');\n«ALTER TYPE app.mood ADD VALUE 'ok'»;",
      errors: [{ messageId: 'known', data: { type: 'app.mood', last: "'sad'" } }],
      output: "CREATE TYPE app.mood AS ENUM ('sad');\nALTER TYPE app.mood ADD VALUE 'ok' AFTER 'sad';",
    },
    {
      name: 'a value the type already has (IF NOT EXISTS): no fix',
      sql: `${MOOD}«ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok'»;`,
      errors: [{ messageId: 'known', data: { value: "'ok'" } }],
    },
  ],
});
