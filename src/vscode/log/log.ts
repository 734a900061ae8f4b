import * as vscode from 'vscode';
import { Redactor } from '../../client';

/** The extension's log: a LogOutputChannel with every line redacted. */
export class Log implements vscode.Disposable {
  readonly redactor = new Redactor();
  private readonly channel: vscode.LogOutputChannel;
  /** Lines written (redacted), kept for tests and the connection report. */
  private readonly recent: string[] = [];

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  private fmt(message: string | Error, extra?: unknown): string {
    let text = message instanceof Error ? describeError(message) : message;
    if (extra !== undefined) {
      text += ' ' + (extra instanceof Error ? describeError(extra) : safeJson(extra));
    }
    const red = this.redactor.redact(text);
    this.recent.push(red);
    if (this.recent.length > 500) this.recent.shift();
    return red;
  }

  trace(message: string, extra?: unknown): void {
    this.channel.trace(this.fmt(message, extra));
  }
  debug(message: string, extra?: unknown): void {
    this.channel.debug(this.fmt(message, extra));
  }
  info(message: string, extra?: unknown): void {
    this.channel.info(this.fmt(message, extra));
  }
  warn(message: string, extra?: unknown): void {
    this.channel.warn(this.fmt(message, extra));
  }
  error(message: string | Error, extra?: unknown): void {
    this.channel.error(this.fmt(message, extra));
  }
  show(): void {
    this.channel.show(true);
  }
  /** Redacted lines written so far (most recent last). */
  lines(): readonly string[] {
    return this.recent;
  }
  dispose(): void {
    this.channel.dispose();
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Multi-line description of an error, with its cause chain and any structured fields. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const parts: string[] = [`${e.name}: ${e.message}`];
  const fields: Record<string, unknown> = {};
  for (const k of ['status', 'errorCode', 'requestId', 'method', 'path', 'code', 'reasons', 'leftovers']) {
    const v = (e as unknown as Record<string, unknown>)[k];
    if (v !== undefined) fields[k] = v;
  }
  if (Object.keys(fields).length > 0) parts.push(`  ${safeJson(fields)}`);
  let cause = (e as { cause?: unknown }).cause;
  let depth = 0;
  while (cause !== undefined && depth < 5) {
    parts.push(`  caused by: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
    cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
    depth++;
  }
  return parts.join('\n');
}
