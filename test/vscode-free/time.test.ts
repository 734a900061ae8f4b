/** One time format in the whole UI: localized, with the zone (src/vscode/ui/time.ts). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatExpiry, formatTime, localizeTimes, setTimeFormat } from '../../src/vscode/ui/time';
import { partnerTooltip, workspaceTooltip } from '../../src/vscode/tree/presentation';
import { connectionReport } from '../../src/vscode/report/report';
import { status } from './fixtures';

const US_UTC = { locale: 'en-US', timeZone: 'UTC' };

test('a time reads like the locale, with the zone; engine messages have their ISO times rewritten', () => {
  assert.equal(formatTime('2026-01-02T03:04:05.000Z', US_UTC), 'Jan 2, 2026, 03:04 AM UTC');
  assert.match(formatTime('2026-01-02T03:04:05.000Z', { locale: 'de-DE', timeZone: 'Europe/Berlin' }), /2026, 04:04 MEZ$/);
  assert.equal(formatTime(null, US_UTC), '—');
  assert.equal(formatTime('not a time', US_UTC), 'not a time');
  assert.equal(formatExpiry('never', US_UTC), 'never');
  assert.equal(
    localizeTimes('A connect by ava@x started at 2026-01-02T03:04:05.000Z has not finished; retry after 2026-01-02T04:00Z.', US_UTC),
    'A connect by ava@x started at Jan 2, 2026, 03:04 AM UTC has not finished; retry after Jan 2, 2026, 04:00 AM UTC.',
  );
});

test('tooltips and the report show no ISO time', () => {
  setTimeFormat(US_UTC);
  try {
    const s = status('dbt-cloud', 'degraded', {
      reasons: [{ code: 'connect-incomplete', message: 'A connect by ava.admin@acme.example started at 2026-01-02T03:04:05.000Z has not finished.' }],
    });
    const iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
    const tip = partnerTooltip(s);
    assert.doesNotMatch(tip, iso);
    assert.match(tip, /Jan 2, 2026, 03:04 AM UTC/);
    const snap = { host: 'h', identity: { userName: 'a', displayName: null, userId: '1', isWorkspaceAdmin: true, isMetastoreAdmin: false }, metastore: null, partners: [s], stats: { waves: 1, requestsPerWave: [1], requests: 1 }, limitations: [], takenAt: '2026-01-02T05:06:07.000Z' };
    assert.match(workspaceTooltip('W', 'h', 'pat', snap), /Checked at Jan 2, 2026, 05:06 AM UTC/);
    const report = connectionReport([{ name: 'W', host: 'h', snapshot: snap }], '2026-01-02T05:06:07.000Z', '0.1.0');
    assert.doesNotMatch(report, iso);
    assert.match(report, /Generated Jan 2, 2026, 05:06 AM UTC/);
  } finally {
    setTimeFormat({});
  }
});

test('the history (Show History, report, inspect) and the audit events show times in the one format', async () => {
  setTimeFormat(US_UTC);
  try {
    const { historyMarkdown, historyRows } = await import('../../src/vscode/report/history');
    const entry = {
      schemaVersion: 1,
      id: 'e1',
      action: 'connect',
      partner: 'hex',
      partnerName: 'Hex',
      by: 'ava.admin@acme.example',
      startedAt: '2026-01-02T03:04:00.000Z',
      finishedAt: '2026-01-02T03:04:05.000Z',
      outcome: 'succeeded',
      created: [],
      changed: [],
      deleted: [],
      left: [],
    } as unknown as Parameters<typeof historyRows>[0][number];
    assert.equal(historyRows([entry])[0].when, 'Jan 2, 2026, 03:04 AM UTC');
    const md = historyMarkdown({ entries: [entry], invalid: [], truncated: false } as unknown as Parameters<typeof historyMarkdown>[0], { withPartner: true }).join('\n');
    assert.doesNotMatch(md, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\(UTC\)/, md);
    assert.match(md, /\| Jan 2, 2026, 03:04 AM UTC \| Hex \|/);
  } finally {
    setTimeFormat({});
  }
});
