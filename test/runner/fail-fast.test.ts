/**
 * A failing set-up ends the run, fast, naming what is missing — it never hangs (issue 8: a server
 * started before a missing-file error kept a test file, and so `npm test`, running forever).
 *
 * Each case writes a tiny test file whose fixture path is deliberately broken (an emulator seed that
 * does not exist), runs it in a fresh `node --test` and asserts the run exits non-zero within a
 * minute and prints the missing path:
 * - with the runner options scripts/test-all.sh uses (read from the script, not copied) and its
 *   completion preload, even a test that leaks the server it started before failing ends;
 * - with the Cleanup fixture, the process ends by itself, without any runner option.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../harness/paths';

const BOUND_MS = 60_000;
const out = path.resolve(__dirname, '..');
const emulatorModule = JSON.stringify(path.join(out, 'emulator', 'index.js'));
const cleanupModule = JSON.stringify(path.join(out, 'fixtures', 'cleanup.js'));

/** The `node --test` options of scripts/test-all.sh (its NODE_TEST_ARGS=(...) line). */
function runnerArgs(): string[] {
  const script = fs.readFileSync(path.join(repoRoot(), 'scripts', 'test-all.sh'), 'utf8');
  const m = /^NODE_TEST_ARGS=\(([^)]*)\)\s*$/m.exec(script);
  assert.ok(m?.[1], 'scripts/test-all.sh defines NODE_TEST_ARGS=(...)');
  return m[1].trim().split(/\s+/);
}

interface Run {
  code: number | null;
  ms: number;
  output: string;
  killed: boolean;
}

/** The completion preload test-all.sh gives every test process (it ends one a test left open). */
const completionPreload = path.join(out, 'runner', 'completion.js');

/**
 * Runs one test file in a fresh `node --test`; kills it when it outlives the bound. `asTestAll`: with
 * the completion preload and its marker folder, as scripts/test-all.sh runs every file.
 */
function runNodeTest(file: string, args: string[], asTestAll = false): Promise<Run> {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT; // we run inside node --test: the child must be a runner of its own
  const preload = asTestAll ? ['--require', completionPreload] : [];
  if (asTestAll) env.PC_TEST_DONE_DIR = path.join(path.dirname(file), 'done');
  const started = Date.now();
  const child = spawn(process.execPath, [...preload, '--test', ...args, '--test-reporter=spec', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, BOUND_MS);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started, output, killed });
    });
  });
}

function fixture(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

function assertFailedFast(r: Run, missing: string): void {
  assert.equal(r.killed, false, `the run did not end within ${BOUND_MS} ms:\n${r.output}`);
  assert.notEqual(r.code, 0, `the run must fail:\n${r.output}`);
  assert.ok(r.ms < BOUND_MS, `${r.ms} ms`);
  assert.ok(r.output.includes(missing), `the output names the missing path ${missing}:\n${r.output}`);
}

test('a set-up that fails after starting a server, and leaks it, still ends the run (test-all.sh runner options)', { timeout: BOUND_MS + 10_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-fail-fast-'));
  try {
    const missing = path.join(dir, 'no-such-folder', 'broken-seed.json');
    const file = fixture(
      dir,
      'leaky.test.js',
      `const { test } = require('node:test');
const { startEmulator } = require(${emulatorModule});
test('set-up with a broken fixture path', async () => {
  await startEmulator({ port: 0 }); // listening, never closed
  await startEmulator({ seed: ${JSON.stringify(missing)} });
});
`,
    );
    assertFailedFast(await runNodeTest(file, runnerArgs(), true), missing);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with the Cleanup fixture a failing set-up closes what it started: the process ends without runner options', { timeout: BOUND_MS + 10_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-fail-fast-'));
  try {
    const missing = path.join(dir, 'missing', 'seed.json');
    const file = fixture(
      dir,
      'disciplined.test.js',
      `const { before, after, describe, test } = require('node:test');
const { startEmulator } = require(${emulatorModule});
const { Cleanup, withCleanup } = require(${cleanupModule});
describe('hooks', () => {
  const started = new Cleanup();
  before(async () => {
    started.add(await startEmulator({ port: 0 }), (e) => e.close());
    started.add(await startEmulator({ seed: ${JSON.stringify(missing)} }), (e) => e.close());
  });
  after(() => started.close());
  test('never runs', () => {});
});
test('withCleanup', () =>
  withCleanup(async (started) => {
    started.add(await startEmulator({ port: 0 }), (e) => e.close());
    started.add(await startEmulator({ seed: ${JSON.stringify(missing)} }), (e) => e.close());
  }));
`,
    );
    const r = await runNodeTest(file, []);
    assertFailedFast(r, missing);
    assert.match(r.output, /ENOENT/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the runner options bound every file: a test that never settles is cancelled, and the run ends', { timeout: BOUND_MS + 10_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-fail-fast-'));
  try {
    const file = fixture(
      dir,
      'stuck.test.js',
      `const { test } = require('node:test');
test('waits forever', () => new Promise(() => setInterval(() => {}, 1000)));
`,
    );
    // the same options with a short timeout (test-all.sh's is minutes: its slowest file must fit)
    const args = runnerArgs().map((a) => (a.startsWith('--test-timeout=') ? '--test-timeout=2000' : a));
    assert.ok(args.includes('--test-timeout=2000'), args.join(' '));
    const r = await runNodeTest(file, args, true);
    assert.equal(r.killed, false, r.output);
    assert.notEqual(r.code, 0, r.output);
    assert.match(r.output, /timed out after 2000ms/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
