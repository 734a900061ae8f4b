/**
 * Runs the extension-host suite in a downloaded desktop VS Code with @vscode/test-electron, for
 * machines that can reach Microsoft's update server (a laptop, a public CI). Not used on the project's
 * build machines, which cannot download VS Code: there scripts/run-host-suite.ts runs the same suite
 * in code-server.
 *   npx tsc -p . && node esbuild.mjs && node out/test/suite/electron.js
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../harness/paths';
import { startServices } from '../harness/services';

async function main(): Promise<void> {
  const root = repoRoot();
  const services = await startServices();
  let code: number;
  try {
    code = await runTests({
      version: process.env.PC_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'suite', 'index.js'),
      launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: services.env,
    });
  } finally {
    await services.close();
  }
  process.exit(code);
}

main().catch((e: unknown) => {
  console.error(`electron host suite: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
