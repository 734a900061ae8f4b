/**
 * Messages between the connect form (webview, src/webview/connect.ts) and its host
 * (src/vscode/webviews/connectPanel.ts). Both sides validate every message they receive.
 * No `vscode` import: this file is bundled into the webview too; zod/mini keeps that bundle small.
 */
import * as z from 'zod/mini';

export const ComputeMode = z.enum(['create-warehouse', 'existing-warehouse', 'cluster', 'none']);
export const SchemaSelection = z.enum(['none', 'one', 'many']);

export const PartnerSummary = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  /** what the partner can do, as a badge ("reads one schema", "no service principal", …) */
  access: z.string(),
  /** what this partner gets when connected */
  description: z.string(),
  needsServicePrincipal: z.boolean(),
  servicePrincipalName: z.optional(z.string()),
  compute: ComputeMode,
  schemaSelection: SchemaSelection,
  unityCatalog: z.boolean(),
  signIn: z.boolean(),
  destinationLocation: z.boolean(),
  handoff: z.string(),
  website: z.optional(z.string()),
  /** which facts about this partner are assumed rather than documented, in words */
  inferredNote: z.optional(z.string()),
});
export type PartnerSummary = z.infer<typeof PartnerSummary>;

export const CatalogOption = z.object({
  name: z.string(),
  owner: z.optional(z.string()),
  isDefault: z.boolean(),
  selectable: z.boolean(),
  /** Why it cannot be chosen. */
  reason: z.optional(z.string()),
});
export type CatalogOption = z.infer<typeof CatalogOption>;

export const WarehouseOption = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  size: z.optional(z.string()),
});
export type WarehouseOption = z.infer<typeof WarehouseOption>;

export const WarehouseTypeName = z.enum(['serverless', 'pro', 'classic']);
export type WarehouseTypeName = z.infer<typeof WarehouseTypeName>;

/** A type of new SQL warehouse the form shows: offered, or not and why. */
export const WarehouseTypeOption = z.object({
  type: WarehouseTypeName,
  label: z.string(),
  offered: z.boolean(),
  /** why it is not offered */
  reason: z.optional(z.string()),
});
export type WarehouseTypeOption = z.infer<typeof WarehouseTypeOption>;

export const WarehouseChoice = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('existing'), id: z.string() }),
  z.object({ mode: z.literal('new'), name: z.string(), type: z.optional(WarehouseTypeName) }),
]);
export type WarehouseChoice = z.infer<typeof WarehouseChoice>;

/** The credential the partner's service principal gets, as the form shows it (never a value). */
export const CredentialInfo = z.object({
  kind: z.enum(['pat', 'oauth-secret']),
  /** the user's own token: the connection acts as the signed-in non-admin (NON_ADMIN partner) */
  actsAsUser: z.optional(z.boolean()),
  /** "personal access token" / "OAuth secret" */
  label: z.string(),
  /** why this kind (Azure, the partner asks for OAuth M2M, ...) */
  why: z.string(),
  /** what happens if the workspace refuses it (a PAT refused on behalf of a service principal → an OAuth secret) */
  fallback: z.optional(z.string()),
  /** the longest lifetime the workspace allows (the default) */
  maxDays: z.int().check(z.positive()),
  /** the cap in words */
  capNote: z.string(),
});
export type CredentialInfo = z.infer<typeof CredentialInfo>;

export const ConnectForm = z.object({
  catalog: z.optional(z.string()),
  schemas: z._default(z.array(z.string()), []),
  warehouse: z.optional(WarehouseChoice),
  destinationLocation: z.optional(z.string()),
  /** the new credential's lifetime in days; absent = the longest the workspace allows (the form checks what is typed before sending) */
  credentialLifetimeDays: z.optional(z.number()),
});
export type ConnectForm = z.infer<typeof ConnectForm>;

