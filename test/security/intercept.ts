/** Forcing an interleaving between two admins: a workspace client whose chosen methods go through a hook. */
import type { WorkspaceClient } from '../../src/client/api';

export type Hook = (call: () => Promise<unknown>, args: unknown[]) => Promise<unknown>;

/** The client, with some methods run through a hook (the hook decides when the real request goes). */
export function intercept(client: WorkspaceClient, hooks: Partial<Record<keyof WorkspaceClient, Hook>>): WorkspaceClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      const hook = hooks[prop as keyof WorkspaceClient];
      if (typeof v !== 'function' || !hook) return v;
      return (...args: unknown[]) => hook(() => (v as (...a: unknown[]) => Promise<unknown>).apply(target, args), args);
    },
  });
}
