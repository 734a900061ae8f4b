import * as vscode from 'vscode';
import { CancelledError } from '../../domain';
import { openableUri } from './openUrl';

/**
 * Every question the extension asks the user goes through a Prompter, so that the extension-host
 * tests can script the answers (see the test API returned by activate()).
 * Each request carries a stable `id` a scripted prompter can match on.
 */

export interface PickOption<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  picked?: boolean;
  /** Codicon id shown before the label. */
  icon?: string;
}
export interface PickSeparator {
  separator: true;
  label: string;
}
export type PickEntry<T> = PickOption<T> | PickSeparator;

export function isSeparator<T>(e: PickEntry<T>): e is PickSeparator {
  return (e as PickSeparator).separator === true;
}

export interface PickRequest<T> {
  id: string;
  title: string;
  placeholder?: string;
  /** Items, or a loader (the pick shows busy while it runs). */
  items: PickEntry<T>[] | (() => Promise<PickEntry<T>[]>);
  step?: number;
  totalSteps?: number;
  /** Shows a Back button; pressing it throws BackSignal. */
  canGoBack?: boolean;
}

export interface InputRequest {
  id: string;
  title: string;
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  step?: number;
  totalSteps?: number;
  canGoBack?: boolean;
  /** Returns an error message, or undefined when valid. */
  validate?: (value: string) => string | undefined;
}

export interface ConfirmRequest {
  id: string;
  message: string;
  detail: string;
  /** Label of the confirming (destructive) button. */
  confirm: string;
  /**
   * For permanent deletes: the label of a button that keeps everything, shown first. A VS Code modal
   * makes its first button the default (Enter) and cannot make its own Cancel the default, so the
   * destructive button must then be chosen explicitly.
   */
  safe?: string;
}

export type Severity = 'info' | 'warning' | 'error';
export interface NotifyRequest {
  id: string;
  severity: Severity;
  message: string;
  actions?: string[];
}

export interface InformRequest {
  id: string;
  message: string;
  detail: string;
  actions: string[];
}

export interface SaveRequest {
  id: string;
  title: string;
  defaultFileName: string;
  filters: Record<string, string[]>;
}

export interface Prompter {
  pick<T>(req: PickRequest<T>): Promise<T | undefined>;
  pickMany<T>(req: PickRequest<T>): Promise<T[] | undefined>;
  input(req: InputRequest): Promise<string | undefined>;
  /** A modal warning; true only when the user chose the confirming button. */
  confirm(req: ConfirmRequest): Promise<boolean>;
  /** A modal information message with actions; resolves with the chosen one. */
  inform(req: InformRequest): Promise<string | undefined>;
  /** Non-modal message. Resolves with the chosen action, if any. Callers must not block on it. */
  notify(req: NotifyRequest): Promise<string | undefined>;
  saveDialog(req: SaveRequest): Promise<vscode.Uri | undefined>;
  /** Opens only what `openableUri` (./openUrl.ts) accepts; false (and a warning) otherwise. */
  openExternal(id: string, url: string): Promise<boolean>;
  writeClipboard(id: string, text: string): Promise<void>;
  /** Opens a Markdown document in an untitled editor. */
  showDocument(id: string, content: string, language: string): Promise<void>;
}

/**
 * Shows a message without waiting for it to be dismissed: the command ends while the message stays up.
 * Not awaiting is safe: `notify` never rejects (VS Code's show*Message resolve, with undefined when
 * dismissed). When the chosen action matters, await `notify` instead.
 */
export function tell(p: Prompter, req: NotifyRequest): void {
  void p.notify(req);
}

/**
 * `tell` with one action that runs a command: the command that showed the message ends; the action's
 * command reports its own failures (runAction), one that cannot even start goes to `onError`.
 */
export function tellWithCommand(p: Prompter, req: NotifyRequest, action: string, command: string, arg: unknown, onError: (e: unknown) => void): void {
  void p
    .notify({ ...req, actions: [action] })
    .then((a) => (a === action ? vscode.commands.executeCommand(command, arg) : undefined))
    .then(undefined, onError);
}

/**
 * Thrown when the user dismisses a prompt or a confirmation: ends the command silently. A
 * cancellation like every other (isCancellation, client/errors.ts).
 */
export class UserCancelled extends CancelledError {
  constructor(what = 'The command') {
    super(what);
  }
}

/** Thrown by a step whose Back button was pressed; a flow that has no step before it ends as cancelled. */
export class BackSignal extends UserCancelled {
  constructor() {
    super('The step');
  }
}

/** The real prompter on the VS Code window API. */
export class VsCodePrompter implements Prompter {
  async pick<T>(req: PickRequest<T>): Promise<T | undefined> {
    const r = await this.showPick(req, false);
    return r === undefined ? undefined : r[0];
  }

