import * as vscode from 'vscode';
import * as z from 'zod/mini';

/**
 * The typed message channel between a webview host session and its webview (the schemas of
 * src/shared/protocol, zod/mini or classic alike): every outgoing
 * message is validated before it is posted (and kept in `sent` for tests, and fired on
 * `onDidPost`); every incoming message is validated, and an invalid one is logged and dropped.
 */
export class WebviewChannel<Out, In> {
  /** Every message posted to the webview (for tests). */
  readonly sent: Out[] = [];
  private readonly emitter = new vscode.EventEmitter<Out>();
  /** Fires for every message posted (tests await results with it). */
  readonly onDidPost = this.emitter.event;

  constructor(
    private readonly outgoing: z.core.$ZodType<Out>,
    private readonly incoming: z.core.$ZodType<In>,
    private readonly postRaw: (msg: Out) => void,
    private readonly warn: (line: string) => void,
    private readonly label: string,
  ) {}

  post(msg: Out): void {
    const checked = z.parse(this.outgoing, msg);
    this.sent.push(checked);
    this.postRaw(checked);
    this.emitter.fire(checked);
  }

  /** The validated message, or undefined (logged) when it does not match the protocol. */
  parse(raw: unknown): In | undefined {
    const r = z.safeParse(this.incoming, raw);
    if (r.success) return r.data;
    this.warn(`${this.label}: ignoring an invalid message: ${r.error.issues.map((i) => i.message).join('; ')}`);
    return undefined;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
