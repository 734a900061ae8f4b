/**
 * The bench's `extension` scenario: how light the shipped extension is.
 *
 * - Sizes: the shipped bundles built the way `npm run package` builds them (esbuild.mjs --production,
 *   into a temp folder, with esbuild's metafile: the largest inputs of each bundle are listed), and
 *   the VSIX that vsce makes of them (a staged copy of the package, so nothing in the working tree
 *   changes): its size and files.
 * - Activation: a fresh Node process per run (bench/extensionHost.ts) loads the bundle with a
 *   stand-in `vscode` module and calls activate(): time to the tree provider registered.
 * - First tree render of a 30-partner workspace once its data arrived, and memory after loading
 *   20 workspaces (each one its own client and detection; they all point at one emulator).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './measure';
import type { HostArgs, HostResult } from './extensionHost';
import { RemoteEmulator } from './remoteEmulator';
import { RECORD_FOLDER } from '../test/fixtures/seed';
import { detectionSeed } from './seeds';

const ROOT = resolve(__dirname, '../..');
const KiB = 1024;

export interface BundleSize {
  file: string;
  bytes: number;
  /** the largest inputs (package or source folder) by bytes in the output */
  top: { input: string; bytes: number }[];
  /** zod's classic API (zod/v4/classic) is in this bundle */
  hasZodClassic: boolean;
}

