/** A statement waiting for a blocking lock without lock_timeout → SET lock_timeout (and statement_timeout) before it. */
import { place, reports } from './helpers';
import { defineRewrite } from './rewrite';
import { prologue } from './sql';

export default defineRewrite({
  id: 'add-lock-timeout',
  title: 'Set lock_timeout before this statement',
  description: 'Puts SET lock_timeout (and statement_timeout when configured) before the first statement that waits for a blocking lock, so a blocked migration fails fast instead of queueing traffic.',
  appliesTo: ['require-lock-timeout'],
  examples: [
    {
      before: 'ALTER TABLE users ADD COLUMN nickname text;',
      options: { lockTimeout: '2s', statementTimeout: '1min' },
      phases: [
        `-- [standalone] lock_timeout (no transaction)
-- Fails fast instead of queueing traffic behind a blocked lock request.
SET lock_timeout = '2s';
SET statement_timeout = '1min';
ALTER TABLE users ADD COLUMN nickname text;
`,
      ],
    },
    {
      name: 'already set: nothing to rewrite',
      before: 'SET lock_timeout = \'5s\';\nALTER TABLE $0users ADD COLUMN nickname text;',
      phases: [],
    },
  ],
  rewrite(ctx) {
    if (!reports(ctx, 'require-lock-timeout')) return undefined;
    const up = `${prologue(ctx.options)}${ctx.statement.text};\n`;
    return place(ctx, 'Set lock_timeout before this statement', true, [
      { kind: 'standalone', name: 'lock_timeout', header: '-- Fails fast instead of queueing traffic behind a blocked lock request.', up, inTransaction: ctx.facts.inTransaction },
    ], 'statement');
  },
});
