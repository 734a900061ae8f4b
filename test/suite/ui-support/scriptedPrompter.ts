/**
 * A Prompter whose answers are scripted by the test: every question is recorded, and one without
 * a scripted answer fails the command at once (instead of waiting for a human).
 */
import type * as vscode from 'vscode';
import type {
  ConfirmRequest,
  InformRequest,
  InputRequest,
  NotifyRequest,
  PickEntry,
  PickOption,
  PickRequest,
  Prompter,
  SaveRequest,
} from '../../../src/vscode/ui/prompter';
import { openableUri } from '../../../src/vscode/ui/openUrl';

export type PickAnswer = string | string[] | ((options: PickOption<unknown>[]) => unknown) | undefined;

export interface Asked {
  kind: 'pick' | 'pickMany' | 'input' | 'confirm' | 'inform' | 'notify' | 'save' | 'open' | 'clipboard' | 'document';
  id: string;
  title?: string;
  message?: string;
  detail?: string;
  labels?: string[];
  actions?: string[];
  severity?: string;
  url?: string;
  content?: string;
  /** open only: why the link was refused (the real prompter refuses it too) */
  refused?: string;
  /** clipboard only: the length of what was written (never the value) */
  length?: number;
}

export class ScriptedPrompter implements Prompter {
  readonly asked: Asked[] = [];
  private readonly answers = new Map<string, unknown[]>();
  /** The last value written to the clipboard (tests compare it; never print it). */
  clipboard: string | undefined;
  /** What openExternal answers. */
  openResult = true;

  /** Queues answers for a question id (consumed in order; the last one repeats). */
  answer(id: string, ...values: unknown[]): this {
    this.answers.set(id, [...(this.answers.get(id) ?? []), ...values]);
    return this;
  }

  private readonly lastUsed = new Map<string, unknown>();

  private take(id: string): { found: boolean; value: unknown } {
    const q = this.answers.get(id);
    if (q && q.length > 0) {
      const value = q.shift();
      this.lastUsed.set(id, value);
      return { found: true, value };
    }
    if (this.lastUsed.has(id)) return { found: true, value: this.lastUsed.get(id) };
    return { found: false, value: undefined };
  }

  of(kind: Asked['kind'], id?: string): Asked[] {
    return this.asked.filter((a) => a.kind === kind && (id === undefined || a.id === id));
  }

  private async options<T>(req: PickRequest<T>): Promise<PickOption<T>[]> {
    const entries: PickEntry<T>[] = typeof req.items === 'function' ? await req.items() : req.items;
    return entries.filter((e): e is PickOption<T> => !(e as { separator?: boolean }).separator);
  }

  private choose<T>(id: string, options: PickOption<T>[], many: boolean): T[] | undefined {
    const { found, value } = this.take(id);
    if (!found) throw new Error(`ScriptedPrompter: no answer for pick "${id}" (options: ${options.map((o) => o.label).join(', ')})`);
    if (value === undefined) return undefined;
    if (typeof value === 'function') {
      const r = (value as (o: PickOption<T>[]) => unknown)(options);
      if (r === undefined) return undefined;
      return (Array.isArray(r) ? r : [r]) as T[];
    }
    const wanted = Array.isArray(value) ? (value as string[]) : [value as string];
    const picked = wanted.map((w) => {
      const o = options.find((x) => x.label === w || x.label.endsWith(` ${w}`) || x.value === w);
      if (!o) throw new Error(`ScriptedPrompter: "${w}" is not an option of "${id}" (${options.map((x) => x.label).join(', ')})`);
      return o.value;
    });
    return many ? picked : picked.slice(0, 1);
  }

  async pick<T>(req: PickRequest<T>): Promise<T | undefined> {
    const options = await this.options(req);
    this.asked.push({ kind: 'pick', id: req.id, title: req.title, labels: options.map((o) => o.label) });
    return this.choose(req.id, options, false)?.[0];
  }

  async pickMany<T>(req: PickRequest<T>): Promise<T[] | undefined> {
    const options = await this.options(req);
    this.asked.push({ kind: 'pickMany', id: req.id, title: req.title, labels: options.map((o) => o.label) });
    return this.choose(req.id, options, true);
  }

  async input(req: InputRequest): Promise<string | undefined> {
    this.asked.push({ kind: 'input', id: req.id, title: req.title, message: req.prompt });
    const { found, value } = this.take(req.id);
    if (!found) {
      if (req.value !== undefined && this.answers.has('*input-defaults')) return req.value;
      throw new Error(`ScriptedPrompter: no answer for input "${req.id}"`);
    }
    if (value === undefined) return undefined;
    const v = String(value);
    const problem = req.validate?.(v);
    if (problem) throw new Error(`ScriptedPrompter: input "${req.id}" rejected "${req.password ? '***' : v}": ${problem}`);
    return v;
  }

  async confirm(req: ConfirmRequest): Promise<boolean> {
    this.asked.push({ kind: 'confirm', id: req.id, message: req.message, detail: req.detail, actions: req.safe ? [req.safe, req.confirm] : [req.confirm] });
    const { found, value } = this.take(req.id);
    if (!found) throw new Error(`ScriptedPrompter: no answer for confirm "${req.id}"`);
    return value === true;
  }

  async inform(req: InformRequest): Promise<string | undefined> {
    this.asked.push({ kind: 'inform', id: req.id, message: req.message, detail: req.detail, actions: req.actions });
    const { value } = this.take(req.id);
    return typeof value === 'string' ? value : undefined;
  }

  async notify(req: NotifyRequest): Promise<string | undefined> {
    this.asked.push({ kind: 'notify', id: req.id, message: req.message, severity: req.severity, actions: req.actions });
    const { value } = this.take(`notify:${req.id}`);
    return typeof value === 'string' ? value : undefined;
  }

  async saveDialog(req: SaveRequest): Promise<vscode.Uri | undefined> {
    this.asked.push({ kind: 'save', id: req.id, title: req.title, message: req.defaultFileName });
    const { found, value } = this.take(req.id);
    if (!found) throw new Error(`ScriptedPrompter: no answer for save dialog "${req.id}"`);
    return value as vscode.Uri | undefined;
  }

  async openExternal(id: string, url: string): Promise<boolean> {
    // the real prompter's check: a link it would refuse is recorded as refused and not "opened"
    const checked = openableUri(url);
    this.asked.push({ kind: 'open', id, url, ...(checked.ok ? {} : { refused: checked.reason }) });
    return checked.ok && this.openResult;
  }

  async writeClipboard(id: string, text: string): Promise<void> {
    this.asked.push({ kind: 'clipboard', id, length: text.length });
    this.clipboard = text;
  }

  async showDocument(id: string, content: string): Promise<void> {
    this.asked.push({ kind: 'document', id, content });
  }
}
