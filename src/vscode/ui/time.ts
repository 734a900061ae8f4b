/**
 * One way to show a point in time everywhere in the UI (tree, tooltips, inspect, connect form,
 * notifications, report): localized, with the time zone — the engine and the records keep ISO UTC.
 * No `vscode` import (unit-tested in test/vscode-free).
 */

export interface TimeFormat {
  /** BCP 47 locale; default: the extension host's */
  locale?: string;
  /** IANA zone; default: the local one */
  timeZone?: string;
}

let defaults: TimeFormat = {};

/** The locale (VS Code's display language) and zone used when a call names none. */
export function setTimeFormat(f: TimeFormat): void {
  defaults = { ...f };
}

function formatter(f: TimeFormat): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone: f.timeZone,
  };
  try {
    return new Intl.DateTimeFormat(f.locale, options);
  } catch {
    // an unknown locale or zone: the host's defaults
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone: undefined });
  }
}

/** "Jan 2, 2026, 03:04 AM UTC" (in the user's locale and zone); the input as given when it is not a time. */
export function formatTime(when: string | number | Date | null | undefined, f: TimeFormat = defaults): string {
  if (when === null || when === undefined || when === '') return '—';
  const d = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(d.getTime())) return String(when);
  return formatter({ ...defaults, ...f }).format(d);
}

/** A date-time in ISO 8601 form as the engine writes them (UTC, `Z` or an offset). */
const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

/** Rewrites every ISO time inside an engine message into the UI's format. */
export function localizeTimes(text: string, f: TimeFormat = defaults): string {
  return text.replace(ISO_INSTANT, (iso) => formatTime(iso, f));
}

/** A token's expiry: "never", or a time. */
export function formatExpiry(expiry: string, f: TimeFormat = defaults): string {
  return expiry === 'never' ? 'never' : formatTime(expiry, f);
}
