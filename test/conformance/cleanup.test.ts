/**
 * The conformance suite's own safety: faults injected into its deletes (retried; what cannot be
 * deleted is reported precisely), a create whose answer was lost (found by name), the dry run
 * (no request at all), the admin gate, the plan enforced by the ledger, and Ctrl-C / SIGTERM on
 * the command line (the clean-up runs; a second signal stops it and lists exactly what is left).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ledger } from '../../conformance/ledger';
import { namesFor } from '../../conformance/naming';
import { buildPlan } from '../../conformance/plan';
import { stateItems } from '../../conformance/soak';
import { runSuite, type SuiteOptions } from '../../conformance/suite';
import { emulatorTarget, type Target } from '../../conformance/target';
import { startEmulator, type EmulatorHandle } from '../emulator';

const CLI = resolve(__dirname, '../../conformance/cli.js');
const FAST = { attempts: 3, delaysMs: [5, 5], settleMs: 100 };

async function withTarget<T>(fn: (t: Target, emu: EmulatorHandle) => Promise<T>, o: { user?: string } = {}): Promise<T> {
  const t = await emulatorTarget('demo', o);
  try {
    assert.ok(t.emulator);
    return await fn(t, t.emulator);
  } finally {
    await t.close();
  }
}
const added = (before: Set<string>, emu: EmulatorHandle): string[] => [...stateItems(emu.state)].filter((x) => !before.has(x));
const suite = (t: Target, o: Partial<SuiteOptions>, lines: string[] = []): ReturnType<typeof runSuite> =>
  runSuite({ target: t, warehouse: t.defaults.warehouse, catalog: t.defaults.catalog, journeys: false, print: (l) => lines.push(l), ledger: FAST, ...o });

describe('conformance suite clean-up', () => {
  it('retries a failing delete, and reports precisely what it could not delete', async () => {
    await withTarget(async (t, emu) => {
      const before = stateItems(emu.state);
      const lines: string[] = [];
      const r = await suite(
        t,
        {
          only: ['identity.me', 'scim.sp.create', 'scim.sp.create-more', 'files.root-folder'],
          beforeCleanup: () => {
            // the first two principal deletes fail, every folder delete fails
            emu.faults.add({ method: 'DELETE', path: /^\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\//, nth: 1, times: 2, status: 500 });
            emu.faults.add({ method: 'POST', path: '/api/2.0/workspace/delete', status: 500 });
          },
        },
        lines,
      );
      assert.equal(r.exitCode, 1, 'something was left: exit code 1');
      const c = r.report?.cleanup;
      assert.ok(c);
      const retried = c.deleted.find((d) => d.kind === 'service-principal' && d.attempts === 3);
      assert.ok(retried, `a principal deleted on the third attempt: ${JSON.stringify(c.deleted)}`);
      assert.ok(c.deleted.filter((d) => d.kind === 'service-principal').length === 3, 'all three principals deleted');
      const prefix = namesFor(r.report?.runId ?? '').prefix;
      assert.deepEqual(
        c.left.map((l) => `${l.kind} ${l.name}`),
        [`workspace-folder /${prefix}`],
        'exactly the folder is reported left',
      );
      assert.match(c.left[0].error ?? '', /HTTP 500/);
      assert.match(c.left[0].manual ?? '', new RegExp(`delete the folder /${prefix}`));
      assert.equal(c.left[0].attempts, 3);
      assert.deepEqual(added(before, emu), [`file /${prefix}`], 'and exactly that is what the workspace still holds');
      assert.ok(lines.some((l) => l.startsWith(`  LEFT workspace-folder /${prefix}`) && l.includes('Delete it by hand')));
    });
  });

  it('finds a principal whose create answer was lost, and deletes it', async () => {
    await withTarget(async (t, emu) => {
      const before = stateItems(emu.state);
      // the second principal is created, then the connection is reset: the client never learns its id
      emu.faults.add({ method: 'POST', path: '/api/2.0/preview/scim/v2/ServicePrincipals', nth: 2, reset: true, after: true });
      const r = await suite(t, { only: ['identity.me', 'scim.sp.create', 'scim.sp.create-more'] });
      assert.equal(r.report?.checks.find((c) => c.id === 'scim.sp.create-more')?.status, 'fail');
      const names = namesFor(r.report?.runId ?? '');
      assert.ok(r.report?.cleanup?.deleted.some((d) => d.name === names.name('sp-b')), 'sp-b found by name and deleted');
      assert.deepEqual(added(before, emu), []);
      assert.equal(r.exitCode, 1, 'a failed check: exit code 1');
    });
  });

  it('--dry-run prints the plan and sends no request', async () => {
    await withTarget(async (t, emu) => {
      const lines: string[] = [];
      const r = await suite(t, { dryRun: true, journeys: true }, lines);
      assert.equal(r.exitCode, 0);
      assert.equal(r.report, null);
      assert.match(lines[0], /^plan: run pc-conformance-[0-9a-f]{6} on /);
      assert.ok(lines.some((l) => /^ {2}- service-principal PC_CONFORMANCE_[0-9A-F]{6}_READ_USER/.test(l)), 'the journeys\' principals are listed');
      assert.match(lines[lines.length - 1], /^needs: workspace admin/);
      assert.equal(emu.requests.length, 0, 'no request');
    });
  });

  it('refuses to run without workspace admin and says what it needs', async () => {
    await withTarget(
      async (t, emu) => {
        const before = stateItems(emu.state);
        const lines: string[] = [];
        const r = await suite(t, { warehouse: null, catalog: null }, lines);
        assert.equal(r.exitCode, 2);
        const refusal = lines.find((l) => l.startsWith('refused:'));
        assert.ok(refusal);
        assert.match(refusal, /noah\.user@acme\.example is not a workspace admin/);
        assert.match(refusal, /--warehouse <id> \(a SQL warehouse the suite may start/);
        assert.match(refusal, /--catalog <name> \(a Unity Catalog catalog/);
        assert.deepEqual(emu.requests.map((x) => `${x.method} ${x.path}`), ['GET /api/2.0/preview/scim/v2/Me']);
        assert.deepEqual(added(before, emu), []);
      },
      { user: 'noah.user@acme.example' },
    );
  });

  it('the ledger refuses to create what the plan does not list', async () => {
    const names = namesFor('abcdef');
    const plan = buildPlan(names, { warehouse: null, catalog: null, journeys: false });
    assert.ok(plan.allowed('service-principal', 'pc-conformance-abcdef-sp-a'));
    assert.ok(!plan.allowed('service-principal', 'DBT_CLOUD_USER'));
    assert.ok(!plan.allowed('uc-schema', 'main.pc_conformance_abcdef'), 'no schema without --catalog');
    const ledger = new Ledger({ allowed: plan.allowed });
    let called = false;
    await assert.rejects(
      ledger.create({ kind: 'service-principal', name: 'DBT_CLOUD_USER', manual: '' }, async () => (called = true), () => 'x'),
      /plan does not list/,
    );
    assert.equal(called, false, 'nothing sent');
  });
});

/** Runs the CLI against an emulator in this process, as a user would run it against a workspace (--host + DATABRICKS_TOKEN). */
function cli(emu: EmulatorHandle, args: string[], onLine: (line: string, child: ReturnType<typeof spawn>) => void = () => undefined): Promise<{ code: number | null; out: string[]; markdown: string | null }> {
  const home = mkdtempSync(join(tmpdir(), 'pc-conformance-'));
  const child = spawn(process.execPath, [CLI, '--host', emu.url, '--out', home, ...args], {
    env: { PATH: process.env.PATH, HOME: home, DATABRICKS_TOKEN: emu.adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      out.push(line);
      onLine(line, child);
    }
  });
  child.stderr.on('data', (d: Buffer) => out.push(`stderr: ${d.toString('utf8')}`));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((res) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      const md = join(home, 'conformance-report.md');
      const markdown = existsSync(md) ? readFileSync(md, 'utf8') : null;
      rmSync(home, { recursive: true, force: true });
      res({ code, out, markdown });
    });
  });
}

