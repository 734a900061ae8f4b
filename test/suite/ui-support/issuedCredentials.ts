/**
 * Credentials that test doubles started inside the extension host handed out (the fleet suite's
 * account emulator): index.ts writes them, after the run, to the file PC_SUITE_CREDENTIALS names (a
 * temporary file of the runner, outside every folder the secret scan searches), so that the scan
 * also looks for them. Emulator credentials only.
 */
export const issuedInSuite = new Set<string>();
