/**
 * `npm run conformance` against the emulator, as part of `npm test`: the whole suite (journeys
 * included) against the Unity Catalog demo seed, the Hive-only seed and an Azure-like workspace
 * (on-behalf-of tokens refused: OAuth secrets instead; a 90-day token cap), and the demo seed with
 * every list in the smallest pages (SCIM 2 per page, UC and warehouse lists 1 per page after an empty one). One test per check; then
 * the run must have left the emulator exactly as it found it, and written its report.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeReport, type Report } from '../../conformance/report';
import { stateItems } from '../../conformance/soak';
import { runSuite, selectChecks } from '../../conformance/suite';
import { emulatorTarget, type Target } from '../../conformance/target';

/**
 * Checks the emulator is known to fail today, and why. Such a check must FAIL here: when the emulator
 * learns the behaviour, this test fails until the entry is removed.
 */
export const EMULATOR_GAPS: Record<string, string> = {};

const RESULTS = resolve(__dirname, '../../../test-results/conformance');

for (const seed of ['demo', 'hive-only', 'azure', 'paging'] as const) {
  describe(`conformance suite against the emulator (${seed} seed)`, () => {
    let target: Target;
    let report: Report;
    let before_: Set<string>;
    const lines: string[] = [];
    before(async () => {
      target = await emulatorTarget(seed);
      const emu = target.emulator;
      assert.ok(emu);
      before_ = stateItems(emu.state);
      const r = await runSuite({
        target,
        warehouse: target.defaults.warehouse,
        catalog: target.defaults.catalog,
        journeys: true,
        print: (l) => lines.push(l),
        ledger: { delaysMs: [5, 20], settleMs: 50 },
      });
      assert.ok(r.report, lines.join('\n'));
      report = r.report;
      writeReport(join(RESULTS, seed), report);
    });
    after(async () => {
      await target?.close();
    });

    it('opens with the plan line, names the run in everything it creates', () => {
      assert.match(lines[0], /^plan: run pc-conformance-[0-9a-f]{6} on http:\/\/127\.0\.0\.1:\d+ creates /);
      for (const i of report.plan) assert.match(i.name, new RegExp(`${report.runId}`, 'i'), `${i.kind} ${i.name} carries the run id`);
    });

    for (const c of selectChecks({ journeys: true })) {
      it(c.id, () => {
        const r = report.checks.find((x) => x.id === c.id);
        assert.ok(r, `${c.id} ran`);
        const ucOnly = c.needs?.some((n) => n === 'unity-catalog' || n === 'catalog');
        if (seed === 'hive-only' && ucOnly) {
          assert.equal(r.status, 'skip', `${c.id} is skipped without a metastore`);
          assert.match(r.reason ?? '', /Unity Catalog|--catalog/);
          return;
        }
        if (seed === 'azure' && c.needs?.includes('obo')) {
          assert.equal(r.status, 'skip', `${c.id} is skipped where on-behalf-of tokens are refused`);
          assert.match(r.reason ?? '', /on-behalf-of tokens/);
          return;
        }
        if (EMULATOR_GAPS[c.id]) {
          assert.equal(r.status, 'fail', `${c.id} now passes against the emulator: remove it from EMULATOR_GAPS (${EMULATOR_GAPS[c.id]})`);
          return;
        }
        assert.equal(r.status, 'pass', `${c.id}: ${r.observed || r.reason}`);
      });
    }

    it('deletes everything it created: the emulator is as it was', () => {
      const emu = target.emulator;
      assert.ok(emu);
      const now = stateItems(emu.state);
      assert.deepEqual([...now].filter((x) => !before_.has(x)), [], 'nothing added');
      assert.deepEqual([...before_].filter((x) => !now.has(x)), [], 'nothing pre-existing removed');
      assert.equal(report.summary.leftovers, 0);
      assert.ok(report.cleanup && report.cleanup.deleted.length > 0);
    });

    it('writes conformance-report.json and a Markdown table with features', () => {
      const json = JSON.parse(readFileSync(join(RESULTS, seed, 'conformance-report.json'), 'utf8')) as Report;
      assert.equal(json.checks.length, report.checks.length);
      assert.equal(json.features?.unityCatalog, seed !== 'hive-only');
      assert.equal(json.features?.oboTokens, seed !== 'azure');
      assert.equal(json.features?.workspaceId, target.emulator?.state.workspaceId, 'the workspace id from X-Databricks-Org-Id');
      const md = readFileSync(join(RESULTS, seed, 'conformance-report.md'), 'utf8');
      assert.match(md, /\| check \| expected \| observed \| result \|/);
      assert.match(md, /## Cloud and workspace features detected/);
      assert.ok(existsSync(join(RESULTS, seed, 'conformance-report.md')));
      // the emulator is not a real workspace: no "emulator behaviour to change" section
      assert.doesNotMatch(md, /## Emulator behaviour to change/);
    });
  });
}
