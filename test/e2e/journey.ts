/**
 * The e2e journey contract. A journey is a file `test/e2e/NN-name.e2e.ts` whose default export is
 * `defineJourney({...})`. scripts/run-e2e.ts runs the journeys in file-name order against one
 * code-server (the packaged VSIX installed, the demo workspace preconfigured, the emulator and the
 * partner simulator behind it), each in a fresh browser page on a freshly loaded workbench.
 * Journeys assert on the emulator's and the simulator's recorded state, not only on the screen.
 */
import type { Page } from 'playwright-core';
import type { CodeServer } from '../harness/codeServer';
import type { Services } from '../harness/services';

export interface JourneyContext {
  page: Page;
  codeServer: CodeServer;
  /** emulator (state, requests, faults, reset) and partner simulator (requests, connections) */
  services: Services;
  /** Saves test-results/screenshots/<journey>-<step>.png and returns its path. */
  step(name: string): Promise<string>;
  /** Prints an indented note under the journey's result line. */
  log(message: string): void;
  /** Opens (reloads) the workbench and waits for it. Already done once before run(). */
  openWorkbench(): Promise<void>;
  /**
   * Credential values a journey's own test doubles handed out (beyond the shared emulator's and the
   * partner simulator's, which the runner knows): the secret scan after the last journey searches
   * every file of the run for them (test/harness/secretScan.ts).
   */
  credentials: Set<string>;
}

export interface Journey {
  /** Shown as `ok N - <name>`. */
  name: string;
  /** Default 180 s. */
  timeoutMs?: number;
  /** Reload the emulator's seed before the journey (default true). */
  resetEmulator?: boolean;
  /**
   * Run in the previous journey's page without reloading the workbench, when that journey passed
   * (default false: a fresh browser and workbench). The journey then starts from whatever the
   * previous one left: it closes editors and refreshes the extension's view of the (reset) emulator.
   */
  reuseWorkbench?: boolean;
  run(ctx: JourneyContext): Promise<void>;
}

export function defineJourney(j: Journey): Journey {
  return j;
}

export function isJourney(v: unknown): v is Journey {
  return !!v && typeof v === 'object' && typeof (v as Journey).name === 'string' && typeof (v as Journey).run === 'function';
}