export const FieldProblem = z.object({
  field: z.enum(['catalog', 'schemas', 'warehouse', 'destinationLocation', 'credentialLifetime', 'general']),
  message: z.string(),
  /** the field has no value yet: the form says so only once the user has touched it or pressed Connect */
  required: z.optional(z.boolean()),
});
export type FieldProblem = z.infer<typeof FieldProblem>;

export const StepStatus = z.enum(['pending', 'running', 'done', 'failed', 'rolled-back', 'skipped']);
export const ProgressStep = z.object({ id: z.string(), label: z.string(), status: StepStatus, detail: z.optional(z.string()) });
export type ProgressStep = z.infer<typeof ProgressStep>;

export const NextStep = z.object({
  kind: z.enum(['opened', 'open-link', 'file-saved', 'save-file', 'copy-token', 'token-copied', 'info']),
  text: z.string(),
});
export type NextStep = z.infer<typeof NextStep>;

export const ErrorView = z.object({
  title: z.string(),
  message: z.string(),
  whatToDo: z.optional(z.string()),
  code: z.optional(z.string()),
  /** Resources a failed rollback left behind (names and ids). */
  leftovers: z._default(z.array(z.string()), []),
});
export type ErrorView = z.infer<typeof ErrorView>;

export const Phase = z.enum(['loading', 'editing', 'connecting', 'cancelling', 'done', 'failed', 'cancelled']);
export type Phase = z.infer<typeof Phase>;

export const ResultView = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    summary: z.string(),
    resources: z.array(z.string()),
    nextSteps: z.array(NextStep),
  }),
  z.object({ ok: z.literal(false), error: ErrorView }),
]);
export type ResultView = z.infer<typeof ResultView>;

// ------------------------------------------------------------ host → webview
export const HostToConnect = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    strings: z.record(z.string(), z.string()),
    partner: PartnerSummary,
    workspace: z.object({ name: z.string(), host: z.string(), user: z.optional(z.string()) }),
    catalogs: z.array(CatalogOption),
    catalogNote: z.optional(z.string()),
    warehouses: z.array(WarehouseOption),
    /** types a new warehouse may have (empty: not asked) */
    warehouseTypes: z.optional(z.array(WarehouseTypeOption)),
    /** what happens when the workspace refuses the chosen type, or why availability is unknown */
    warehouseTypeNote: z.optional(z.string()),
    /** the partner's credential (absent: it gets none) */
    credential: z.optional(CredentialInfo),
    defaults: ConnectForm,
    /** the name offered for a new SQL warehouse (`<PARTNER>_ENDPOINT`) */
    proposedWarehouseName: z.optional(z.string()),
    /** desktop partners: the catalog and schema are optional defaults the connection file opens on */
    desktopDefaults: z._default(z.boolean(), false),
    alreadyConnected: z.boolean(),
    /** why this connect cannot happen at all (shown first; the plan and the fields are hidden) */
    blocker: z.optional(ErrorView),
    /** Session phase kept by the host (survives the webview being hidden). */
    phase: Phase,
    steps: z.array(ProgressStep),
    result: z.optional(ResultView),
  }),
  z.object({ type: z.literal('loadError'), error: ErrorView }),
  z.object({
    type: z.literal('schemas'),
    requestId: z.int(),
    catalog: z.string(),
    schemas: z.array(z.string()),
    error: z.optional(z.string()),
  }),
  z.object({
    type: z.literal('validation'),
    requestId: z.int(),
    problems: z.array(FieldProblem),
    /** The engine's plan, in words. */
    plan: z.array(z.string()),
    /** the connect cannot happen (not a form problem): said first, the plan hidden */
    blocker: z.optional(ErrorView),
  }),
  z.object({ type: z.literal('phase'), phase: Phase }),
  z.object({ type: z.literal('progress'), steps: z.array(ProgressStep) }),
  z.object({ type: z.literal('result'), result: ResultView }),
  z.object({ type: z.literal('nextStepDone'), kind: NextStep.shape.kind, text: z.string() }),
]);
export type HostToConnect = z.infer<typeof HostToConnect>;

