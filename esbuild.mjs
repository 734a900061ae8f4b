// Bundles the extension (dist/extension.js), the shared client for plain Node (dist/client.js)
// and the webview scripts and stylesheets (dist/webview/*.js, dist/webview/*.css).
//
// Two flavours of the extension bundle:
// - dist/ (what the VSIX ships): src/vscode/dev/ is replaced by src/vscode/dev/none.ts, so the
//   bundle holds no demo/test hooks (no PC_* environment, no test API) - whatever the mode;
// - out/dev-extension/ (demo, extension-host suite, e2e journeys): the manifest, media and bundles
//   WITH src/vscode/dev/, loaded as a development extension (extensionDevelopmentPath), so the hooks
//   run in ExtensionMode.Development/Test only (src/extension.ts checks the mode as well).
//
// dist/client.js is a library build for scripts: it is not in the VSIX (.vscodeignore), nor are the
// source maps (see README, Performance: they would be ~3x the size of the code they map).
//
// Usage: node esbuild.mjs [--production] [--watch] [--outdir DIR] [--dev | --no-dev] [--metafile]
//   --production  minified, and the dev extension is not built
//   --outdir DIR  where the shipped flavour goes (default dist)
//   --dev         build only the dev flavour (into --outdir/dist when given, else out/dev-extension)
//   --metafile    also write esbuild's metafile of each bundle to <outdir>/meta/<bundle>.json (what is
//                 in a bundle, byte by byte: npm run bench reports the largest inputs)
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const production = argv.includes('--production');
const watch = argv.includes('--watch');
const onlyDev = argv.includes('--dev');
const noDev = argv.includes('--no-dev') || production;
const metafile = argv.includes('--metafile');
const outIndex = argv.indexOf('--outdir');
const outdir = outIndex >= 0 ? resolve(argv[outIndex + 1]) : join(root, 'dist');
const devRoot = onlyDev && outIndex >= 0 ? outdir : join(root, 'out', 'dev-extension');

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  // Error classes are named from new.target.name (e.g. DatabricksApiError): minified builds must keep
  // class and function names, or messages and logs read "pt: …" (tested in test/client/bundle.test.ts).
  keepNames: true,
  legalComments: 'linked',
  logLevel: 'info',
  absWorkingDir: root,
};

/** The shipped flavour: every import of src/vscode/dev resolves to src/vscode/dev/none.ts. */
const withoutDevHooks = {
  name: 'without-dev-hooks',
  setup(build) {
    const devDir = join(root, 'src', 'vscode', 'dev');
    const none = join(devDir, 'none.ts');
    build.onResolve({ filter: /(^|\/)dev(\/index)?$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      return target === devDir || target === join(devDir, 'index') ? { path: none } : undefined;
    });
  },
};

/**
 * undici (~560 KiB minified) is its own file, dist/vendor/undici.js, which the extension requires when
 * it sends its first request (src/client/http/transport.ts): activation does not compile it.
 */
const undiciApart = {
  name: 'undici-apart',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: './vendor/undici.js', external: true }));
  },
};

const webviewEntries = existsSync(join(root, 'src/webview'))
  ? readdirSync(join(root, 'src/webview')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => `src/webview/${f}`)
  : [];

const webviewStyles = existsSync(join(root, 'src/webview/styles'))
  ? readdirSync(join(root, 'src/webview/styles')).filter((f) => f.endsWith('.css')).map((f) => `src/webview/styles/${f}`)
  : [];

function flavour(dir, plugins) {
  const b = [
    { ...common, plugins: [...plugins, undiciApart], entryPoints: ['src/extension.ts'], outfile: join(dir, 'extension.js'), platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
    { ...common, entryPoints: { undici: 'undici' }, outdir: join(dir, 'vendor'), platform: 'node', format: 'cjs', target: 'node20' },
    { ...common, entryPoints: ['src/client/index.ts'], outfile: join(dir, 'client.js'), platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  ];
  if (webviewEntries.length > 0) b.push({ ...common, entryPoints: webviewEntries, outdir: join(dir, 'webview'), platform: 'browser', format: 'iife', target: 'es2022' });
  // the webviews' stylesheets, with the @vscode-elements/elements-lite rules they @import inlined
  if (webviewStyles.length > 0) b.push({ ...common, entryPoints: webviewStyles, outdir: join(dir, 'webview'), target: 'chrome114' });
  return b;
}

/** The dev extension's folder: the manifest, its strings (package.nls, l10n/) and media beside the dev bundles. */
function stageDevExtension() {
  mkdirSync(devRoot, { recursive: true });
  for (const f of ['package.json', 'package.nls.json']) cpSync(join(root, f), join(devRoot, f));
  for (const d of ['media', 'l10n']) {
    rmSync(join(devRoot, d), { recursive: true, force: true });
    if (existsSync(join(root, d))) cpSync(join(root, d), join(devRoot, d), { recursive: true });
  }
}

const builds = [];
if (!onlyDev) builds.push(...flavour(outdir, [withoutDevHooks]));
if (!noDev) {
  stageDevExtension();
  builds.push(...flavour(join(devRoot, 'dist'), []));
}

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('[esbuild] watching for changes');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile })));
  if (metafile) {
    const metaDir = join(outdir, 'meta');
    mkdirSync(metaDir, { recursive: true });
    results.forEach((r, i) => {
      const b = builds[i];
      const styles = Array.isArray(b.entryPoints) && b.entryPoints.every((e) => e.endsWith('.css'));
      const name = b.outfile ? basename(b.outfile, '.js') : `${basename(b.outdir)}${styles ? '-styles' : ''}`;
      if (b.outfile?.startsWith(outdir) || b.outdir?.startsWith(outdir)) writeFileSync(join(metaDir, `${name}.json`), JSON.stringify(r.metafile));
    });
  }
}
