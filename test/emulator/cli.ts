/**
 * Standalone emulator: `npm run emulator -- [--port 8123] [--host 127.0.0.1] [--seed <file>]`.
 * Prints the URL and the admin token of the seed (an emulator credential), runs until Ctrl-C.
 */
import { DEMO_SEED_PATH, startEmulator } from './index';

function usage(): never {
  process.stderr.write('usage: npm run emulator -- [--port <n>] [--host <addr>] [--seed <seed.json>]\n');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let port = 0;
  let host = '127.0.0.1';
  let seed = DEMO_SEED_PATH;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === '--help' || a === '-h') usage();
    if (v === undefined) usage();
    if (a === '--port') port = Number(v);
    else if (a === '--host') host = v;
    else if (a === '--seed') seed = v;
    else usage();
    i++;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage();
  const emu = await startEmulator({ seed, port, host });
  const admin = [...emu.state.users.values()].find((u) => u.groups.has('admins'));
  process.stdout.write(
    [
      `Databricks workspace emulator listening on ${emu.url}`,
      `seed: ${seed}`,
      `admin user: ${admin?.userName ?? '?'}`,
      `admin token (emulator credential): ${emu.adminToken}`,
      `try: curl -s -H "Authorization: Bearer ${emu.adminToken}" ${emu.url}/api/2.0/preview/scim/v2/Me`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void emu.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
