/** The webview side of the VS Code API, acquired once, with zod-checked messages both ways. */
import * as z from 'zod/mini';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;
function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export class Channel<In, Out, S> {
  constructor(
    private readonly inSchema: z.core.$ZodType<In>,
    private readonly outSchema: z.core.$ZodType<Out>,
    private readonly stateSchema: z.core.$ZodType<S>,
  ) {}

  /** Validates before sending: a malformed message is a bug on this side. */
  post(msg: Out): void {
    vscodeApi().postMessage(z.parse(this.outSchema, msg));
  }

  onMessage(handler: (msg: In) => void): void {
    window.addEventListener('message', (ev: MessageEvent<unknown>) => {
      const r = z.safeParse(this.inSchema, ev.data);
      if (!r.success) {
        console.error('Partner Connect: ignoring an invalid message from the extension', r.error.issues);
        return;
      }
      handler(r.data);
    });
  }

  getState(): S | undefined {
    const r = z.safeParse(this.stateSchema, vscodeApi().getState());
    return r.success ? r.data : undefined;
  }

  setState(s: S): void {
    vscodeApi().setState(s);
  }
}
