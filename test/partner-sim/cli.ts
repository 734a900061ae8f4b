/**
 * Runs the partner simulator standalone:
 *   npm run partner-sim -- [--port 8124] [--username U --password P] [--scenario NAME]
 *                          [--new-user-action auto_add|invite|not_found|error] [--config-out FILE]
 * Prints the URL, the basic-auth credentials to configure in the extension, and the PartnerConfig
 * (also written to --config-out when given). Logs one line per API request (never a secret).
 */
import * as fs from 'node:fs';
import { NewUserAction } from '../../src/client/partner/partnerConfig';
import { startPartnerSim, type SimScenarioName } from './index';

const SCENARIOS: readonly SimScenarioName[] = [
  'default',
  'new_user',
  'existing_user',
  'expired_trial',
  'configured_resources_false',
  'unauthorized',
  'account_not_found',
  'connection_not_found',
  'server_error',
  'foreign_redirect',
  'malformed_response',
];

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : undefined;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'partner-sim [--port N] [--username U --password P] [--scenario NAME] [--new-user-action A] [--config-out FILE]\n' +
        `scenarios: ${SCENARIOS.join(', ')}\n`,
    );
    return;
  }
  const portText = arg(argv, 'port') ?? '8124';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${portText}`);
  const username = arg(argv, 'username');
  const password = arg(argv, 'password');
  const scenario = arg(argv, 'scenario') ?? 'default';
  if (!SCENARIOS.includes(scenario as SimScenarioName)) throw new Error(`unknown --scenario ${scenario} (${SCENARIOS.join(', ')})`);
  const nua = NewUserAction.parse(arg(argv, 'new-user-action') ?? 'auto_add');

  const sim = await startPartnerSim({
    port,
    ...(username !== undefined && password !== undefined ? { credentials: { username, password } } : {}),
    scenario: scenario as SimScenarioName,
    newUserAction: nua,
    onRequest: (r) => {
      const line = `#${r.seq} ${r.method} ${r.path} -> ${r.status} [${r.scenario}]${r.valid ? '' : ` INVALID: ${r.errors.join('; ')}`}`;
      process.stdout.write(`${line}\n`);
    },
  });
  const config = sim.partnerConfig();
  const out = arg(argv, 'config-out');
  if (out) fs.writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
  process.stdout.write(
    `Partner simulator listening on ${sim.url}\n` +
      `Basic auth: username=${sim.credentials.username} password=${sim.credentials.password}\n` +
      (out ? `PartnerConfig written to ${out}\n` : `PartnerConfig:\n${JSON.stringify(config, null, 2)}\n`) +
      `Requests and replies are checked against the Partner Connect protocol ${sim.protocol.version} (test/partner-sim/protocol.ts)\n`,
  );
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`partner-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