describe('conformance suite on the command line', () => {
  it('against a workspace, a failing check names the emulator behaviour that must change', async () => {
    const emu = await startEmulator();
    try {
      // this "workspace" answers an unknown warehouse with 400 instead of 404
      emu.faults.add({ method: 'GET', path: '/api/2.0/sql/warehouses/0000000000000000', status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'no such warehouse' } });
      const r = await cli(emu, ['--only', 'identity.me,warehouses.get-404']);
      const text = r.out.join('\n');
      assert.equal(r.code, 1, text);
      assert.match(text, /✗ warehouses\.get-404: HTTP 400 INVALID_PARAMETER_VALUE: no such warehouse/);
      assert.match(text, /emulator must change \(warehouses\.get-404\): test\/emulator\/routes-compute\.ts getWarehouse: 404 RESOURCE_DOES_NOT_EXIST — the workspace answered: HTTP 400/);
      assert.ok(r.markdown, 'the report was written');
      assert.match(r.markdown, /## Emulator behaviour to change/);
      assert.match(r.markdown, /- `warehouses\.get-404`: test\/emulator\/routes-compute\.ts getWarehouse/);
      assert.match(r.markdown, /\| target \| workspace http:\/\/127\.0\.0\.1:\d+ \(--host /);
    } finally {
      await emu.close();
    }
  });

  it('Ctrl-C stops the checks, cleans up and exits 130', async () => {
    const emu = await startEmulator();
    try {
      const before = stateItems(emu.state);
      // the run waits here, so the signal arrives mid-run (with principals, a token and folders made)
      emu.faults.add({ method: 'GET', path: '/api/2.1/unity-catalog/catalogs', delayMs: 1_500 });
      let sent = false;
      const r = await cli(emu, ['--warehouse', 'f562046bc1272886', '--catalog', 'analytics', '--journeys'], (line, child) => {
        if (!sent && line.includes('uc.default-namespace')) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      const text = r.out.join('\n');
      assert.equal(r.code, 130, text);
      assert.match(text, /SIGINT: stopping the checks and cleaning up/);
      assert.match(text, /journey\.read\.connect: skipped \(not run: interrupted\)/);
      assert.match(text, /clean-up: \d+ deleted, \d+ already gone, 0 left/);
      assert.match(text, /report: .*conformance-report\.json/);
      assert.deepEqual(added(before, emu), [], 'nothing left');
    } finally {
      await emu.close();
    }
  });

  it('a second signal stops the clean-up and lists exactly what is left', async () => {
    const emu = await startEmulator();
    try {
      const before = stateItems(emu.state);
      // principal deletes fail: the clean-up retries with waits, and the second SIGTERM comes during them
      emu.faults.add({ method: 'DELETE', path: /^\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\//, status: 500 });
      let signals = 0;
      const r = await cli(emu, ['--only', 'identity.me,scim.sp.create,scim.sp.create-more,files.write.create'], (line, child) => {
        if (signals === 0 && line.startsWith('clean-up: deleting')) {
          signals = 1;
          child.kill('SIGTERM');
        } else if (signals === 1 && line.includes('SIGTERM: stopping the checks')) {
          signals = 2;
          child.kill('SIGTERM');
        }
      });
      const text = r.out.join('\n');
      assert.equal(r.code, 130, text);
      assert.match(text, /SIGTERM: stopping the clean-up/);
      const maybe = r.out.filter((l) => l.startsWith('  MAYBE LEFT ')).map((l) => /^ {2}MAYBE LEFT (\S+) (\S+?):?\s/.exec(l)?.slice(1, 3).join(' ') ?? l);
      const left = r.out
        .filter((l) => l.startsWith('  LEFT '))
        .map((l) => /^ {2}LEFT (\S+) (\S+?):?\s/.exec(l)?.slice(1, 3).join(' ') ?? l)
        .sort();
      assert.ok(left.length >= 3, `at least the three principals are left: ${left.join(', ')}`);
      // every object still in the workspace is listed as left (or maybe left), and nothing else is listed as surely left
      const held = added(before, emu)
        .map((h) => (h.startsWith('file ') ? `workspace-${emu.state.files.get(h.slice(5))?.type === 'DIRECTORY' ? 'folder' : 'file'} ${h.slice(5)}` : h.split(' ').slice(0, 2).join(' ')))
        .sort();
      assert.deepEqual(left, held.filter((h) => !maybe.includes(h)));
      for (const m of maybe) assert.ok(!left.includes(m));
    } finally {
      await emu.close();
    }
  });
});
