/**
 * A full garbage collection on demand, in the bench only (the flag is set at run time, so the bench
 * needs no `--expose-gc`): before a heap measurement, and after an emulator reset, so that neither
 * the old state's garbage nor its collection falls into a timed run.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function collectGarbage(times = 1): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < times; i++) gc();
}
