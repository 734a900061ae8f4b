/**
 * The completion marker (test/runner/completion.ts) tells a test file that ran to its end from one
 * whose process ended early with exit code 0 - which Node's runner reports as a clean, shorter run.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { markerName } from './completion';
import { repoRoot } from '../harness/paths';

const preload = path.join(__dirname, 'completion.js');

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv['NODE_TEST_CONTEXT']; // we run inside node --test: the child must be a runner of its own
    const child = spawn(process.execPath, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test('a file that exits early with code 0 leaves no marker; a complete one does', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-completion-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'early.test.js'),
      [
        "const { test } = require('node:test');",
        "test('first', () => {});",
        "test('second', async () => { setTimeout(() => process.exit(0), 5); await new Promise((r) => setTimeout(r, 2000)); });",
        "test('third', () => {});",
      ].join('\n'),
    );
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'whole.test.js'), "const { test } = require('node:test');\ntest('only', () => {});\n");
    const doneDir = path.join(dir, 'done');
    const r = await run(
      ['--require', preload, '--test', '--test-force-exit', '--test-reporter=tap', 'early.test.js', 'sub/whole.test.js'],
      { PC_TEST_DONE_DIR: doneDir },
      dir,
    );
    // The runner itself sees nothing wrong: that is the gap the marker closes.
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /# fail 0/);
    assert.doesNotMatch(r.output, /ok \d+ - third/);
    const markers = fs.existsSync(doneDir) ? fs.readdirSync(doneDir).sort() : [];
    assert.deepEqual(markers, [markerName('sub/whole.test.js', dir)]);
    assert.equal(markerName('sub/whole.test.js', dir), 'sub__whole.test.js.done');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('scripts/test-all.sh preloads the marker and fails files without one', () => {
  const script = fs.readFileSync(path.join(repoRoot(), 'scripts', 'test-all.sh'), 'utf8');
  assert.match(script, /^COMPLETION_PRELOAD=\.\/out\/test\/runner\/completion\.js$/m);
  assert.match(script, /node --require "\$COMPLETION_PRELOAD" --test /);
  assert.match(script, /export PC_TEST_DONE_DIR=/);
  assert.match(script, /ended before its last test/);
});
