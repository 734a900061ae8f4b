/**
 * The extension host of the killed-process matrix (killed-matrix.test.ts): runs one operation against
 * the emulator at `url` over real HTTP, as the engine runs in the extension host, until the test
 * SIGKILLs it. The job comes as JSON in argv[2]; "done" on stdout when the operation finished.
 */
import { createWorkspaceClient } from '../../src/client';
import { applyRepair, connect, disconnect, inspectConnection, loadBuiltinCatalog, rotateCredential, type ConnectChoices, type EngineContext } from '../../src/domain';

export interface KillJob {
  url: string;
  token: string;
  op: 'connect' | 'disconnect' | 'rotate' | 'repair';
  partnerId: string;
  choices: ConnectChoices;
}

async function main(job: KillJob): Promise<void> {
  // as the tests' clients (test/domain/helpers.ts clientFor; not imported: it would load the emulator too)
  const client = createWorkspaceClient({ host: job.url, auth: { type: 'pat', token: job.token }, env: {}, retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 }, statementPoll: { initialDelayMs: 1, maxDelayMs: 5 } });
  const ctx: EngineContext = { client, extensionVersion: '0.0.0-test', rollbackSettleMs: 30, rollbackRetryDelaysMs: [5, 20] };
  const partner = loadBuiltinCatalog().require(job.partnerId);
  const secret = { deliverSecretOnce: (): void => undefined };
  switch (job.op) {
    case 'connect':
      await connect(ctx, partner, job.choices, secret);
      break;
    case 'disconnect':
      await disconnect(ctx, partner, 'reset');
      break;
    case 'rotate':
      await rotateCredential(ctx, partner, secret);
      break;
    case 'repair':
      await applyRepair(client, await inspectConnection(client, partner));
      break;
  }
  await client.close();
  process.stdout.write('done\n');
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? '{}') as KillJob).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    process.exit(1);
  });
}
