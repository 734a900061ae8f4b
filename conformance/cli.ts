/**
 * `npm run conformance` — the conformance suite.
 *
 *   npm run conformance                                  # against the emulator (demo seed)
 *   npm run conformance -- --profile prod --warehouse 1234abcd5678ef90 --catalog sandbox [--journeys]
 *   DATABRICKS_TOKEN=… npm run conformance -- --host https://dbc-….cloud.databricks.com
 *   npm run conformance -- --profile prod --dry-run      # print the plan only
 *   npm run conformance -- --soak 10m [--seed 42]        # soak against the emulator
 *
 * Options: --profile NAME | --host URL, --warehouse ID, --catalog NAME, --journeys, --dry-run,
 * --out DIR (default test-results/conformance), --only ID[,ID…] (ids or prefixes such as `files`),
 * --emulator-seed demo|hive-only|azure|paging|no-serverless|PATH, --soak DURATION, --seed N, --verbose.
 * Exit codes: 0 all passed and nothing left; 1 a check failed or something was left; 2 refused or bad
 * arguments; 130 interrupted (after the clean-up).
 */
import { resolve } from 'node:path';
import { writeReport } from './report';
import { parseDuration, runSoak } from './soak';
import { runSuite } from './suite';
import { emulatorTarget, TargetError, workspaceTarget, type Target } from './target';
import type { Ledger } from './ledger';

interface Args {
  profile?: string;
  host?: string;
  warehouse?: string;
  catalog?: string;
  journeys: boolean;
  dryRun: boolean;
  out: string;
  only?: string[];
  emulatorSeed: string;
  soak?: string;
  seed?: number;
  verbose: boolean;
  runId?: string;
  help: boolean;
}

const USAGE = `usage: npm run conformance -- [--profile NAME | --host URL] [--warehouse ID] [--catalog NAME] [--journeys] [--dry-run]
                              [--out DIR] [--only IDS] [--emulator-seed demo|hive-only|azure|paging|no-serverless|PATH] [--verbose]
       npm run conformance -- --soak DURATION [--seed N]
Without --profile/--host the suite runs against the emulator. See README.md "Conformance suite".`;

export function parseArgs(argv: string[]): Args {
  const a: Args = { journeys: false, dryRun: false, out: 'test-results/conformance', emulatorSeed: 'demo', verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new TargetError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--profile': a.profile = value(); break;
      case '--host': a.host = value(); break;
      case '--warehouse': a.warehouse = value(); break;
      case '--catalog': a.catalog = value(); break;
      case '--journeys': a.journeys = true; break;
      case '--dry-run': a.dryRun = true; break;
      case '--out': a.out = value(); break;
      case '--only': a.only = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--emulator-seed': a.emulatorSeed = value(); break;
      case '--soak': a.soak = value(); break;
      case '--seed': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new TargetError(`--seed must be a non-negative integer, got "${v}"`);
        a.seed = Number(v);
        break;
      }
      case '--run-id': a.runId = value(); break;
      case '--verbose': a.verbose = true; break;
      case '-h':
      case '--help': a.help = true; break;
      default: throw new TargetError(`unknown argument "${arg}"`);
    }
  }
  if (a.profile && a.host) throw new TargetError('give --profile or --host, not both');
  if (a.soak && (a.profile || a.host)) throw new TargetError('--soak runs against the emulator only (it injects faults): drop --profile/--host');
  return a;
}

export async function main(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    out(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }

  // Ctrl-C / SIGTERM: the first stops the checks and cleans up, the second stops the clean-up, the third exits at once.
  const interrupt = new AbortController();
  const hardStop = new AbortController();
  let ledger: Ledger | undefined;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      out(`\n${sig}: stopping the checks and cleaning up (${sig === 'SIGINT' ? 'Ctrl-C' : sig} again stops the clean-up)`);
      interrupt.abort();
    } else if (signals === 2) {
      out(`\n${sig}: stopping the clean-up; what is left will be listed (once more exits at once)`);
      hardStop.abort();
    } else {
      for (const r of ledger?.pending() ?? []) out(`  NOT CLEANED ${r.kind} ${r.name}${r.id ? ` (${r.id})` : ''}: ${r.manual}`);
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (args.soak) {
      const durationMs = parseDuration(args.soak);
      const r = await runSoak({ durationMs, seed: args.seed, print: out, signal: interrupt.signal });
      return r.ok ? 0 : interrupt.signal.aborted ? 130 : 1;
    }
    let target: Target;
    try {
      target = args.profile || args.host ? workspaceTarget({ profile: args.profile, host: args.host }) : await emulatorTarget(args.emulatorSeed);
    } catch (e) {
      out(`refused: ${(e as Error).message}`);
      return 2;
    }
    try {
      const isEmulator = target.info.kind === 'emulator';
      const result = await runSuite({
        target,
        warehouse: args.warehouse ?? (isEmulator ? target.defaults.warehouse : null),
        catalog: args.catalog ?? (isEmulator ? target.defaults.catalog : null),
        journeys: args.journeys,
        dryRun: args.dryRun,
        only: args.only,
        runId: args.runId,
        print: out,
        log: args.verbose ? out : undefined,
        interrupt: interrupt.signal,
        hardStop: hardStop.signal,
        onLedger: (l) => (ledger = l),
      });
      if (result.report) {
        const files = writeReport(resolve(args.out), result.report);
        out(`report: ${files.json}\n        ${files.md}`);
      }
      return result.exitCode;
    } finally {
      await target.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`conformance: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
