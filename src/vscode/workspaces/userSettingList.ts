import * as vscode from 'vscode';
import * as z from 'zod';

/**
 * A list setting read from the user (global) value only — the application-scoped, restricted
 * settings that decide where credentials go — each entry checked with `schema`; invalid entries
 * are reported through `onInvalid` and skipped.
 */
export function readUserSettingList<S extends z.ZodTypeAny>(section: string, key: string, schema: S, onInvalid: (message: string) => void): z.output<S>[] {
  const raw = vscode.workspace.getConfiguration(section).inspect<unknown>(key)?.globalValue ?? [];
  const list = z.array(z.unknown()).safeParse(raw);
  if (!list.success) {
    onInvalid(`${section}.${key} is not a list; ignoring it.`);
    return [];
  }
  const out: z.output<S>[] = [];
  for (const item of list.data) {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data as z.output<S>);
    else onInvalid(`Ignoring an invalid entry of ${section}.${key}: ${z.prettifyError(r.error)}`);
  }
  return out;
}
