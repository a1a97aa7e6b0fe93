// In-host e2e suite: runs inside a real VS Code extension host (code-server or desktop VS Code) against the extension
// under development, through the real `vscode` API. The workspace is a temp copy of test/e2e/workspace/.
import * as assert from 'assert';
import * as vscode from 'vscode';

const SOURCE = 'migration-guard';
const RULE = 'require-concurrent-index-creation';

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder is open (the runner opens a copy of test/e2e/workspace)');
  return f.uri;
}

function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), ...rel.split('/'));
}

async function open(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

function ours(uri: vscode.Uri, rule?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && (rule === undefined || codeOf(d) === rule));
}

function describe(ds: readonly vscode.Diagnostic[]): string {
  return JSON.stringify(ds.map((d) => ({ source: d.source, code: codeOf(d), message: d.message, line: d.range.start.line })));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 45_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(everyMs);
  }
}

function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  const parts: string[] = [];
  for (const h of hovers ?? []) {
    for (const c of h.contents) {
      if (typeof c === 'string') parts.push(c);
      else if (c && typeof (c as { value?: unknown }).value === 'string') parts.push((c as { value: string }).value);
    }
  }
  return parts.join('\n');
}

suite('Migration Guard e2e (real extension host)', () => {
  suiteSetup(() => {
    console.log(`vscode ${vscode.version}, appName=${vscode.env.appName}, uiKind=${vscode.env.uiKind}, ` +
      `remoteName=${vscode.env.remoteName ?? '-'}, folder=${folder().toString()}`);
  });

  test('1. CREATE INDEX in a migration gets a require-concurrent-index-creation diagnostic', async () => {
    const doc = await open('migrations/0001_add_index.up.sql');
    assert.strictEqual(doc.getText(), 'CREATE INDEX users_email_idx ON users (email);\n');
    const [d] = await waitFor(() => `a ${SOURCE} ${RULE} diagnostic on ${doc.uri.toString()} ` +
      `(languageId ${doc.languageId}); have ${describe(vscode.languages.getDiagnostics(doc.uri))}`, () => {
      const found = ours(doc.uri, RULE);
      return found.length > 0 ? found : undefined;
    });
    assert.strictEqual(d.source, SOURCE);
    assert.strictEqual(codeOf(d), RULE);
  });

  test('2. quick fix "Add CONCURRENTLY" rewrites the statement and clears the diagnostic', async () => {
    const doc = await open('migrations/0001_add_index.up.sql');
    const d = await waitFor(`the ${RULE} diagnostic`, () => ours(doc.uri, RULE)[0]);
    const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>(
      'vscode.executeCodeActionProvider', doc.uri, d.range, undefined, 100 /* resolve lazily computed edits */);
    const titles = (actions ?? []).map((a) => a.title);
    const fix = (actions ?? []).find((a) => a.title.trim() === 'Add CONCURRENTLY');
    assert.ok(fix, `no "Add CONCURRENTLY" code action; got ${JSON.stringify(titles)}`);
    if (typeof fix.command === 'string') {
      // a bare Command
      const cmd = fix as vscode.Command;
      await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    } else {
      const action = fix as vscode.CodeAction;
      assert.ok(action.edit || action.command, 'the code action has neither an edit nor a command');
      if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), 'workspace.applyEdit returned false');
      if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    }
    await waitFor('the edited text', () => doc.getText().includes('CREATE INDEX CONCURRENTLY users_email_idx'), 10_000)
      .catch(() => assert.fail(`document text after the fix: ${JSON.stringify(doc.getText())}`));
    await waitFor(() => `the ${RULE} diagnostic to go away; have ${describe(ours(doc.uri))}`,
      () => ours(doc.uri, RULE).length === 0);
  });

  test('3. a .sql file outside the migration globs gets no diagnostics', async () => {
    const doc = await open('notes/query.sql');
    assert.match(doc.getText(), /^CREATE INDEX users_email_idx ON users \(email\);/);
    // Nothing should ever appear: watch for ~3 s, failing as soon as something does.
    const end = Date.now() + 3_000;
    while (Date.now() < end) {
      assert.deepStrictEqual(ours(doc.uri), [], `unexpected diagnostics: ${describe(ours(doc.uri))}`);
      await sleep(100);
    }
    assert.deepStrictEqual(ours(doc.uri), [], `unexpected diagnostics: ${describe(ours(doc.uri))}`);
  });

  test('4. command migrationGuard.showOutput is registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('migrationGuard.showOutput'),
      `missing; migrationGuard.* commands: ${JSON.stringify(commands.filter((c) => c.startsWith('migrationGuard.')))}`);
  });

  test('5. hover on CREATE INDEX explains the lock (SHARE / ShareLock)', async () => {
    const doc = await open('migrations/0002_hover.up.sql');
    assert.strictEqual(doc.getText(), 'CREATE INDEX i2 ON orders (total);\n');
    let last = '';
    // on "CREATE", then on "INDEX"; poll until the server has the document
    const positions = [new vscode.Position(0, 2), new vscode.Position(0, 8)];
    await waitFor('a hover mentioning ShareLock or SHARE', async () => {
      for (const pos of positions) {
        last = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
        if (/ShareLock|SHARE/.test(last)) return true;
      }
      return false;
    }, 30_000, 200).catch(() => assert.fail(`no hover mentioning ShareLock or SHARE; last hover text: ${JSON.stringify(last)}`));
  });

  test('6. "Generate reverse migration" on an up without a down creates the down file with the reverse statements', async () => {
    const doc = await open('migrations/0003_add_nickname.up.sql');
    const down = fileUri('migrations/0003_add_nickname.down.sql');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(down)), /./, 'the down file exists before the test');
    const action = await waitFor('a "Generate reverse migration" code action', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, 0, 0), undefined, 100);
      return (actions ?? []).find((a) => a.title === 'Generate reverse migration');
    });
    assert.ok(action.command, 'the action runs a command');
    const r = await vscode.commands.executeCommand<{ engine?: { engine: string; verified: boolean; differences: string[] } }>(
      action.command.command, ...(action.command.arguments ?? []));
    // reverse.verify is on by default: the down was run after the up on an engine before it was written.
    assert.ok(r?.engine?.verified, `the reverse was not verified: ${JSON.stringify(r?.engine)}`);
    // The command saves the file it created: read it from disk.
    const text = await waitFor('the down file on disk', async () => {
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(down)) || undefined;
      } catch {
        return undefined;
      }
    }, 20_000);
    assert.strictEqual(text, 'DROP TABLE user_tags;\nALTER TABLE users DROP COLUMN nickname;\n');
  });

  test('7. the rename quick fix replaces RENAME COLUMN with the expand phase and creates the backfill and contract migrations', async () => {
    const doc = await open('migrations/0004_rename_name.up.sql');
    const d = await waitFor(() => `a renaming-column diagnostic; have ${describe(ours(doc.uri))}`, () => ours(doc.uri, 'renaming-column')[0]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, undefined, 100);
    const fix = (actions ?? []).find((a) => /expand-contract/i.test(a.title));
    assert.ok(fix, `no expand-contract action; got ${JSON.stringify((actions ?? []).map((a) => a.title))}`);
    if (fix.edit) assert.ok(await vscode.workspace.applyEdit(fix.edit), 'workspace.applyEdit returned false');
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitFor(() => `the expand phase in the file; text ${JSON.stringify(doc.getText())}`,
      () => !/RENAME COLUMN/.test(doc.getText()) && /ADD COLUMN (IF NOT EXISTS )?full_name/.test(doc.getText()), 20_000);
    // A code action's workspace edit creates the files as open, unsaved documents (as every refactoring does): read the editor's text.
    const read = async (rel: string) => (await vscode.workspace.openTextDocument(fileUri(rel))).getText();
    const backfill = await waitFor('0005_backfill_full_name.up.sql', async () => (await read('migrations/0005_backfill_full_name.up.sql').catch(() => '')) || undefined, 20_000);
    assert.match(backfill, /UPDATE/);
    assert.match(backfill, /COMMIT/);
    const contract = await read('migrations/0006_drop_name.up.sql');
    assert.match(contract, /DROP COLUMN (IF EXISTS )?name/);
    assert.match(await read('migrations/0005_backfill_full_name.down.sql'), /\S/);
    assert.match(await read('migrations/0006_drop_name.down.sql'), /IRREVERSIBLE/);
  });

  test('8. Scaffold Expand/Contract Phases writes the rename migrations (ups and downs) after the folder\'s last one', async () => {
    const folderUri = fileUri('other/migrations');
    const r = await vscode.commands.executeCommand<{ applied: boolean; created: string[] }>('migrationGuard.scaffoldPhases', folderUri,
      { kind: 'rename-column', table: 'accounts', column: 'name', newName: 'display_name' });
    assert.ok(r?.applied, `scaffold was not applied: ${JSON.stringify(r)}`);
    const names = (await vscode.workspace.fs.readDirectory(folderUri)).map(([n]) => n).sort();
    assert.deepStrictEqual(names, [
      '0001_accounts.down.sql', '0001_accounts.up.sql',
      '0002_add_display_name.down.sql', '0002_add_display_name.up.sql',
      '0003_backfill_display_name.down.sql', '0003_backfill_display_name.up.sql',
      // accounts.name is NOT NULL: display_name gets it through a CHECK validated in its own migration.
      '0004_validate_display_name.down.sql', '0004_validate_display_name.up.sql',
      '0005_drop_name.down.sql', '0005_drop_name.up.sql',
    ]);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.path.split('/').pop(), '0002_add_display_name.up.sql');
  });

  test('9. the backfill snippets are offered in completion in a migration', async () => {
    const doc = await open('migrations/0003_add_nickname.up.sql');
    const end = doc.positionAt(doc.getText().length);
    const list = await waitFor('completion items', async () =>
      await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, end));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(snippets.some((l) => /backfill/i.test(l)), `no backfill snippet; snippets: ${JSON.stringify(snippets)}; labels: ${JSON.stringify(labels.slice(0, 40))}`);
  });

  test('10. Trace locks (embedded PostgreSQL) puts the traced locks above each statement and shows a mismatch', async function () {
    this.timeout(240_000);
    await vscode.workspace.getConfiguration('migrationGuard').update('engine', 'pglite', vscode.ConfigurationTarget.Workspace);
    const doc = await open('trace/migrations/0002_index_and_grant.up.sql');
    const lensTitles = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [])
      .map((l) => ({ line: l.range.start.line, title: l.command?.title ?? '' }));
    const before = await waitFor('a "Trace locks" CodeLens', async () => {
      const ls = await lensTitles();
      return ls.some((l) => /Trace locks/.test(l.title)) ? ls : undefined;
    });
    assert.ok(before.some((l) => l.line === 0 && /Expand|Neutral|Contract|Breaking|Mixed/.test(l.title)), `no deploy-phase lens: ${JSON.stringify(before)}`);
    const r = await vscode.commands.executeCommand<{ engine: string; mismatches: number; errors: string[] }>('migrationGuard.traceLocks', doc.uri);
    assert.ok(r, 'the trace returned nothing');
    assert.deepStrictEqual(r.errors, []);
    assert.strictEqual(r.engine, 'pglite');
    const after = await waitFor(() => 'traced lenses', async () => {
      const ls = await lensTitles();
      return ls.some((l) => /traced/.test(l.title)) && ls.some((l) => /mismatch/.test(l.title)) ? ls : undefined;
    }, 60_000);
    const index = after.find((l) => l.line === 0 && /traced/.test(l.title));
    assert.ok(index && /ShareLock on accounts/.test(index.title), `line 1 lens: ${JSON.stringify(after)}`);
    const grant = after.find((l) => l.line === 1 && /mismatch/.test(l.title));
    assert.ok(grant && /AccessShareLock on accounts/.test(grant.title), `line 2 lens: ${JSON.stringify(after)}`);
    const d = await waitFor('a trace-mismatch diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === 'trace-mismatch'));
    assert.strictEqual(d.range.start.line, 1);
  });
});
