import type { DevHooks } from './types';

/**
 * What the shipped bundle gets instead of ./index (esbuild.mjs replaces every import of src/vscode/dev):
 * no demo or test hooks at all, whatever the extension mode.
 */
export const devHooks: DevHooks | undefined = undefined;