// ------------------------------------------------------------ webview → host
export const ConnectToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('loadSchemas'), requestId: z.int(), catalog: z.string() }),
  z.object({ type: z.literal('validate'), requestId: z.int(), form: ConnectForm }),
  z.object({ type: z.literal('connect'), form: ConnectForm }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('nextStep'), kind: z.enum(['open-link', 'save-file', 'copy-token']) }),
  z.object({ type: z.literal('openWebsite') }),
  z.object({ type: z.literal('showLog') }),
  z.object({ type: z.literal('close') }),
]);
export type ConnectToHost = z.infer<typeof ConnectToHost>;

/** What the webview keeps with setState (restored when the panel is shown again). */
export const ConnectViewState = z.object({
  form: ConnectForm,
  schemaCache: z._default(z.record(z.string(), z.array(z.string())), {}),
});
export type ConnectViewState = z.infer<typeof ConnectViewState>;

/** English texts of the form; the host sends them localised (vscode.l10n) in `init.strings`. */
export const CONNECT_STRINGS = {
  connectTo: 'Connect to {0}',
  workspace: 'Workspace',
  signedInAs: 'signed in as {0}',
  whatHappens: 'What will be provisioned and granted',
  planPending: 'Choose the options below to see the plan.',
  catalog: 'Catalog',
  catalogHint: 'The catalog the partner will use.',
  unavailableCatalogs: 'Catalogs you cannot choose',
  schemaOne: 'Schema',
  schemaMany: 'Schemas',
  schemaManyHint: 'Select one or more schemas (Ctrl/Cmd-click or Shift+arrow keys).',
  schemaLoading: 'Loading schemas…',
  warehouse: 'SQL warehouse',
  warehouseExisting: 'Use an existing SQL warehouse',
  warehouseNew: 'Create a new SQL warehouse',
  warehouseName: 'Name of the new warehouse',
  noWarehouses: 'This workspace has no SQL warehouse yet.',
  destination: 'Destination location (optional)',
  destinationHint: 'A cloud storage path the partner writes to, e.g. s3://bucket/path.',
  connect: 'Connect',
  cancel: 'Cancel',
  close: 'Close',
  connecting: 'Connecting…',
  cancelling: 'Cancelling… rolling back what was created',
  progress: 'Progress',
  result: 'Result',
  connected: 'Connected',
  failed: 'Connection failed',
  cancelled: 'Cancelled. Everything created so far was removed.',
  whatToDo: 'What to do',
  leftovers: 'Left behind (delete them by hand)',
  resources: 'Created in the workspace',
  nextSteps: 'Next steps',
  openPartner: 'Open the partner page',
  saveFile: 'Save the connection file…',
  copyToken: 'Copy the credential (once)',
  showLog: 'Show Log',
  openWebsite: 'Partner website',
  alreadyConnected: 'This partner is already connected in this workspace: connecting again re-uses the existing connection, and no new credential is created.',
  credential: 'Credential for the partner',
  credentialKind: 'The service principal gets a new {0}, because {1}.',
  credentialKindUser: 'A new {0} of yours is created, because {1}.',
  credentialLifetime: 'Lifetime (days)',
  credentialLifetimeHint: 'It expires after this many days; the workspace allows {0}. Shorter is allowed, longer is not. Rotating the credential keeps its lifetime.',
  warehouseType: 'Type of the new warehouse',
  warehouseTypeNotOffered: '{0} (not offered: {1})',
  catalogOptional: 'Catalog the file opens on (optional)',
  catalogNone: '— none: choose it in the desktop application',
  schemaOptional: 'Schema the file opens on (optional)',
  desktopCatalogHint: 'A default only: the desktop application signs in as you and still lists every catalog you may read.',
  stillToChoose: 'To connect: {0}',
  cannotConnect: 'Cannot connect',
} as const;
export type ConnectStringKey = keyof typeof CONNECT_STRINGS;