export interface ExtensionFigures {
  bundles: BundleSize[];
  maps: { file: string; bytes: number }[];
  vsix: { bytes: number; files: string[] } | { error: string };
  activation: { runs: number; treeMs: number; treeMsMin: number; loadMs: number; cpuMs: number; activateMs: number };
  render: { runs: number; renderMs: number; items: number; partners: number; dataMs: number } | null;
  memory: { workspaces: number; ready: number; heapGrowthMiB: number; heapAfterMiB: number; rssMiB: number } | null;
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** `node_modules/zod/v4/core/x.js` → `zod/v4/core`, `src/domain/connect/x.ts` → `src/domain/connect`. */
function group(input: string): string {
  const parts = input.split('/');
  const nm = parts.lastIndexOf('node_modules');
  if (nm >= 0) {
    const pkg = parts[nm + 1].startsWith('@') ? parts.slice(nm + 1, nm + 3) : parts.slice(nm + 1, nm + 2);
    const rest = parts.slice(nm + 1 + pkg.length);
    const sub = pkg[0] === 'zod' ? rest.slice(0, 2) : pkg[0] === 'undici' ? rest.slice(0, 2) : [];
    return [...pkg, ...sub].join('/');
  }
  return parts.slice(0, Math.min(3, parts.length - 1)).join('/') || input;
}

function bundleSizes(dist: string): BundleSize[] {
  const out: BundleSize[] = [];
  for (const m of readdirSync(join(dist, 'meta'))) {
    const meta = JSON.parse(readFileSync(join(dist, 'meta', m), 'utf8')) as Metafile;
    for (const [file, o] of Object.entries(meta.outputs)) {
      if (!file.endsWith('.js')) continue;
      const groups = new Map<string, number>();
      for (const [input, v] of Object.entries(o.inputs)) groups.set(group(input), (groups.get(group(input)) ?? 0) + v.bytesInOutput);
      const rel = file.slice(file.indexOf('dist-bench/') + 'dist-bench/'.length);
      out.push({
        file: `dist/${rel}`,
        bytes: o.bytes,
        top: [...groups].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([input, bytes]) => ({ input, bytes })),
        hasZodClassic: Object.keys(o.inputs).some((i) => i.includes('zod/v4/classic')),
      });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

function mapSizes(dir: string, prefix = 'dist'): { file: string; bytes: number }[] {
  const out: { file: string; bytes: number }[] = [];
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    if (f.isDirectory() && f.name !== 'meta') out.push(...mapSizes(join(dir, f.name), `${prefix}/${f.name}`));
    else if (f.name.endsWith('.map')) out.push({ file: `${prefix}/${f.name}`, bytes: statSync(join(dir, f.name)).size });
  }
  return out;
}

/** vsce package of a staged copy: manifest, texts, media and the freshly built dist/. */
function packageVsix(dist: string, stage: string): ExtensionFigures['vsix'] {
  try {
    for (const f of ['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) cpSync(join(ROOT, f), join(stage, f));
    cpSync(join(ROOT, 'media'), join(stage, 'media'), { recursive: true });
    cpSync(dist, join(stage, 'dist'), { recursive: true });
    const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const urls = ['--baseContentUrl', 'https://example.invalid/partner-connect-vscode/blob/HEAD', '--baseImagesUrl', 'https://example.invalid/partner-connect-vscode/raw/HEAD'];
    const out = join(stage, 'bench.vsix');
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', ...urls, '--out', out], { cwd: stage, stdio: 'pipe', timeout: 180_000 });
    const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8', timeout: 60_000 })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return { bytes: statSync(out).size, files };
  } catch (e) {
    const err = e as { stderr?: Buffer | string; message?: string };
    return { error: String(err.stderr ?? err.message ?? e).trim().split('\n').slice(-3).join(' ') };
  }
}

function host(args: HostArgs): Promise<HostResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(__dirname, 'extensionHost.js'), JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`extensionHost exited with ${code}: ${stderr.trim().split('\n').slice(-4).join(' ')}`));
      try {
        resolveRun(JSON.parse(stdout.trim().split('\n').pop() ?? '') as HostResult);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

export async function measureExtension(opts: { quick: boolean; progress?: (s: string) => void }): Promise<ExtensionFigures> {
  const tmp = mkdtempSync(join(tmpdir(), 'pc-bench-ext-'));
  try {
    const dist = join(tmp, 'dist-bench');
    execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs'), '--production', '--outdir', dist, '--metafile'], { cwd: ROOT, stdio: 'pipe', timeout: 300_000 });
    const bundles = bundleSizes(dist);
    const maps = mapSizes(dist);
    const stage = join(tmp, 'stage');
    const vsix = packageVsix(dist, stage);
    const bundle = join(dist, 'extension.js');

    const runs = opts.quick ? 2 : 9;
    const act: HostResult[] = [];
    for (let i = 0; i < runs; i++) act.push(await host({ bundle, workspaces: [], recordFolder: RECORD_FOLDER }));
    const activation = {
      runs,
      treeMs: median(act.map((r) => r.treeMs)),
      treeMsMin: Math.min(...act.map((r) => r.treeMs)),
      loadMs: median(act.map((r) => r.loadMs)),
      cpuMs: median(act.map((r) => r.cpuMs)),
      activateMs: median(act.map((r) => r.activateMs)),
    };

    const emu = await RemoteEmulator.start({ seed: detectionSeed(), fillerServicePrincipals: 1_000, fillerTokens: 300, latencyMs: 0 });
    try {
      const ws = (n: number): HostArgs['workspaces'] => Array.from({ length: n }, (_, i) => ({ name: `bench-${String(i + 1).padStart(2, '0')}`, host: emu.url, token: emu.adminToken }));
      const renders: HostResult[] = [];
      for (let i = 0; i < (opts.quick ? 1 : 5); i++) renders.push(await host({ bundle, workspaces: ws(1), recordFolder: RECORD_FOLDER }));
      const render = {
        runs: renders.length,
        renderMs: median(renders.map((r) => r.renderMs ?? NaN)),
        items: renders[0].renderedItems ?? 0,
        partners: renders[0].partnersRendered ?? 0,
        dataMs: median(renders.map((r) => r.dataMs ?? NaN)),
      };
      const m = await host({ bundle, workspaces: ws(20), recordFolder: RECORD_FOLDER });
      const memory = { workspaces: 20, ready: m.ready, heapGrowthMiB: m.heapAfterMiB - m.heapBeforeMiB, heapAfterMiB: m.heapAfterMiB, rssMiB: m.rssMiB };
      return { bundles, maps, vsix, activation, render, memory };
    } finally {
      await emu.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export const kib = (b: number): string => `${(b / KiB).toFixed(0)} KiB`;

