/**
 * Locations used by the harness. Works from the TypeScript sources and from the compiled `out/` tree:
 * the repository root is the nearest folder above this file whose package.json is this extension's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'partner-connect-vscode';

export function repoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        const parsed: unknown = JSON.parse(fs.readFileSync(pj, 'utf8'));
        if (parsed && typeof parsed === 'object' && (parsed as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        /* not ours: keep looking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${start}`);
    dir = parent;
  }
}

/** test-results/ at the repository root (screenshots, logs); created on demand. */
export function resultsDir(...sub: string[]): string {
  const dir = path.join(repoRoot(), 'test-results', ...sub);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The packaged extension written by `npm run package`. */
export function vsixPath(): string {
  return path.join(repoRoot(), 'dist', 'partner-connect.vsix');
}

/**
 * The development extension built by `node esbuild.mjs` (manifest, media and the bundles WITH the
 * demo/test hooks of src/vscode/dev): what the demo, the extension-host suite and the e2e journeys load
 * as `extensionDevelopmentPath`. The VSIX never holds these hooks.
 */
export function devExtensionPath(): string {
  return path.join(repoRoot(), 'out', 'dev-extension');
}

/** The extension's manifest (publisher.name is the extension id). */
export function extensionId(): string {
  const pj = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${pj.publisher}.${pj.name}`;
}
