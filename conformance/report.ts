/** The run's report: `conformance-report.json` and `conformance-report.md` (a Markdown table). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Area, TargetInfo } from './check';
import type { Features } from './features';
import type { CleanupReport } from './ledger';
import type { PlanItem } from './plan';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  area: Area;
  title: string;
  expected: string;
  observed: string;
  status: CheckStatus;
  /** why it was skipped */
  reason?: string;
  durationMs: number;
  reliedOnBy: string;
  emulator: string;
}

export interface Report {
  schemaVersion: 1;
  tool: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  target: TargetInfo;
  runId: string;
  options: { warehouse: string | null; catalog: string | null; journeys: boolean };
  plan: PlanItem[];
  features: Features | null;
  summary: { passed: number; failed: number; skipped: number; leftovers: number; interrupted: boolean };
  checks: CheckResult[];
  cleanup: CleanupReport | null;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const mark: Record<CheckStatus, string> = { pass: 'pass', fail: '**FAIL**', skip: 'skipped' };

export function markdown(r: Report): string {
  const out: string[] = [];
  const s = r.summary;
  out.push('# Partner Connect conformance report', '');
  out.push('| | |', '|---|---|');
  out.push(`| target | ${cell(`${r.target.kind} ${r.target.host} (${r.target.label}, auth ${r.target.authType})`)} |`);
  out.push(`| run | ${r.runId}, ${r.startedAt}, ${Math.round(r.durationMs / 1000)} s |`);
  out.push(`| options | ${cell(`--warehouse ${r.options.warehouse ?? '(not given)'}, --catalog ${r.options.catalog ?? '(not given)'}, journeys ${r.options.journeys ? 'yes' : 'no'}`)} |`);
  out.push(`| result | ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped${s.interrupted ? ', INTERRUPTED' : ''}; clean-up: ${s.leftovers === 0 ? 'nothing left' : `**${s.leftovers} left**`} |`);
  out.push('');
  if (r.features) {
    out.push('## Cloud and workspace features detected', '', '| feature | observed |', '|---|---|');
    for (const [k, v] of Object.entries(r.features)) {
      if (k === 'notes') continue;
      out.push(`| ${k} | ${cell(v === null ? 'not determined' : String(v))} |`);
    }
    for (const n of r.features.notes) out.push(`| note | ${cell(n)} |`);
    out.push('');
  }
  out.push('## Checks', '', '| check | expected | observed | result |', '|---|---|---|---|');
  for (const c of r.checks) {
    const observed = c.status === 'skip' ? `skipped: ${c.reason ?? ''}` : c.observed;
    out.push(`| \`${c.id}\` ${cell(c.title)} | ${cell(c.expected)} | ${cell(observed)} | ${mark[c.status]} |`);
  }
  out.push('');
  const failing = r.checks.filter((c) => c.status === 'fail');
  if (failing.length && r.target.kind === 'workspace') {
    out.push('## Emulator behaviour to change', '');
    out.push('The emulator passes these checks, the workspace does not: the emulator must be changed to answer as the workspace did (cite this report in test/emulator/README.md), and the product code that relies on the expectation reviewed.', '');
    for (const c of failing) out.push(`- \`${c.id}\`: ${c.emulator}. Workspace: ${c.observed}. Relied on by ${c.reliedOnBy}.`);
    out.push('');
  }
  if (r.cleanup) {
    const cl = r.cleanup;
    out.push('## Clean-up', '');
    out.push(`${cl.deleted.length} deleted, ${cl.alreadyGone.length} already gone, ${cl.left.length} left${cl.interrupted ? ' (interrupted)' : ''}.`, '');
    if (cl.left.length) {
      out.push('| left | id | why | delete it by hand |', '|---|---|---|---|');
      for (const l of cl.left) out.push(`| ${cell(`${l.kind} ${l.name}`)} | ${cell(l.id ?? '(unknown)')} | ${cell(l.error ?? '')} | ${cell(l.manual ?? '')} |`);
      out.push('');
    }
  }
  return out.join('\n');
}

export function writeReport(dir: string, r: Report): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'conformance-report.json');
  const md = join(dir, 'conformance-report.md');
  writeFileSync(json, JSON.stringify(r, null, 2) + '\n');
  writeFileSync(md, markdown(r) + '\n');
  return { json, md };
}
