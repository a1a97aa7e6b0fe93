// Mocha entry point for the in-host e2e suite. The extension host `require`s the bundle built from this file
// (dist-test/e2e/suite/index.js: esbuild, cjs, mocha bundled in, `vscode` external) and awaits `run()`; a rejected
// promise makes the test run (and the runner process) exit with code 1.
// The test files are bundled into the same file: they are `require`d lazily, after mocha's "pre-require" event has put
// `suite`/`test`/... on the global object, which is what `mocha.addFile()` + `mocha.run()` would do for files on disk.
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  const files: Array<[string, () => unknown]> = [
    ['extension.test', () => require('./extension.test')],
  ];
  return new Promise((resolve, reject) => {
    try {
      for (const [name, load] of files) {
        mocha.suite.emit('pre-require', globalThis as unknown as Mocha.MochaGlobals, name, mocha);
        load();
        mocha.suite.emit('require', undefined, name, mocha);
        mocha.suite.emit('post-require', globalThis, name, mocha);
      }
      const runner = mocha.run((failures) => {
        // The closing, machine-readable line (CI greps it).
        console.log(`${runner.stats?.passes ?? 0} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      console.log('0 passed, 1 failed');
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
