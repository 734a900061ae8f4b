/**
 * Preloaded into every test process by scripts/test-all.sh (`node --require`): when the file's last
 * test and hook are done, it leaves a marker `<PC_TEST_DONE_DIR>/<file path, / as __>.done`.
 *
 * Why: Node's runner counts only the tests a file reported. A file whose process ends early with
 * exit code 0 (a stray `process.exit(0)`, something exiting the event loop) just drops the rest of its
 * tests, and the run still says "0 failed". test-all.sh fails every test file that left no marker.
 */
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The marker's file name for a test file (relative to the working directory). */
export function markerName(testFile: string, cwd: string = process.cwd()): string {
  return `${path.relative(cwd, path.resolve(cwd, testFile)).split(path.sep).join('__')}.done`;
}

const dir = process.env['PC_TEST_DONE_DIR'];
const file = process.argv[1];
// The orchestrating `node --test` process has no test file of its own: only the file processes mark.
if (dir && file && /\.test\.[cm]?js$/.test(file)) {
  after(() => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, markerName(file)), '');
  });
}
