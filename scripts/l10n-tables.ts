/**
 * `npm run l10n`, second half: adds the webviews' string tables to l10n/bundle.l10n.json.
 *
 * The webviews' English texts are typed tables in src/shared/protocol/ (one per view, shared with the
 * webview as its fallback); the host translates them with one vscode.l10n.t per entry
 * (src/vscode/webviews/strings.ts). @vscode/l10n-dev only sees l10n.t calls with a literal, so it
 * cannot find them: without this step they would never be in the bundle, so never translated.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WEBVIEW_STRING_TABLES } from '../src/shared/protocol/strings';

const bundlePath = path.join(__dirname, '..', '..', 'l10n', 'bundle.l10n.json');
const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8')) as Record<string, unknown>;
let added = 0;
for (const table of WEBVIEW_STRING_TABLES) {
  for (const text of Object.values(table)) {
    if (!(text in bundle)) {
      bundle[text] = text;
      added++;
    }
  }
}
fs.writeFileSync(bundlePath, JSON.stringify(bundle, null, 2));
console.log(`l10n/bundle.l10n.json: ${Object.keys(bundle).length} strings (${added} from the webviews' tables)`);
