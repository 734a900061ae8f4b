/**
 * Preloaded into every test process by scripts/test-all.sh (`node --require`): when the file's last
 * test and hook are done, it leaves a marker `<PC_TEST_DONE_DIR>/<file path, / as __>.done`, and
 * ends a process that something left open once its report has had time to reach the runner.
 *
 * Why the marker: Node's runner counts only the tests a file reported. A file whose process ends
 * early with exit code 0 (a stray `process.exit(0)`, something exiting the event loop) just drops the
 * rest of its tests, and the run still says "0 failed". test-all.sh fails every test file that left
 * no marker.
 *
 * Why the exit here and not `--test-force-exit`: with concurrency, that flag ends a file's process
 * before the tail of its report reaches the runner (nodejs/node#64833): a clean-clone run lost the
 * last 13 verdicts of the conformance suite's paging seed that way, still "0 failed". Here a file
 * ends by itself when nothing is left open; when something is (a test leaked a server), it is ended
 * GRACE_MS after its last hook, with the runner's exit code, and says so on stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The marker's file name for a test file (relative to the working directory). */
export function markerName(testFile: string, cwd: string = process.cwd()): string {
  return `${path.relative(cwd, path.resolve(cwd, testFile)).split(path.sep).join('__')}.done`;
}

/** how long a file's process may stay after its last hook (its report is written by then) */
export const GRACE_MS = 5_000;

const dir = process.env['PC_TEST_DONE_DIR'];
const file = process.argv[1];
// Only the file processes mark (the runner starts them with NODE_TEST_CONTEXT=child…). The orchestrating
// `node --test` process has argv[1] too (the first file named): it marked that file even when its own
// process had ended early, and reported a second, empty run at its exit.
const isFileProcess = (process.env['NODE_TEST_CONTEXT'] ?? '').startsWith('child');
if (dir && file && isFileProcess && /\.test\.[cm]?js$/.test(file)) {
  // (node:test only in a file's process)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { after } = require('node:test') as typeof import('node:test');
  after(() => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, markerName(file)), '');
    // (unref: a process with nothing open ends at once, without waiting for this)
    setTimeout(() => {
      process.stderr.write(`[completion] ${path.relative(process.cwd(), file)}: still running ${GRACE_MS / 1000} s after its last test (something was left open): ended\n`);
      process.exit();
    }, GRACE_MS).unref();
  });
}
