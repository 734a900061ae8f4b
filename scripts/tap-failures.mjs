// Prints each failing test of a node --test TAP report with its error message, for the end of
// `npm test`: a CI log that keeps only its tail still says why a test failed (its name alone does
// not — a soak failure names its seed there). Suites that failed only because a test in them did are
// left out. Usage: node scripts/tap-failures.mjs <report.tap> [--max-lines N]
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
const maxIdx = rest.indexOf('--max-lines');
const maxLines = maxIdx >= 0 ? Number(rest[maxIdx + 1]) : 40;
if (!file) {
  console.error('usage: node scripts/tap-failures.mjs <report.tap> [--max-lines N]');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n');
const out = [];
for (let i = 0; i < lines.length; i++) {
  const m = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
  if (!m) continue;
  const indent = m[1].length;
  // the YAML block: from "---" to "...", indented two more than the test line
  const block = [];
  let j = i + 1;
  if (lines[j]?.trim() === '---') {
    for (j += 1; j < lines.length && lines[j].trim() !== '...'; j++) block.push(lines[j].slice(indent + 2));
  }
  const failureType = block.find((l) => l.startsWith('failureType:')) ?? '';
  if (failureType.includes('subtestsFailed')) continue;
  const location = (block.find((l) => l.startsWith('location:')) ?? '').replace(/^location:\s*/, '');
  // the error: a one-line `error: '…'` or a `error: |-` block of deeper-indented lines
  const e = block.findIndex((l) => l.startsWith('error:'));
  const message = [];
  if (e >= 0) {
    const first = block[e].replace(/^error:\s*/, '');
    if (first !== '|-' && first !== '|') message.push(first);
    else for (let k = e + 1; k < block.length && /^\s{2}/.test(block[k]); k++) message.push(block[k].slice(2));
  }
  out.push(`✖ ${m[2]}${location ? `  (${location})` : ''}`);
  const shown = message.slice(0, maxLines);
  for (const l of shown) out.push(`    ${l}`);
  if (message.length > shown.length) out.push(`    … ${message.length - shown.length} more line(s) in ${file}`);
}
if (out.length) console.log(out.join('\n'));
