/**
 * One conformance run: plan → admin gate → features → checks (in order) → clean-up (ledger, then a
 * sweep for anything else named for this run) → report. The clean-up always runs: after a failing
 * check, an exception, or an interrupt (the `interrupt` signal stops the checks; `hardStop` also
 * stops the clean-up, which then reports what is left).
 */
import { setMaxListeners } from 'node:events';
import { isAdmin } from '../src/domain/util';
import type { ScimUser } from '../src/client';
import type { CheckDef, Need, Run, Shared } from './check';
import { ALL_CHECKS } from './checks';
import { errorText, SkipCheck } from './errors';
import { detectFeatures, type Features } from './features';
import { Ledger, type CleanupReport, type LedgerOptions } from './ledger';
import { namesFor, newRunId, type Names } from './naming';
import { buildPlan, planDetails, planLine, type Plan } from './plan';
import type { CheckResult, Report } from './report';
import { sweep } from './sweep';
import type { Target } from './target';

export interface SuiteOptions {
  target: Target;
  warehouse: string | null;
  catalog: string | null;
  journeys: boolean;
  dryRun?: boolean;
  /** only checks whose id equals or starts with one of these */
  only?: string[];
  runId?: string;
  print: (line: string) => void;
  /** verbose lines (each HTTP request, clean-up retries) */
  log?: (line: string) => void;
  /** Ctrl-C: stop the checks, clean up */
  interrupt?: AbortSignal;
  /** a second Ctrl-C: stop the clean-up too */
  hardStop?: AbortSignal;
  ledger?: Pick<LedgerOptions, 'attempts' | 'delaysMs' | 'settleMs'>;
  warehouseStartTimeoutMs?: number;
  /** the suite's checks (tests replace them) */
  checks?: CheckDef[];
  /** receives the ledger as soon as it exists (so a hard exit can still list what is pending) */
  onLedger?: (l: Ledger) => void;
  /** called right before the clean-up (tests inject faults into the suite's own deletes) */
  beforeCleanup?: () => void;
}

export interface SuiteResult {
  report: Report | null;
  /** 0 all passed and nothing left; 1 a check failed or something was left; 2 refused (not an admin, bad target); 130 interrupted */
  exitCode: number;
}

const NEEDS: Record<Need, { flag: string; what: string }> = {
  warehouse: { flag: '--warehouse <id>', what: 'a SQL warehouse the suite may start and run statements on' },
  catalog: { flag: '--catalog <name>', what: 'a Unity Catalog catalog you own (or you are metastore admin) in which the suite may create a schema' },
  'unity-catalog': { flag: '', what: 'a workspace with a Unity Catalog metastore' },
  obo: { flag: '', what: 'on-behalf-of tokens for service principals (AWS and GCP; Azure refuses them)' },
};

export function selectChecks(o: Pick<SuiteOptions, 'journeys' | 'only' | 'checks'>): CheckDef[] {
  const all = o.checks ?? ALL_CHECKS.filter((c) => o.journeys || c.area !== 'journeys');
  if (!o.only?.length) return all;
  return all.filter((c) => o.only?.some((p) => c.id === p || c.id.startsWith(p.endsWith('.') ? p : `${p}.`)));
}

function needsLine(o: SuiteOptions, checks: CheckDef[]): string {
  const count = (n: Need): number => checks.filter((c) => c.needs?.includes(n)).length;
  const parts = ['workspace admin (the suite creates and deletes service principals, tokens, a warehouse, folders and grants)'];
  for (const n of ['warehouse', 'catalog'] as const) {
    const v = n === 'warehouse' ? o.warehouse : o.catalog;
    parts.push(v ? `${NEEDS[n].flag.split(' ')[0]} ${v}` : `${NEEDS[n].flag} (${NEEDS[n].what}): not given, ${count(n)} check(s) skipped`);
  }
  return `needs: ${parts.join('; ')}`;
}

