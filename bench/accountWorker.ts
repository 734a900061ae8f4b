/**
 * Child-process host of the account emulator for the fleet scenario (./fleet.ts): the accounts host
 * and n healthy workspaces (test/account-emulator `generatedFleet`) behind one server on 127.0.0.1,
 * with a latency injected on every request. A process of its own (not a worker thread), so that the
 * bench process's CPU time is the client's alone: against a real account the server's work is
 * Databricks', and only the client's runs on the admin's machine.
 */
import { startAccountEmulator, type AccountEmulatorHandle } from '../test/account-emulator';
import { generatedFleet } from '../test/account-emulator/fleetSeeds';

export type AccountCommand = { cmd: 'start'; workspaces: number; latencyMs: number } | { cmd: 'takeRequests' } | { cmd: 'close' };
export interface AccountStarted {
  url: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
}
export interface AccountRequests {
  /** CPU time of the emulator process since the last call (ms) */
  cpuMs: number;
  /** requests to the workspaces since the last call */
  workspace: number;
  /** requests to the accounts host since the last call */
  account: number;
  /** workspace requests per arrival time (ms), for the rounds */
  at: number[];
}

let acct: AccountEmulatorHandle | undefined;
let cpuMark = process.cpuUsage();

async function handle(c: AccountCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'start': {
      // idle connections kept 60 s, as a cloud load balancer does: "warm" means the connections are in place
      acct = await startAccountEmulator({ workspaces: generatedFleet(c.workspaces), latencyMs: c.latencyMs, domain: `bench${c.workspaces}`, keepAliveTimeoutMs: 60_000 });
      const r: AccountStarted = { url: acct.url, accountId: acct.accountId, clientId: acct.admin.applicationId, clientSecret: acct.admin.secret };
      return r;
    }
    case 'takeRequests': {
      if (!acct) throw new Error('not started');
      const at: number[] = [];
      let workspace = 0;
      for (const w of acct.workspaces) {
        workspace += w.core.requests.length;
        for (const r of w.core.requests) at.push(r.at);
        w.core.clearRequests();
      }
      const account = acct.requests.length;
      acct.requests.length = 0;
      const c = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      const r: AccountRequests = { workspace, account, at, cpuMs: (c.user + c.system) / 1000 };
      return r;
    }
    case 'close':
      if (acct) await acct.close();
      acct = undefined;
      return null;
  }
}

const send = process.send?.bind(process);
if (!send) throw new Error('accountWorker must run as a child process with an IPC channel');
process.on('message', (m: { id: number; command: AccountCommand }) => {
  handle(m.command).then(
    (result) => send({ id: m.id, ok: true, result }),
    (e: unknown) => send({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
});
// the bench ending (or dying) ends this process
process.on('disconnect', () => process.exit(0));
