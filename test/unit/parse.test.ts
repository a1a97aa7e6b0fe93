/**
 * The parsing layer: offsets, recovery and odd input. Parsing never fails: a broken statement is a diagnostic, and
 * every other statement keeps its syntax tree and its findings. Offsets are UTF-16 and map exactly to the user's text.
 */
import * as assert from 'node:assert/strict';
import { analyze, initParser, parseFile, type AnalysisResult } from '../../server/src/analysis';

/** The rules whose findings this suite asserts; a rule added to the registry later does not change them. */
const CHECKED = new Set(['require-concurrent-index-creation', 'require-lock-timeout', 'syntax-error', 'renaming-column', 'psql-meta-command', 'ban-concurrent-index-creation-in-transaction']);
const checked = (f: { ruleId: string }) => CHECKED.has(f.ruleId);

/** `ruleId: text under the span` of every finding of the checked rules, in order. */
function findings(sql: string, r: AnalysisResult = analyze(sql)): string[] {
  return r.findings.filter(checked).map((f) => `${f.ruleId}: ${sql.slice(f.span.start, f.span.end)}`);
}

/** Rule ids of every finding of the checked rules, in order. */
function ruleIds(sql: string): string[] {
  return analyze(sql).findings.filter(checked).map((f) => f.ruleId);
}

/** Every statement's text, which must be exactly the source under its span. */
function statements(sql: string): string[] {
  const file = parseFile(sql);
  for (const s of file.statements) {
    assert.equal(s.text, sql.slice(s.span.start, s.span.end), `statement ${s.index} text differs from its span`);
    assert.ok(s.span.start <= s.span.end && s.span.end <= s.end && s.end <= sql.length, `statement ${s.index} offsets out of order`);
  }
  return file.statements.map((s) => (s.error ? `!${s.text}` : s.text));
}

const INDEX_A = 'CREATE INDEX a ON t (x)';
const INDEX_B = 'CREATE INDEX b ON t (x)';
const CONCURRENT = 'require-concurrent-index-creation';

