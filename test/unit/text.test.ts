/** ByteOffsets (UTF-8 bytes → UTF-16 offsets) and LineIndex (offset ↔ line/character, as LSP counts). */
import * as assert from 'node:assert/strict';
import { ByteOffsets, LineIndex, sanitize } from '../../server/src/analysis/text';

/** Reference conversion: the UTF-16 offset of the character that contains byte `b` (or its start). */
function reference(text: string, b: number): number {
  let byte = 0;
  let unit = 0;
  for (const ch of text) {
    const len = Buffer.byteLength(ch, 'utf8');
    if (b < byte + len) return unit;
    byte += len;
    unit += ch.length;
  }
  return unit + (b - byte);
}

describe('ByteOffsets', () => {
  const table: { name: string; text: string; bytes: [number, number][] }[] = [
    { name: 'ASCII maps 1:1', text: 'SELECT 1;', bytes: [[0, 0], [6, 6], [9, 9]] },
    { name: '2-byte char (é)', text: 'café;x', bytes: [[3, 3], [5, 4], [6, 5], [7, 6]] },
    { name: '3-byte char (€, CJK)', text: 'a€b用c', bytes: [[1, 1], [4, 2], [5, 3], [8, 4], [9, 5]] },
    { name: '4-byte char is a surrogate pair (2 units)', text: 'a😀b', bytes: [[1, 1], [5, 3], [6, 4]] },
    { name: 'two emoji in a row', text: '😀😀x', bytes: [[0, 0], [4, 2], [8, 4], [9, 5]] },
    { name: 'offset inside a 2-byte char maps to its start', text: 'xé', bytes: [[2, 1]] },
    { name: 'offsets inside a 3-byte char map to its start', text: 'x用y', bytes: [[2, 1], [3, 1], [4, 2]] },
    { name: 'offsets inside a 4-byte char map to its start', text: 'x😀y', bytes: [[2, 1], [3, 1], [4, 1], [5, 3]] },
    { name: 'non-ASCII first', text: 'é', bytes: [[0, 0], [1, 0], [2, 1]] },
    { name: 'end of text', text: "'😀'", bytes: [[6, 4]] },
    { name: 'U+FFFD from sanitize is 3 bytes', text: sanitize('a\ud800b'), bytes: [[1, 1], [4, 2], [5, 3]] },
  ];
  for (const t of table) {
    it(t.name, () => {
      const o = new ByteOffsets(t.text);
      for (const [byte, unit] of t.bytes) assert.equal(o.toUtf16(byte), unit, `byte ${byte} of ${JSON.stringify(t.text)}`);
    });
  }

  it('agrees with a reference conversion on every byte of a mixed text', () => {
    const text = "-- café ☕\nSELECT '😀;x', \"用户\", 'ü' || 'ß𝄞';\n";
    const o = new ByteOffsets(text);
    const total = Buffer.byteLength(text, 'utf8');
    for (let b = 0; b <= total; b++) assert.equal(o.toUtf16(b), reference(text, b), `byte ${b}`);
  });

  it('maps the byte offset of every character start back to that character', () => {
    const text = 'aé用😀b\u00a0\u2028c';
    const o = new ByteOffsets(text);
    let unit = 0;
    for (const ch of text) {
      assert.equal(o.toUtf16(Buffer.byteLength(text.slice(0, unit), 'utf8')), unit);
      unit += ch.length;
    }
  });
});

describe('sanitize', () => {
  it('keeps the UTF-16 length and replaces NUL and lone surrogates', () => {
    const cases: [string, string][] = [
      ['a\0b', 'a b'],
      ['\ud800x', '\ufffdx'],
      ['x\udc00', 'x\ufffd'],
      ['😀', '😀'],
      ['\udc00\ud800', '\ufffd\ufffd'],
      ['plain', 'plain'],
    ];
    for (const [input, out] of cases) {
      assert.equal(sanitize(input), out, JSON.stringify(input));
      assert.equal(sanitize(input).length, input.length);
    }
  });
});

describe('LineIndex', () => {
  const pos = (line: number, character: number) => ({ line, character });

  it('counts lines for \\n, \\r\\n and lone \\r', () => {
    const table: [string, number][] = [
      ['', 1],
      ['abc', 1],
      ['a\n', 2],
      ['a\nb\n', 3],
      ['a\r\nb', 2],
      ['a\rb', 2],
      ['a\r\n\r\nb', 3],
      ['a\n\rb', 3],
      ['\r\r', 3],
    ];
    for (const [text, lines] of table) assert.equal(new LineIndex(text).lineCount, lines, JSON.stringify(text));
  });

  it('converts offsets to positions', () => {
    const li = new LineIndex('abc\r\ndef\rg\nh');
    const table: [number, { line: number; character: number }][] = [
      [0, pos(0, 0)],
      [3, pos(0, 3)],
      [4, pos(0, 4)], // between \r and \n: still line 0
      [5, pos(1, 0)],
      [8, pos(1, 3)],
      [9, pos(2, 0)],
      [10, pos(2, 1)],
      [11, pos(3, 0)],
      [12, pos(3, 1)],
      [99, pos(3, 1)], // clamped to the end
      [-5, pos(0, 0)], // clamped to the start
    ];
    for (const [offset, p] of table) assert.deepEqual(li.positionAt(offset), p, `offset ${offset}`);
  });

  it('converts positions to offsets, clamping past the end of a line to before its line break', () => {
    const li = new LineIndex('abc\r\ndef\rg\nh');
    const table: [{ line: number; character: number }, number][] = [
      [pos(0, 0), 0],
      [pos(0, 3), 3],
      [pos(0, 4), 3], // would split \r\n
      [pos(0, 99), 3],
      [pos(1, 2), 7],
      [pos(1, 99), 8],
      [pos(2, 99), 10],
      [pos(3, 1), 12],
      [pos(3, 99), 12],
      [pos(9, 0), 12], // past the last line: end of text
      [pos(-1, 3), 0],
      [pos(1, -4), 5],
    ];
    for (const [p, offset] of table) assert.equal(li.offsetAt(p), offset, JSON.stringify(p));
  });

  it('round-trips every offset that is not inside a \\r\\n pair', () => {
    const text = 'SELECT 1;\r\n-- café 😀\n\rCREATE INDEX "用" ON t (a);\r';
    const li = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) {
      if (text[o - 1] === '\r' && text[o] === '\n') continue;
      assert.equal(li.offsetAt(li.positionAt(o)), o, `offset ${o}`);
    }
  });

  it('counts characters in UTF-16 units (an emoji is 2)', () => {
    const li = new LineIndex('x\n😀y');
    assert.deepEqual(li.positionAt(5), pos(1, 3));
    assert.equal(li.offsetAt(pos(1, 2)), 4);
  });

  it('gives line starts, clamped', () => {
    const li = new LineIndex('a\r\nbb\rc\n');
    assert.deepEqual([0, 1, 2, 3, 4, -1].map((l) => li.lineStart(l)), [0, 3, 6, 8, 8, 0]);
  });
});