  async pickMany<T>(req: PickRequest<T>): Promise<T[] | undefined> {
    return this.showPick(req, true);
  }

  private showPick<T>(req: PickRequest<T>, many: boolean): Promise<T[] | undefined> {
    type Item = vscode.QuickPickItem & { value?: T };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = req.title;
    qp.placeholder = req.placeholder;
    qp.step = req.step;
    qp.totalSteps = req.totalSteps;
    qp.canSelectMany = many;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    if (req.canGoBack) qp.buttons = [vscode.QuickInputButtons.Back];
    const toItems = (entries: PickEntry<T>[]): Item[] =>
      entries.map((e) =>
        isSeparator(e)
          ? { label: e.label, kind: vscode.QuickPickItemKind.Separator }
          : {
              label: e.icon ? `$(${e.icon}) ${e.label}` : e.label,
              description: e.description,
              detail: e.detail,
              value: e.value,
              picked: e.picked,
            },
      );
    return new Promise<T[] | undefined>((resolve, reject) => {
      let settled = false;
      const done = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        fn();
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) done(() => reject(new BackSignal()));
      });
      qp.onDidAccept(() => {
        const chosen = many ? qp.selectedItems : qp.activeItems.slice(0, 1);
        const values = chosen.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).map((i) => i.value as T);
        if (!many && values.length === 0) return;
        done(() => resolve(values));
      });
      qp.onDidHide(() => done(() => resolve(undefined)));
      if (typeof req.items === 'function') {
        qp.busy = true;
        qp.enabled = false;
        qp.show();
        req.items().then(
          (entries) => {
            const items = toItems(entries);
            qp.items = items;
            if (many) qp.selectedItems = items.filter((i) => i.picked);
            qp.busy = false;
            qp.enabled = true;
          },
          (err: unknown) => done(() => reject(err)),
        );
      } else {
        const items = toItems(req.items);
        qp.items = items;
        if (many) qp.selectedItems = items.filter((i) => i.picked);
        qp.show();
      }
    });
  }

  input(req: InputRequest): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    box.title = req.title;
    box.prompt = req.prompt;
    box.value = req.value ?? '';
    box.placeholder = req.placeholder;
    box.password = req.password ?? false;
    box.step = req.step;
    box.totalSteps = req.totalSteps;
    box.ignoreFocusOut = true;
    if (req.canGoBack) box.buttons = [vscode.QuickInputButtons.Back];
    return new Promise<string | undefined>((resolve, reject) => {
      let settled = false;
      const done = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        fn();
        box.dispose();
      };
      box.onDidChangeValue((v) => {
        box.validationMessage = req.validate?.(v);
      });
      box.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) done(() => reject(new BackSignal()));
      });
      box.onDidAccept(() => {
        const msg = req.validate?.(box.value);
        if (msg) {
          box.validationMessage = msg;
          return;
        }
        const v = box.value;
        done(() => resolve(v));
      });
      box.onDidHide(() => done(() => resolve(undefined)));
      box.show();
    });
  }

  async confirm(req: ConfirmRequest): Promise<boolean> {
    const buttons = req.safe ? [req.safe, req.confirm] : [req.confirm];
    const answer = await vscode.window.showWarningMessage(req.message, { modal: true, detail: req.detail }, ...buttons);
    return answer === req.confirm;
  }

  async inform(req: InformRequest): Promise<string | undefined> {
    return vscode.window.showInformationMessage(req.message, { modal: true, detail: req.detail }, ...req.actions);
  }

  notify(req: NotifyRequest): Promise<string | undefined> {
    const actions = req.actions ?? [];
    const show =
      req.severity === 'error'
        ? vscode.window.showErrorMessage
        : req.severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    return Promise.resolve(show(req.message, ...actions));
  }

  saveDialog(req: SaveRequest): Promise<vscode.Uri | undefined> {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    return Promise.resolve(
      vscode.window.showSaveDialog({
        title: req.title,
        filters: req.filters,
        defaultUri: base ? vscode.Uri.joinPath(base, req.defaultFileName) : undefined,
      }),
    );
  }

  async openExternal(_id: string, url: string): Promise<boolean> {
    const checked = openableUri(url);
    if (!checked.ok) {
      void vscode.window.showWarningMessage(checked.reason); // not awaited: the refusal is the answer; the message only says why
      return false;
    }
    return vscode.env.openExternal(checked.uri);
  }

  async writeClipboard(_id: string, text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  async showDocument(_id: string, content: string, language: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({ content, language });
    await vscode.window.showTextDocument(doc, { preview: false });
  }
}
