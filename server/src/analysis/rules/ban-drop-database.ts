/** DROP DATABASE in a migration: every client of that database breaks, and the data is gone. */
import type { DropdbStmt } from '@pgsql/types';
import { as } from '../ast';
import { defineRule } from '../rule';

export default defineRule({
  id: 'ban-drop-database',
  description: 'Dropping a database from a migration destroys it and breaks every client that uses it.',
  category: 'compatibility',
  defaultSeverity: 'error',
  recommended: true,
  fixable: false,
  messages: {
    drop: 'DROP DATABASE `{database}` deletes the whole database and breaks every application connected to it.',
  },
  help: 'Remove the statement from the migration; retire a database by hand, after every client has stopped using it.',
  docs: {
    rationale:
      'A migration changes the schema of the database it runs in; dropping a database (this one or another) is never part of that. It deletes every table and all their data at once, and every client that connects to it fails. PostgreSQL also refuses DROP DATABASE inside a transaction block, so most migration tools fail on it anyway. On by default, as in squawk; the default severity is error because the statement is never what a migration means to do.',
    bad: ['DROP DATABASE analytics;', 'DROP DATABASE IF EXISTS legacy_app;'],
    good: ['DROP TABLE IF EXISTS analytics_events;'],
  },
  check({ statement, report }) {
    const drop = as<DropdbStmt>(statement.node, 'DropdbStmt');
    if (drop) report({ messageId: 'drop', data: { database: drop.dbname ?? '?' } });
  },
});
