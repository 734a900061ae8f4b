/**
 * Words of the connect form that come from engine data: created resources as an admin reads them,
 * the note on undocumented facts, and why a connect cannot happen ("blockers"). No `vscode` import
 * (unit-tested in test/vscode-free).
 */
import { describeResource, type CatalogPartner, type Fact } from '../../domain';
import type { ErrorView } from '../../shared/protocol/connect';
import { formatTime } from '../ui/time';

/** A created (or rolled back, or left over) resource in the admin's words (the domain's describeResource). */
export const resourceLine = describeResource;

const FACT_WORDS: Record<Fact, string> = {
  membership: 'that it is offered in Partner Connect',
  category: 'its category',
  profile: 'its permissions',
  servicePrincipal: 'the name of its service principal',
  compute: 'the SQL warehouse or cluster it uses',
  schemaSelection: 'how many schemas it reads',
  unityCatalog: 'whether it supports Unity Catalog',
  signInStyle: 'how its accounts are set up',
  links: 'its links',
  handoff: 'how the connection is handed over',
};

/** "Not documented by Databricks, assumed here: its category, … and its links." — or undefined. */
export function inferredNote(p: Pick<CatalogPartner, 'provenance'>): string | undefined {
  const facts = (Object.entries(p.provenance) as Array<[Fact, { basis: string } | undefined]>).filter(([, v]) => v?.basis === 'inferred').map(([k]) => FACT_WORDS[k]);
  if (facts.length === 0) return undefined;
  const list = facts.length === 1 ? facts[0] : `${facts.slice(0, -1).join(', ')} and ${facts[facts.length - 1]}`;
  return `Not documented by Databricks for this partner, so assumed by this extension: ${list}.`;
}

/** Problems that no choice in the form can fix: the form says why first and hides the plan. */
export const BLOCKER_CODES = new Set([
  'not-workspace-admin',
  'connect-in-progress',
  'record-invalid',
  'check-mark-only',
  'connected-outside',
  'default-catalog-not-owned',
  'partner-credentials-missing',
  'secret-receiver-missing',
]);

/** Another admin's connect holds the record — the same words whether pre-flight or the record claim found it. */
export function inProgressView(partnerName: string, by: string | undefined, since: string | undefined, stale = false): ErrorView {
  return {
    title: `${by ?? 'Someone'} is already connecting ${partnerName}`,
    message: `${by ?? 'Another admin'} started connecting ${partnerName}${since ? ` at ${formatTime(since)}` : ''} and that connect has not finished${stale ? ' (it looks interrupted)' : ''}. Nothing was created by this attempt.`,
    whatToDo: stale
      ? `Take it over (Take Over Interrupted Connect… on ${partnerName} in the Partners view) to remove what it left, then connect again.`
      : `Wait for it to finish, then refresh the Partners view: ${partnerName} shows as connected. If it was interrupted (${partnerName} shows “degraded · connect incomplete”), an admin can take it over once it is 30 minutes old (Take Over Interrupted Connect…).`,
    code: 'connect-in-progress',
    leftovers: [],
  };
}

/** The one message a form shows when the connect cannot happen, or undefined when only fields are at fault. */
export function blockerView(partnerName: string, problems: ReadonlyArray<{ code: string; message: string; by?: string; since?: string; age?: { stale: boolean } }>): ErrorView | undefined {
  const b = problems.find((p) => BLOCKER_CODES.has(p.code));
  if (!b) return undefined;
  const view = (title: string, whatToDo: string): ErrorView => ({ title, message: b.message, whatToDo, code: b.code, leftovers: [] });
  switch (b.code) {
    case 'connect-in-progress':
      return inProgressView(partnerName, b.by, b.since, b.age?.stale ?? false);
    case 'not-workspace-admin':
      return view('Workspace admin role needed', 'Partner Connect is administered by workspace admins (members of the “admins” group): sign in as one, or ask one to add you.');
    case 'connected-outside':
      return view(`${partnerName} is connected outside this extension`, `Inspect it, or remove that connection first (Disconnect… or Delete Service Principal… in the Partners view), then connect here.`);
    case 'check-mark-only':
      return view(`${partnerName} shows a check mark without its service principal`, 'Reset the connection first (Disconnect… in the Partners view), then connect again.');
    case 'record-invalid':
      return view(`The connection record of ${partnerName} cannot be read`, 'Disconnect… in the Partners view clears it; then connect again.');
    case 'default-catalog-not-owned':
      return view('The workspace default catalog cannot be used', 'Ask the owner of the default catalog (or a metastore admin) to connect, change the workspace default catalog, or take ownership of it. Nothing was created.');
    case 'partner-credentials-missing':
      return view(`No partner credentials for ${partnerName}`, 'Add the credentials the partner issued (Set Partner Credentials… in the Partners view), then connect.');
    default:
      return view(`Cannot connect ${partnerName}`, 'Nothing was created.');
  }
}
