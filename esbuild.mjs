// Bundles the extension (dist/extension.js), the shared client for plain Node (dist/client.js)
// and the webview scripts (dist/webview/*.js).
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  legalComments: 'linked',
  logLevel: 'info',
};

const webviewEntries = existsSync('src/webview')
  ? readdirSync('src/webview').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => `src/webview/${f}`)
  : [];

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['src/client/index.ts'], outfile: 'dist/client.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
];
if (webviewEntries.length > 0) {
  builds.push({ ...common, entryPoints: webviewEntries, outdir: 'dist/webview', platform: 'browser', format: 'iife', target: 'es2022' });
}

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('[esbuild] watching for changes');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