export async function runSuite(o: SuiteOptions): Promise<SuiteResult> {
  const started = Date.now();
  const names: Names = namesFor(o.runId ?? newRunId());
  const checks = selectChecks(o);
  const plan: Plan = buildPlan(names, { warehouse: o.warehouse, catalog: o.catalog, journeys: o.journeys });
  o.print(planLine(names, o.target.info.host, plan));
  for (const l of planDetails(plan)) o.print(l);
  o.print(needsLine(o, checks));
  if (o.dryRun) return { report: null, exitCode: 0 };

  const interrupt = o.interrupt ?? new AbortController().signal;
  // every request of a run listens to it (parallel ones too): not a leak
  setMaxListeners(0, interrupt);
  const log = o.log ?? (() => undefined);
  const { client } = o.target;
  let me: ScimUser;
  try {
    me = await client.me({ signal: interrupt });
  } catch (e) {
    o.print(`refused: cannot read who you are on ${o.target.info.host}: ${errorText(e)}`);
    return { report: null, exitCode: 2 };
  }
  if (!isAdmin(me)) {
    o.print(`refused: ${me.userName} is not a workspace admin of ${o.target.info.host}. ${needsLine(o, checks)}. Run it as a member of the admins group.`);
    return { report: null, exitCode: 2 };
  }

  const ledger = new Ledger({ ...o.ledger, log, allowed: plan.allowed });
  o.onLedger?.(ledger);
  const results: CheckResult[] = [];
  let features: Features | null = null;
  let cleanup: CleanupReport | null = null;
  try {
    features = await detectFeatures(client, me, interrupt);
    const shared: Shared = { sp: {} };
    const run: Run = {
      client,
      raw: o.target.raw,
      names,
      ledger,
      warehouseId: o.warehouse,
      catalog: o.catalog,
      target: o.target.info,
      features,
      me,
      shared,
      signal: interrupt,
      o: { signal: interrupt },
      log,
      clientWith: (auth) => o.target.clientWith(auth),
      warehouseStartTimeoutMs: o.warehouseStartTimeoutMs ?? 10 * 60_000,
    };
    for (const c of checks) results.push(await runCheck(run, c, results, interrupt, o.print));
  } finally {
    o.beforeCleanup?.();
    o.print(`clean-up: deleting what run ${names.prefix} created…`);
    cleanup = await ledger.cleanUp(o.hardStop);
    if (!o.hardStop?.aborted) {
      const extra = await sweep(o.target.client, o.target.raw, names, ledger, { catalog: o.catalog }, o.hardStop);
      if (extra.length) {
        const second = await ledger.cleanUp(o.hardStop);
        cleanup = {
          deleted: [...cleanup.deleted, ...second.deleted],
          alreadyGone: [...cleanup.alreadyGone, ...second.alreadyGone],
          left: [...cleanup.left.filter((l) => !second.deleted.some((d) => d.kind === l.kind && d.name === l.name)), ...second.left],
          interrupted: cleanup.interrupted || second.interrupted,
        };
      }
    }
    printCleanup(cleanup, o.print);
  }

  const summary = {
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
    leftovers: cleanup.left.length,
    interrupted: interrupt.aborted,
  };
  const report: Report = {
    schemaVersion: 1,
    tool: 'partner-connect-vscode conformance suite',
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
    target: o.target.info,
    runId: names.runId,
    options: { warehouse: o.warehouse, catalog: o.catalog, journeys: o.journeys },
    plan: plan.items,
    features,
    summary,
    checks: results,
    cleanup,
  };
  o.print(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped; ${summary.leftovers === 0 ? 'nothing left' : `${summary.leftovers} object(s) left`}${summary.interrupted ? ' (interrupted)' : ''}`);
  if (o.target.info.kind === 'workspace') {
    // the point of a run against a real workspace: where the emulator is wrong
    for (const c of results.filter((r) => r.status === 'fail')) o.print(`emulator must change (${c.id}): ${c.emulator} — the workspace answered: ${c.observed}`);
  }
  const exitCode = interrupt.aborted ? 130 : summary.failed || summary.leftovers ? 1 : 0;
  return { report, exitCode };
}

async function runCheck(t: Run, c: CheckDef, done: CheckResult[], interrupt: AbortSignal, print: (l: string) => void): Promise<CheckResult> {
  const base = { id: c.id, area: c.area, title: c.title, expected: c.expected, reliedOnBy: c.reliedOnBy, emulator: c.emulator };
  const skip = (reason: string): CheckResult => {
    print(`  - ${c.id}: skipped (${reason})`);
    return { ...base, observed: '', status: 'skip', reason, durationMs: 0 };
  };
  if (interrupt.aborted) return skip('not run: interrupted');
  for (const n of c.needs ?? []) {
    const missing =
      (n === 'warehouse' && !t.warehouseId) ||
      (n === 'catalog' && !t.catalog) ||
      (n === 'unity-catalog' && t.features.unityCatalog === false) ||
      (n === 'obo' && t.features.oboTokens !== true);
    if (missing) return skip(`needs ${NEEDS[n].flag ? `${NEEDS[n].flag}: ` : ''}${NEEDS[n].what}${n === 'obo' && t.features.oboTokens === null ? ' (not determined)' : ''}`);
  }
  for (const a of c.after ?? []) {
    const prior = done.find((r) => r.id === a);
    if (!prior || prior.status !== 'pass') return skip(`needs ${a}, which ${prior ? (prior.status === 'fail' ? 'failed' : 'was skipped') : 'did not run'}`);
  }
  const t0 = Date.now();
  try {
    const r = await c.run(t);
    print(`  ${r.pass ? '✓' : '✗'} ${c.id}: ${r.observed}`);
    return { ...base, observed: r.observed, status: r.pass ? 'pass' : 'fail', durationMs: Date.now() - t0 };
  } catch (e) {
    if (e instanceof SkipCheck) return skip(e.reason);
    const observed = interrupt.aborted ? `interrupted (${errorText(e)})` : errorText(e);
    print(`  ✗ ${c.id}: ${observed}`);
    return { ...base, observed, status: 'fail', durationMs: Date.now() - t0 };
  }
}

function printCleanup(c: CleanupReport, print: (l: string) => void): void {
  print(`clean-up: ${c.deleted.length} deleted, ${c.alreadyGone.length} already gone, ${c.left.length} left${c.interrupted ? ' (interrupted)' : ''}`);
  for (const l of c.left) print(`  ${l.uncertain ? 'MAYBE LEFT' : 'LEFT'} ${l.kind} ${l.name}${l.id ? ` (${l.id})` : ''}: ${l.error ?? ''}. Delete it by hand: ${l.manual ?? ''}`);
  for (const d of c.deleted.filter((x) => x.attempts > 1 || x.sweep)) print(`  ${d.kind} ${d.name}: deleted${d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}${d.sweep ? ' (found by the sweep)' : ''}`);
}
