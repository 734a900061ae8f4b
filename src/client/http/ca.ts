/**
 * The certificate authorities a TLS connection trusts: Node's bundled roots, plus the operating
 * system's trusted certificates (so a corporate CA that the OS trusts works without extra steps),
 * plus the PEM file named by NODE_EXTRA_CA_CERTS, plus certificates given by the caller.
 *
 * The OS store:
 * - Node ≥ 22.15 / 23.5 (VS Code's current extension host): `tls.getCACertificates('system')`, the
 *   store Node's own `--use-system-ca` reads (Windows and macOS keychains, OpenSSL's paths on Linux).
 * - Older Node (20.x, 22.<15): Linux reads OpenSSL's trust file — `SSL_CERT_FILE`, else the
 *   distribution bundle (Debian/Ubuntu `/etc/ssl/certs/ca-certificates.crt`, RHEL/Fedora, SUSE,
 *   Alpine) — and the `*.pem` / `*.crt` files of `SSL_CERT_DIR`; macOS asks `security
 *   find-certificate` for the system keychains; Windows has no store reachable without native code
 *   there (use NODE_EXTRA_CA_CERTS).
 * Results are read, and merged, once per process (per input) and cached; the secure context built from them is
 * cached by the set of certificates, so every connection reuses it.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import * as tls from 'node:tls';

export type Env = Record<string, string | undefined>;

const LINUX_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
const MAC_KEYCHAINS = ['/System/Library/Keychains/SystemRootCertificates.keychain', '/Library/Keychains/System.keychain'];

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Splits PEM text into single certificates (normalised line endings). */
export function pemCertificates(text: string): string[] {
  return (text.replace(/\r\n/g, '\n').match(PEM_BLOCK) ?? []).map((c) => `${c.trim()}\n`);
}

export interface SystemStore {
  certificates: string[];
  /** Where they came from, for the log: 'node:system', a file, a directory, 'macos:security', or 'none'. */
  source: string;
}

type GetCa = (type: 'system' | 'bundled' | 'default' | 'extra') => string[];

const systemCache = new Map<string, SystemStore>();

