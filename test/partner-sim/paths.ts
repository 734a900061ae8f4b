/**
 * Where the repository and the shared reference material are. The repo root is the nearest folder
 * above this file holding package.json (works from test/ sources and from compiled out/test/);
 * `shared/` sits beside the repo root (`../shared`), both locally and in CI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function findRepoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
}

export function sharedDir(): string {
  return path.resolve(findRepoRoot(), '..', 'shared');
}

/** The Partner Connect OpenAPI file (API version 2.1.1). */
export function partnerConnectSpecPath(): string {
  return path.join(sharedDir(), 'partner-connect-api', 'partner-connect-2.0.yaml');
}

/** The folder of published sample PartnerConfig JSON files. */
export function samplePartnerConfigsDir(): string {
  return path.join(sharedDir(), 'partner-connect-api', 'partners');
}
