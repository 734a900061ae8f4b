/** The extension's version comes from one constant (src/client/version.ts), equal to package.json's. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_NAME, CLIENT_VERSION, PRODUCT } from '../../src/client';
import { repoRoot } from '../harness/paths';

test('PRODUCT is package.json name and version, and the client uses it', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
  assert.deepEqual({ name: PRODUCT.name, version: PRODUCT.version }, { name: pkg.name, version: pkg.version });
  assert.equal(CLIENT_NAME, PRODUCT.name);
  assert.equal(CLIENT_VERSION, PRODUCT.version);
});
