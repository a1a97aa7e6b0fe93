/** tokens.ts: PostgreSQL's scanner with UTF-16 offsets, and identifier quoting for generated SQL. */
import * as assert from 'node:assert/strict';
import { initParser } from '../../server/src/analysis';
import { findWords, quoteIdent, tokenize } from '../../server/src/analysis/tokens';

describe('tokens', () => {
  before(async () => {
    await initParser();
  });

  it('gives UTF-16 offsets past non-ASCII text, folds words, drops comments', () => {
    const text = 'ALTER /* ☕ */ TABLE "Usér😀" -- x\n ADD json';
    const tokens = tokenize(text);
    assert.deepEqual(tokens.map((t) => [text.slice(t.start, t.end), t.word]), [
      ['ALTER', 'alter'],
      ['TABLE', 'table'],
      ['"Usér😀"', 'Usér😀'],
      ['ADD', 'add'],
      ['json', 'json'],
    ]);
  });

  it('finds word sequences, never inside quoted identifiers', () => {
    const tokens = tokenize('DISABLE TRIGGER "all"; DISABLE TRIGGER ALL');
    assert.equal(findWords(tokens, ['disable', 'trigger', 'all']), 4);
  });

  it('returns no tokens for text the scanner rejects', () => {
    assert.deepEqual(tokenize("SELECT 'open"), []);
  });

  it('quotes identifiers only when needed', () => {
    assert.equal(quoteIdent('orders_user_id_idx'), 'orders_user_id_idx');
    assert.equal(quoteIdent('json'), 'json'); // a column-name keyword is a valid identifier
    assert.equal(quoteIdent('order'), '"order"');
    assert.equal(quoteIdent('userId'), '"userId"');
    assert.equal(quoteIdent('a"b'), '"a""b"');
  });
});