describe('parsing', () => {
  before(async () => {
    await initParser();
  });

  describe('offsets with non-ASCII text before a finding', () => {
    const INDEX_CJK = 'CREATE INDEX "索引" ON "用户" ("名")';
    const prefixes: [string, string][] = [
      ['-- café', '-- café\n'],
      ['emoji in a string literal', "SELECT '😀;x';\n"],
      ['CJK identifiers in quotes', 'SELECT "名" FROM "用户";\n'],
      ['all of them, with a block comment', "-- café ☕\n/* 😀 */ SELECT '😀;x', \"用户\";\n"],
    ];
    for (const [name, prefix] of prefixes) {
      for (const [path, broken] of [['whole-file parse', ''], ['recovery parse', 'SELEC 1;\n']] as const) {
        it(`${name} (${path})`, () => {
          const sql = `${prefix}${broken}${INDEX_CJK};\n${INDEX_B};`;
          const r = analyze(sql);
          const f = r.findings.filter((x) => x.ruleId === CONCURRENT);
          assert.deepEqual(f.map((x) => sql.slice(x.span.start, x.span.end)), [INDEX_CJK, INDEX_B]);
          assert.equal(f[0].span.start, sql.indexOf(INDEX_CJK));
          assert.match(f[0].message, /`用户`/);
          const s = r.file.statements.find((x) => x.span.start === f[0].span.start);
          assert.equal(s?.text, INDEX_CJK);
          assert.deepEqual(r.file.lines.positionAt(f[1].span.start), { line: sql.split('\n').length - 1, character: 0 });
        });
      }
    }

    // PostgreSQL reports error positions in code points; an emoji is one code point but two UTF-16 units.
    for (const name of ['名', '😀', 'éé', '😀名é😀']) {
      it(`a syntax error after non-ASCII text points at the offending word ("${name}")`, () => {
        const sql = `SELECT '😀 café 用户';\nALTER TABLE "${name}" DROPP COLUMN x;\nSELECT "${name}" FROM;`;
        // "at end of input" is shown on the last character of the statement.
        assert.deepEqual(findings(sql), ['syntax-error: DROPP', 'syntax-error: M']);
      });
    }
  });

  describe('CRLF line endings', () => {
    const sql = `-- header\r\n${INDEX_A};\r\n\r\nALTER TABLE users\r\n  RENAME COLUMN a TO b;\r\n`;

    it('statement spans exclude the line breaks', () => {
      assert.deepEqual(statements(sql), [INDEX_A, 'ALTER TABLE users\r\n  RENAME COLUMN a TO b']);
    });

    it('findings land on the right lines and characters', () => {
      const r = analyze(sql);
      const pos = r.findings.filter(checked).map((f) => [f.ruleId, r.file.lines.positionAt(f.span.start), r.file.lines.positionAt(f.span.end)]);
      assert.deepEqual(pos, [
        [CONCURRENT, { line: 1, character: 0 }, { line: 1, character: 23 }],
        ['require-lock-timeout', { line: 1, character: 0 }, { line: 1, character: 23 }],
        ['renaming-column', { line: 3, character: 0 }, { line: 4, character: 22 }],
      ]);
    });

    it('CRLF with a syntax error (recovery parse)', () => {
      const s = `${INDEX_A}\r\n;\r\nSELEC 1;\r\n${INDEX_B}`;
      assert.deepEqual(statements(s), [INDEX_A, '!SELEC 1', INDEX_B]);
      assert.deepEqual(ruleIds(s), [CONCURRENT, 'require-lock-timeout', 'syntax-error', CONCURRENT]);
    });
  });

  describe('a syntax error leaves the other statements analyzed', () => {
    it('statements before and after keep their findings', () => {
      const sql = `${INDEX_A};\nALTER TABLE users ADD COLUMN;\n${INDEX_B};`;
      assert.deepEqual(statements(sql), [INDEX_A, '!ALTER TABLE users ADD COLUMN', INDEX_B]);
      assert.deepEqual(findings(sql), [`${CONCURRENT}: ${INDEX_A}`, `require-lock-timeout: ${INDEX_A}`, 'syntax-error: N', `${CONCURRENT}: ${INDEX_B}`]);
    });

    it('several broken statements', () => {
      const sql = `SELEC 1;\n${INDEX_A};\nINSRT INTO t VALUES (1);\n${INDEX_B};\nDELET FROM t;`;
      assert.deepEqual(statements(sql), ['!SELEC 1', INDEX_A, '!INSRT INTO t VALUES (1)', INDEX_B, '!DELET FROM t']);
      assert.deepEqual(ruleIds(sql).filter((r) => r === 'syntax-error').length, 3);
      assert.deepEqual(ruleIds(sql).filter((r) => r === CONCURRENT).length, 2);
    });

    it('the broken statement keeps its index; facts of later statements still see earlier ones', () => {
      const sql = 'BEGIN;\nSELEC 1;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;';
      assert.deepEqual(findings(sql), ['syntax-error: SELEC', 'ban-concurrent-index-creation-in-transaction: CREATE INDEX CONCURRENTLY i ON t (a)']);
    });
  });

  describe('dollar quoting', () => {
    const FN = "CREATE FUNCTION f() RETURNS text AS $body$ SELECT 'a;b'; -- not a comment; $body$ LANGUAGE sql";
    const NESTED =
      "CREATE FUNCTION g() RETURNS void AS $outer$\nBEGIN\n  EXECUTE $inner$ SELECT ';', 'it''s' $inner$;\n  PERFORM $$;$$;\nEND\n$outer$ LANGUAGE plpgsql";
    const DO = "DO $$ BEGIN RAISE NOTICE 'x;y'; END $$";

    for (const [path, broken] of [['whole-file parse', ''], ['recovery parse', 'SELEC 1;\n']] as const) {
      it(`bodies with ; and ' stay one statement (${path})`, () => {
        const sql = `${broken}${FN};\n${NESTED};\n${DO};\n${INDEX_A};`;
        const expected = [...(broken ? ['!SELEC 1'] : []), FN, NESTED, DO, INDEX_A];
        assert.deepEqual(statements(sql), expected);
        assert.deepEqual(
          parseFile(sql).statements.map((s) => s.kind),
          [...(broken ? ['Invalid'] : []), 'CreateFunctionStmt', 'CreateFunctionStmt', 'DoStmt', 'IndexStmt'],
        );
        assert.ok(findings(sql).includes(`${CONCURRENT}: ${INDEX_A}`));
      });
    }

    it('a dollar sign inside an identifier or a parameter is not a quote', () => {
      const sql = 'PREPARE p AS SELECT a$b FROM t WHERE id = $1;\nSELEC 1;\nSELECT 2;';
      assert.deepEqual(statements(sql), ['PREPARE p AS SELECT a$b FROM t WHERE id = $1', '!SELEC 1', 'SELECT 2']);
    });
  });

  describe('BEGIN ATOMIC bodies', () => {
    const ATOMIC =
      'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;\nEND';
    const PROC = 'CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); DELETE FROM t; END';

    it('inner semicolons do not split (whole-file parse)', () => {
      assert.deepEqual(statements(`${ATOMIC};\n${PROC};\n${INDEX_A};`), [ATOMIC, PROC, INDEX_A]);
    });

    it('inner semicolons do not split when another statement has a syntax error (scanner splitter)', () => {
      const sql = `SELEC 1;\n${ATOMIC};\n${PROC};\n${INDEX_A};`;
      assert.deepEqual(statements(sql), ['!SELEC 1', ATOMIC, PROC, INDEX_A]);
      assert.deepEqual(parseFile(sql).statements.map((s) => s.kind), ['Invalid', 'CreateFunctionStmt', 'CreateFunctionStmt', 'IndexStmt']);
      assert.deepEqual(ruleIds(sql), ['syntax-error', CONCURRENT, 'require-lock-timeout']);
    });

    it('inner semicolons do not split when the file ends in an open literal (recovery lexer)', () => {
      const sql = `${ATOMIC};\n${PROC};\n${INDEX_A};\nSELECT 'open`;
      assert.deepEqual(statements(sql), [ATOMIC, PROC, INDEX_A, "!SELECT 'open"]);
      assert.deepEqual(ruleIds(sql), [CONCURRENT, 'require-lock-timeout', 'syntax-error']);
    });
  });

  describe('psql meta-commands', () => {
    it('one info finding per line, no syntax error, the SQL around them analyzed', () => {
      const sql = `\\set ON_ERROR_STOP on\n${INDEX_A};\n\\i x.sql\n\\connect db\n${INDEX_B};\n`;
      const r = analyze(sql);
      assert.deepEqual(
        r.findings.filter((f) => f.ruleId === 'psql-meta-command').map((f) => [sql.slice(f.span.start, f.span.end), f.severity, f.statementIndex]),
        [['\\set ON_ERROR_STOP on', 'info', -1], ['\\i x.sql', 'info', -1], ['\\connect db', 'info', -1]],
      );
      assert.ok(!r.findings.some((f) => f.ruleId === 'syntax-error'));
      assert.deepEqual(statements(sql), [INDEX_A, INDEX_B]);
      assert.deepEqual(r.file.psqlLines.length, 3);
    });

    it('a meta-command between the lines of a statement is skipped', () => {
      const sql = 'CREATE INDEX a\n\\echo hi\nON t (x);';
      assert.deepEqual(findings(sql), [`${CONCURRENT}: ${sql.slice(0, -1)}`, `require-lock-timeout: ${sql.slice(0, -1)}`, 'psql-meta-command: \\echo hi']);
    });
  });

  describe('Flyway placeholders', () => {
    it('${schema}.users parses, and messages name the placeholder', () => {
      const sql = 'CREATE INDEX i ON ${schema}.users (email);';
      const r = analyze(sql);
      assert.deepEqual(findings(sql, r), [`${CONCURRENT}: CREATE INDEX i ON \${schema}.users (email)`, 'require-lock-timeout: CREATE INDEX i ON ${schema}.users (email)']);
      assert.match(r.findings.filter(checked)[0].message, /`\$\{schema\}\.users`/);
    });

    it('a table created under a placeholder schema is recognized later (both parse paths)', () => {
      for (const broken of ['', 'SELEC 1;\n']) {
        const sql = `${broken}CREATE TABLE \${schema}.users (id int);\nCREATE INDEX i ON \${schema}.users (id);\nCREATE INDEX j ON \${other}.users (id);`;
        const r = analyze(sql);
        assert.deepEqual(
          r.findings.filter((f) => f.ruleId === CONCURRENT).map((f) => f.message),
          ['CREATE INDEX takes a SHARE lock on `${other}.users`, blocking writes until the index is built.'],
        );
      }
    });

    it('placeholders in strings, names and with flyway: prefixes', () => {
      const sql = "GRANT SELECT ON ${schema}.t TO ${flyway:user};\nINSERT INTO t (v) VALUES ('${value}');\nALTER TABLE t_${suffix} RENAME COLUMN a TO b;";
      const r = analyze(sql);
      assert.ok(!r.findings.some((f) => f.ruleId === 'syntax-error'));
      assert.match(r.findings.find((f) => f.ruleId === 'renaming-column')?.message ?? '', /`t_\$\{suffix\}\.a`/);
    });
  });

  describe('Go-template and psql-variable placeholders', () => {
    it('supabase/auth style {{ index .Options "Namespace" }} parses, and messages name the template', () => {
      const sql = 'CREATE INDEX i ON {{ index .Options "Namespace" }}.users (email);';
      const r = analyze(sql);
      assert.ok(!r.findings.some((f) => f.ruleId === 'syntax-error'), JSON.stringify(r.findings.map((f) => f.message)));
      assert.match(r.findings.find((f) => f.ruleId === CONCURRENT)?.message ?? '', /`\{\{ index \.Options "Namespace" \}\}\.users`/);
    });

    it("graphile-worker's :GRAPHILE_WORKER_SCHEMA and psql's :'name' / :\"name\" parse", () => {
      const sql = "create table :GRAPHILE_WORKER_SCHEMA.jobs (id bigint);\ncreate index j on :\"schema\".jobs (id);\nselect :'value';";
      const r = analyze(sql);
      assert.ok(!r.findings.some((f) => f.ruleId === 'syntax-error'), JSON.stringify(r.findings.map((f) => f.message)));
      assert.equal(parseFile(sql).statements.length, 3);
    });

    it('leaves casts, array slices and := alone', () => {
      const sql = "SELECT x::TEXT, arr[1:N], arr[i:j] FROM t;\nDO $$ DECLARE v int; BEGIN v := 1; END $$;";
      const r = analyze(sql);
      assert.ok(!r.findings.some((f) => f.ruleId === 'syntax-error'));
      const sel = parseFile(sql).statements[0].node as unknown as { SelectStmt: { targetList: unknown[] } };
      // `x::TEXT` is still a cast: the parser saw the real text.
      assert.match(JSON.stringify(sel.SelectStmt.targetList[0]), /TypeCast/);
    });
  });

  describe('unterminated literals: one clear diagnostic, statements before it still analyzed', () => {
    const cases: [string, string, string][] = [
      ['string', "INSERT INTO t VALUES ('abc);\nSELECT 1;", 'string literal'],
      ['quoted identifier', 'SELECT "abc;\nSELECT 1;', 'quoted identifier'],
      ['dollar body', 'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\nSELECT 2;', 'dollar-quoted body $$'],
      ['tagged dollar body', 'DO $fn$ BEGIN NULL; END $other$;', 'dollar-quoted body $fn$'],
      ['block comment', '/* never closed;\nSELECT 1;', 'comment'],
      ['nested block comment', '/* outer /* inner */ still open;', 'comment'],
    ];
    for (const [name, tail, what] of cases) {
      it(name, () => {
        const sql = `${INDEX_A};\nALTER TABLE users RENAME COLUMN a TO b;\n${tail}`;
        const r = analyze(sql);
        const syntax = r.findings.filter((f) => f.ruleId === 'syntax-error');
        assert.equal(syntax.length, 1, findings(sql, r).join('\n'));
        assert.match(syntax[0].message, new RegExp(`^The ${what.replace(/\$/g, '\\$')} that starts here is never closed`));
        assert.equal(syntax[0].span.start, sql.indexOf(tail) + tail.search(/['"$]|\/\*/));
        assert.deepEqual(ruleIds(sql).filter((x) => x !== 'syntax-error'), [CONCURRENT, 'require-lock-timeout', 'renaming-column']);
      });
    }
  });

  describe('pg_dump COPY … FROM stdin', () => {
    const COPY = "COPY public.t (a, b, c) FROM stdin;\n1\tx;y\t$$\n2\tit's\t\\N\n3\t-- no\t/* no\n\\.\n";
    for (const [path, broken] of [['whole-file parse', ''], ['recovery parse', 'SELEC 1;\n']] as const) {
      it(`the data is skipped and the next statements are parsed (${path})`, () => {
        const sql = `${broken}${COPY}${INDEX_A};\nALTER TABLE users RENAME COLUMN a TO b;`;
        assert.deepEqual(statements(sql), [...(broken ? ['!SELEC 1'] : []), 'COPY public.t (a, b, c) FROM stdin', INDEX_A, 'ALTER TABLE users RENAME COLUMN a TO b']);
        assert.deepEqual(ruleIds(sql).filter((x) => x !== 'syntax-error'), [CONCURRENT, 'require-lock-timeout', 'renaming-column']);
        assert.equal(ruleIds(sql).filter((x) => x === 'syntax-error').length, broken ? 1 : 0);
      });
    }

    it('COPY with options, and CSV data', () => {
      const sql = "COPY t FROM STDIN WITH (FORMAT csv);\na,\"b;c\"\n\\.\nSELECT 1;";
      assert.deepEqual(statements(sql), ['COPY t FROM STDIN WITH (FORMAT csv)', 'SELECT 1']);
    });

    it('COPY … TO stdout has no data', () => {
      assert.deepEqual(statements('COPY t TO STDOUT;\nSELECT 1;'), ['COPY t TO STDOUT', 'SELECT 1']);
    });
  });

  describe('the last parse is reused for the same text', () => {
    it('returns the same ParsedFile for the same text, a new one for other text', () => {
      const a = parseFile('CREATE INDEX i ON t (a);');
      assert.equal(parseFile('CREATE INDEX i ON t (a);'), a);
      const b = parseFile('CREATE INDEX j ON t (a);');
      assert.notEqual(b, a);
      assert.equal(b.statements[0].text, 'CREATE INDEX j ON t (a)');
    });
  });

  describe('odd input', () => {
    const empty: [string, string][] = [
      ['empty file', ''],
      ['whitespace only', '  \n\t\r\n \f '],
      ['only comments', '-- one\n/* two\n three */\n-- /* four'],
      ['only semicolons', ';;\n;'],
    ];
    for (const [name, sql] of empty) {
      it(name, () => {
        const r = analyze(sql);
        assert.deepEqual(r.file.statements, []);
        assert.deepEqual(r.findings, []);
      });
    }

    it('a ~5 MB generated migration (60,000 statements)', function () {
      this.timeout(120_000);
      const parts: string[] = [];
      for (let i = 0; i < 60_000; i++) {
        parts.push(
          i % 1000 === 0
            ? `CREATE INDEX idx_${i} ON big_${i} (col_${i});`
            : `INSERT INTO big_${i} (id, name, payload) VALUES (${i}, 'name ${i}', '{"k": ${i}, "s": "x;y"}');`,
        );
      }
      const sql = `${parts.join('\n')}\n`;
      assert.ok(sql.length > 5_000_000, `${sql.length} characters`);
      const r = analyze(sql);
      assert.equal(r.file.statements.length, 60_000);
      const idx = r.findings.filter((f) => f.ruleId === CONCURRENT);
      assert.equal(idx.length, 60);
      assert.equal(sql.slice(idx[59].span.start, idx[59].span.end), 'CREATE INDEX idx_59000 ON big_59000 (col_59000)');
      assert.equal(r.findings.filter((f) => f.ruleId === 'require-lock-timeout').length, 1);
      assert.equal(r.findings.filter(checked).length, 61);
    });

    it('NUL bytes inside and between statements', () => {
      const sql = `CREATE\0 INDEX a ON t (x);\0\0\n${INDEX_B};\nSELECT 'a\0b';`;
      assert.deepEqual(statements(sql), ['CREATE\0 INDEX a ON t (x)', INDEX_B, "SELECT 'a\0b'"]);
      assert.deepEqual(
        analyze(sql).findings.filter((f) => f.ruleId === CONCURRENT).map((f) => sql.slice(f.span.start, f.span.end)),
        ['CREATE\0 INDEX a ON t (x)', INDEX_B],
      );
    });

    it('lone surrogates (as from invalid UTF-8 or a cut surrogate pair)', () => {
      const sql = `SELECT '\ud800';\nSELECT "x\udc00";\n${INDEX_A};`;
      assert.deepEqual(statements(sql), ["SELECT '\ud800'", 'SELECT "x\udc00"', INDEX_A]);
      assert.deepEqual(findings(sql), [`${CONCURRENT}: ${INDEX_A}`, `require-lock-timeout: ${INDEX_A}`]);
    });

    it('invalid UTF-8 decoded with U+FFFD', () => {
      const bytes = Buffer.concat([Buffer.from("SELECT '"), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(`';\n${INDEX_A};`)]);
      const sql = bytes.toString('utf8');
      assert.ok(sql.includes('\ufffd'));
      assert.deepEqual(findings(sql), [`${CONCURRENT}: ${INDEX_A}`, `require-lock-timeout: ${INDEX_A}`]);
    });

    it('a binary junk buffer decoded as latin1: syntax errors, no throw', () => {
      const junk = Buffer.alloc(4096);
      let seed = 42;
      for (let i = 0; i < junk.length; i++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        junk[i] = seed >> 16;
      }
      for (const sql of [junk.toString('latin1'), `${INDEX_A};\n${junk.toString('latin1')}`]) {
        const r = analyze(sql);
        assert.ok(r.findings.some((f) => f.ruleId === 'syntax-error'));
        for (const f of r.findings) assert.ok(f.span.start >= 0 && f.span.end <= sql.length && f.span.start <= f.span.end);
      }
      assert.equal(analyze(`${INDEX_A};\n${junk.toString('latin1')}`).findings.filter(checked)[0].ruleId, CONCURRENT);
    });

    it('MySQL syntax: syntax errors, no throw, PostgreSQL statements still analyzed', () => {
      const sql = [
        'CREATE TABLE `users` (`id` int NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;',
        'ALTER TABLE `users` ADD COLUMN `email` varchar(255) AFTER `id`;',
        INDEX_A + ';',
        "INSERT INTO t VALUES ('it\\'s');",
      ].join('\n');
      const r = analyze(sql);
      // Two backtick statements, then the MySQL escape \' leaves a string open to the end of the file.
      assert.deepEqual(r.findings.filter((f) => f.ruleId === 'syntax-error').map((f) => sql.slice(f.span.start, f.span.end)), ['`', '`', "'"]);
      assert.ok(findings(sql, r).includes(`${CONCURRENT}: ${INDEX_A}`));
    });

    it("MySQL backslash escape opens a string PostgreSQL never closes", () => {
      const sql = `${INDEX_A};\nINSERT INTO t VALUES ('it\\'s');`;
      assert.deepEqual(findings(sql), [`${CONCURRENT}: ${INDEX_A}`, `require-lock-timeout: ${INDEX_A}`, "syntax-error: '"]);
    });

    it('a statement without a trailing semicolon at the end of the file', () => {
      const sql = `SELECT 1;\n${INDEX_A}\n-- trailing comment\n`;
      const file = parseFile(sql);
      assert.deepEqual(statements(sql), ['SELECT 1', INDEX_A]);
      assert.equal(file.statements[1].end, file.statements[1].span.end, 'no terminator');
      assert.deepEqual(findings(sql), [`${CONCURRENT}: ${INDEX_A}`, `require-lock-timeout: ${INDEX_A}`]);
    });

    it('empty statements (;;) are not statements', () => {
      const sql = `;;\n${INDEX_A};;;\n;${INDEX_B};`;
      assert.deepEqual(statements(sql), [INDEX_A, INDEX_B]);
      assert.deepEqual(parseFile(sql).statements.map((s) => s.index), [0, 1]);
    });

    it('statements separated only by comments (no newline)', () => {
      const sql = `${INDEX_A}/* c */;/* d */${INDEX_B}--e\n;SELECT 1`;
      assert.deepEqual(statements(sql), [INDEX_A, INDEX_B, 'SELECT 1']);
      assert.deepEqual(
        analyze(sql).findings.filter((f) => f.ruleId === CONCURRENT).map((f) => sql.slice(f.span.start, f.span.end)),
        [INDEX_A, INDEX_B],
      );
    });

    it('terminator end includes the semicolon after whitespace', () => {
      const sql = `${INDEX_A}  \n ;SELECT 1;`;
      const s = parseFile(sql).statements;
      assert.equal(s[0].end, sql.indexOf(';') + 1);
      assert.equal(s[1].end, sql.length);
    });

    it('comments are collected with their text', () => {
      const sql = "-- a\nSELECT 1; /* b */ SELECT '-- not';\n-- c";
      assert.deepEqual(parseFile(sql).comments.map((c) => [c.text, sql.slice(c.start, c.end)]), [
        ['-- a', '-- a'],
        ['/* b */', '/* b */'],
        ['-- c', '-- c'],
      ]);
    });
  });
});