/** The operating system's trusted CA certificates (see the file comment). `platform` and `nodeStore` are for tests. */
export function systemCaCertificates(env: Env, o: { platform?: NodeJS.Platform; useNodeStore?: boolean } = {}): SystemStore {
  const platform = o.platform ?? process.platform;
  const getCa = (tls as unknown as { getCACertificates?: GetCa }).getCACertificates;
  const useNode = (o.useNodeStore ?? true) && typeof getCa === 'function';
  const key = JSON.stringify([platform, useNode, env.SSL_CERT_FILE ?? '', env.SSL_CERT_DIR ?? '']);
  const cached = systemCache.get(key);
  if (cached) return cached;
  let store: SystemStore = { certificates: [], source: 'none' };
  try {
    if (useNode && getCa) {
      store = { certificates: getCa('system').map((c) => (c.endsWith('\n') ? c : `${c}\n`)), source: 'node:system' };
    } else if (platform === 'darwin') {
      const out = execFileSync('/usr/bin/security', ['find-certificate', '-a', '-p', ...MAC_KEYCHAINS.filter((k) => existsSync(k))], {
        encoding: 'utf8',
        timeout: 10_000,
        maxBuffer: 16 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      store = { certificates: pemCertificates(out), source: 'macos:security' };
    } else if (platform !== 'win32') {
      store = linuxStore(env);
    }
  } catch {
    store = { certificates: [], source: 'none' };
  }
  systemCache.set(key, store);
  return store;
}

function linuxStore(env: Env): SystemStore {
  const certs: string[] = [];
  const sources: string[] = [];
  const file = env.SSL_CERT_FILE?.trim() || LINUX_BUNDLES.find((f) => existsSync(f));
  if (file && existsSync(file)) {
    certs.push(...pemCertificates(readFileSync(file, 'utf8')));
    sources.push(file);
  }
  const dir = env.SSL_CERT_DIR?.trim();
  if (dir) {
    for (const d of dir.split(':')) {
      if (!d || !existsSync(d) || !statSync(d).isDirectory()) continue;
      for (const f of readdirSync(d)) {
        if (!/\.(pem|crt)$/i.test(f)) continue;
        try {
          certs.push(...pemCertificates(readFileSync(join(d, f), 'utf8')));
        } catch {
          // unreadable entry: skip
        }
      }
      sources.push(d);
    }
  }
  return { certificates: certs, source: sources.join(', ') || 'none' };
}

export interface CaOptions {
  /** Extra PEM certificates from the caller. */
  ca?: string | string[];
  /** Add the OS store (default true; VS Code's `http.systemCertificates`). */
  systemCertificates?: boolean;
}

export interface TrustedCas {
  /** undefined: Node's defaults are enough (nothing to add). */
  certificates: string[] | undefined;
  /** One line for the log: what was added. */
  summary: string;
}

/**
 * The CA list to trust: Node's bundled roots + the OS store (what it adds to them) +
 * NODE_EXTRA_CA_CERTS + `ca`. Unreadable NODE_EXTRA_CA_CERTS is reported through `warn` and skipped.
 */
export function resolveTrustedCas(o: CaOptions, env: Env, warn: (m: string) => void = () => undefined): TrustedCas {
  // Merged once per input: every workspace client of a fleet asks, and merging parses ~300 roots
  // (100 clients: ~140 ms of a first refresh). The NODE_EXTRA_CA_CERTS file is part of the key by
  // its size and modification time, so a changed file is read again; its warnings are repeated.
  const file = env.NODE_EXTRA_CA_CERTS?.trim();
  let stamp = '';
  if (file) {
    try {
      const st = statSync(file);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      stamp = 'unreadable';
    }
  }
  const key = JSON.stringify([o.ca ?? null, o.systemCertificates !== false, file ?? '', stamp, env.SSL_CERT_FILE ?? '', env.SSL_CERT_DIR ?? '']);
  const known = trustedCache.get(key);
  if (known) {
    known.warnings.forEach(warn);
    return known.result;
  }
  const warnings: string[] = [];
  const result = mergeTrustedCas(o, env, file, (m) => warnings.push(m));
  if (trustedCache.size > 16) trustedCache.clear();
  trustedCache.set(key, { result, warnings });
  warnings.forEach(warn);
  return result;
}

const trustedCache = new Map<string, { result: TrustedCas; warnings: string[] }>();

function mergeTrustedCas(o: CaOptions, env: Env, file: string | undefined, warn: (m: string) => void): TrustedCas {
  const extra: string[] = [];
  const parts: string[] = [];
  if (o.ca !== undefined) {
    const given = (Array.isArray(o.ca) ? o.ca : [o.ca]).filter((c) => c.trim() !== '');
    extra.push(...given);
    if (given.length > 0) parts.push(`${given.length} given`);
  }
  if (file) {
    try {
      extra.push(readFileSync(file, 'utf8'));
      parts.push(`NODE_EXTRA_CA_CERTS ${file}`);
    } catch (e) {
      warn(`NODE_EXTRA_CA_CERTS: cannot read ${file} (${e instanceof Error ? e.message : String(e)}); continuing without it.`);
    }
  }
  let system: SystemStore = { certificates: [], source: 'none' };
  if (o.systemCertificates !== false) {
    system = systemCaCertificates(env);
    if (system.certificates.length > 0) parts.push(`${system.certificates.length} from the OS store (${system.source})`);
  }
  if (extra.length === 0 && system.certificates.length === 0) return { certificates: undefined, summary: 'Node.js bundled CA certificates' };
  // The OS store mostly repeats Node's roots: add only what is new.
  const seen = new Set(rootCertificates.map((c) => c.replace(/\s+/g, '')));
  const all: string[] = [...rootCertificates];
  for (const c of system.certificates) {
    const k = c.replace(/\s+/g, '');
    if (seen.has(k)) continue;
    seen.add(k);
    all.push(c);
  }
  all.push(...extra);
  // shared by every client of the same input (resolveTrustedCas's cache): frozen, so nobody changes it for the others
  return { certificates: Object.freeze(all) as string[], summary: `Node.js bundled CA certificates + ${parts.join(' + ')}` };
}

const contextCache = new Map<string, SecureContext>();

/** One secure context per set of CAs (building it parses every certificate: do it once). */
export function secureContextFor(certificates: string[]): SecureContext {
  // the same list (resolveTrustedCas hands out one per input) without hashing its ~300 KB again
  const same = contextByList.get(certificates);
  if (same) return same;
  const key = createHash('sha256').update(certificates.join('')).digest('hex');
  let ctx = contextCache.get(key);
  if (!ctx) {
    ctx = createSecureContext({ ca: certificates });
    if (contextCache.size > 16) contextCache.clear();
    contextCache.set(key, ctx);
  }
  contextByList.set(certificates, ctx);
  return ctx;
}

const contextByList = new WeakMap<string[], SecureContext>();
