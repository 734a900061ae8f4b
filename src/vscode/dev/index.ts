import type { DevHooks } from './types';
import { bootstrapFromEnvironment } from './bootstrap';
import { simulatorCatalog } from './simulator';

/**
 * The demo and test hooks of the dev bundle. The shipped bundle (dist/, the VSIX) replaces this module
 * with ./none.ts, so none of this code - nor the names of the variables it reads - is in it.
 */
export const devHooks: DevHooks | undefined = {
  bootstrap: bootstrapFromEnvironment,
  catalog: simulatorCatalog,
  testApi: (services, setPrompter, ready) => ({ services, setPrompter, ready }),
};
