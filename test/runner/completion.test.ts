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

test('a file a test left open ends after the grace, with every verdict of every file reported (no --test-force-exit)', { timeout: 90_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-completion-'));
  try {
    const tests = (n: number): string => Array.from({ length: n }, (_, i) => `test('t${i} ${'x'.repeat(60)}', () => {});`).join('\n');
    // one file leaks a listening server; the others are many fast tests, run two at a time as test-all.sh does
    fs.writeFileSync(
      path.join(dir, 'leaky.test.js'),
      `const { test } = require('node:test');\nconst http = require('node:http');\ntest('leaves a server open', async () => { await new Promise((r) => http.createServer().listen(0, '127.0.0.1', r)); });\n${tests(40)}\n`,
    );
    const files = ['leaky.test.js'];
    for (let f = 0; f < 6; f++) {
      fs.writeFileSync(path.join(dir, `fast${f}.test.js`), `const { test } = require('node:test');\n${tests(60)}\n`);
      files.push(`fast${f}.test.js`);
    }
    const started = Date.now();
    const r = await run(['--require', preload, '--test', '--test-concurrency=2', '--test-reporter=tap', ...files], { PC_TEST_DONE_DIR: path.join(dir, 'done') }, dir);
    const ms = Date.now() - started;
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /# pass 401\b/, 'all 41 + 6 × 60 verdicts reached the runner');
    assert.match(r.output, /\[completion\] leaky\.test\.js: still running 5 s after its last test/);
    assert.ok(ms < 60_000, `${ms} ms`);
    assert.equal(fs.readdirSync(path.join(dir, 'done')).length, files.length);
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
  // the report's tail is lost under concurrency with it (nodejs/node#64833): the preload ends leaky files instead
  assert.doesNotMatch(script, /^NODE_TEST_ARGS=.*--test-force-exit/m);
});
