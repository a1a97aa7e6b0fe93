/** plpgsql.ts: the statements a DO block or routine body runs, with their spans in the enclosing statement. */
import * as assert from 'node:assert/strict';
import { initParser, parseFile } from '../../server/src/analysis';
import { bodiesRunBy, bodyOf, constantString } from '../../server/src/analysis/plpgsql';

/** [kind, text at the span, via EXECUTE] of each embedded statement, and the dynamic EXECUTE expressions. */
function body(sql: string) {
  const s = parseFile(sql).statements[0];
  const b = bodyOf(s.text, s.node);
  return b && { statements: b.statements.map((e) => [e.kind, s.text.slice(e.span.start, e.span.end), e.viaExecute]), dynamic: b.dynamic.map((d) => s.text.slice(d.span.start, d.span.end)) };
}

describe('plpgsql: statements inside bodies', () => {
  before(async () => {
    await initParser();
  });

  it('finds static statements in nested blocks, loops and exception handlers, in order', () => {
    const sql = 'DO $$\nDECLARE r record;\nBEGIN\n  IF true THEN\n    ALTER TABLE a ADD x int;\n  END IF;\n  FOR r IN SELECT 1 LOOP\n    DELETE FROM b;\n  END LOOP;\nEXCEPTION WHEN others THEN\n  DROP TABLE c;\nEND $$;';
    assert.deepEqual(body(sql)?.statements, [
      ['AlterTableStmt', 'ALTER TABLE a ADD x int', false],
      ['DeleteStmt', 'DELETE FROM b', false],
      ['DropStmt', 'DROP TABLE c', false],
    ]);
  });

  it('parses EXECUTE of constant strings and reports the others as dynamic', () => {
    const sql = "DO $$ DECLARE t text; BEGIN EXECUTE 'ALTER TABLE a ' || 'ADD x int'; EXECUTE E'DROP TABLE b'; EXECUTE $q$DROP TABLE c$q$; EXECUTE format('DROP TABLE %I', t); EXECUTE t; END $$;";
    assert.deepEqual(body(sql), {
      statements: [
        ['AlterTableStmt', "'ALTER TABLE a ' || 'ADD x int'", true],
        ['DropStmt', "E'DROP TABLE b'", true],
        ['DropStmt', '$q$DROP TABLE c$q$', true],
      ],
      dynamic: ["format('DROP TABLE %I', t)", 't'],
    });
  });

  it('folds constants', () => {
    assert.equal(constantString("'a' || 'b' || $x$c$x$"), 'abc');
    assert.equal(constantString("'a'::text"), 'a');
    assert.equal(constantString("'a' || t"), undefined);
    assert.equal(constantString('42'), undefined);
  });

  it('reads SQL-language bodies, quoted or BEGIN ATOMIC', () => {
    assert.deepEqual(body("CREATE PROCEDURE p() LANGUAGE sql AS 'UPDATE users SET a = 1; DELETE FROM t'")?.statements, [
      ['UpdateStmt', 'UPDATE users SET a = 1', false],
      ['DeleteStmt', 'DELETE FROM t', false],
    ]);
    const atomic = 'CREATE FUNCTION f() RETURNS void BEGIN ATOMIC UPDATE users SET a = 1; END';
    assert.deepEqual(body(atomic)?.statements, [['UpdateStmt', atomic, false]]);
  });

  it('skips other languages, bodies that do not compile, and other statements', () => {
    assert.equal(body("DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE t') $$;"), undefined);
    assert.equal(body('DO $$ BEGIN FOR r IN SELECT 1 LOOP END LOOP; END $$;'), undefined); // r is not declared
    assert.equal(body('SELECT 1;'), undefined);
  });

  it('places a statement on its own line, past a comment that repeats it', () => {
    const sql = 'DO $$\nBEGIN\n  -- DROP TABLE t\n  DROP TABLE t;\nEND $$;';
    const s = parseFile(sql).statements[0];
    const [e] = bodyOf(s.text, s.node)!.statements;
    assert.equal(e.span.start, sql.indexOf('  DROP') + 2);
  });

  it('runs the bodies of routines the statement calls, when the file defines them earlier', () => {
    const sql = 'CREATE PROCEDURE app.p() LANGUAGE plpgsql AS $$ BEGIN DROP TABLE t; END $$;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCALL app.p();\nSELECT f(), g();\nCALL p();';
    const statements = parseFile(sql).statements;
    const runs = (i: number) => bodiesRunBy(statements[i], statements).map((r) => [r.routine, r.definedBy.index, r.body.statements.map((e) => e.kind)]);
    assert.deepEqual(runs(2), [['app.p', 0, ['DropStmt']]]);
    assert.deepEqual(runs(3), [['f', 1, ['SelectStmt']]]);
    assert.deepEqual(runs(4), [], 'p() resolves to public.p, which the file does not define');
    assert.deepEqual(runs(0), [], 'a definition runs nothing');
  });
});
