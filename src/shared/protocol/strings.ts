/** Every webview's table of English texts, for the l10n bundle (scripts/l10n-tables.ts) and its test. */
import { BULK_STRINGS } from './bulk';
import { CONNECT_STRINGS } from './connect';
import { INSPECT_STRINGS } from './inspect';
import { MATRIX_STRINGS } from './matrix';

export const WEBVIEW_STRING_TABLES: ReadonlyArray<Readonly<Record<string, string>>> = [CONNECT_STRINGS, INSPECT_STRINGS, BULK_STRINGS, MATRIX_STRINGS];
