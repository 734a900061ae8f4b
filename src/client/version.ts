/**
 * The extension's name and version: the one constant for the User-Agent, connection records, the
 * history, reports and exports. Equal to package.json's "name" and "version" (a test checks it:
 * test/vscode-free/version.test.ts) — bump both together.
 */
export const PRODUCT = { name: 'partner-connect-vscode', version: '0.1.0' } as const;
