/**
 * The built-in partner catalog, as data (validated by ./catalog.ts at load).
 *
 * Sources: the seed (`manage-connections-in-partner-connect.txt`: partner list, permission table,
 * sign-in partners Fivetran and Rivery, the <PARTNER-NAME>_USER rule) is "documented"; the partner
 * research notes add partners seen in Partner Connect over time, whose profile/compute/UC support
 * are inferred from their category and are marked so.
 *
 * Hand-off: Databricks does not publish partners' PartnerConfig (base_url, basic-auth
 * credentials), so built-in service-principal partners use the manual hand-off (details + the
 * token copied once); a PartnerConfig file loaded by the user switches a partner to the protocol.
 */
import type { PartnerEntryInput, Provenance, Fact } from './catalog';
import { servicePrincipalNameFor } from './catalog';

const D = (note: string): Provenance => ({ basis: 'documented', note });
const I = (note: string): Provenance => ({ basis: 'inferred', note });

const SEED = 'seed: manage connections in Partner Connect';
const SEED_TABLE = 'seed permission table';
const NAMING = 'seed naming rule <PARTNER-NAME>_USER';
const MANUAL_HANDOFF = I('the partner’s PartnerConfig (base_url, credentials) is not public: provision, then hand over the details and copy the token once');
const UC_FROM_TABLE = I('the seed lists Unity Catalog privileges for this partner’s profile');
const UC_UNKNOWN = I('not known to support Unity Catalog with Partner Connect: only the workspace default catalog');

type Common = Omit<PartnerEntryInput, 'needsServicePrincipal' | 'servicePrincipalName' | 'provenance' | 'source'> & {
  provenance: Partial<Record<Fact, Provenance>>;
};

function entry(c: Common): PartnerEntryInput {
  const needsSp = c.profile !== 'none';
  const defaults: Record<Fact, Provenance> = {
    membership: D(SEED),
    category: I('PartnerConfig category chosen from the partner’s kind of product'),
    profile: D(SEED_TABLE),
    servicePrincipal: needsSp ? D(NAMING) : D('seed: these solutions do not require Databricks service principals'),
    compute: I('follows the profile (a SQL warehouse for warehouse profiles)'),
    schemaSelection: I('follows the profile (read: one schema; dataiku, read-many: several)'),
    unityCatalog: UC_FROM_TABLE,
    signInStyle: I('a trial or existing partner account per connecting user'),
    links: I('the partner’s public website'),
    handoff: MANUAL_HANDOFF,
  };
  return {
    ...c,
    needsServicePrincipal: needsSp,
    servicePrincipalName: needsSp ? servicePrincipalNameFor(c.displayName) : null,
    source: 'builtin',
    provenance: { ...defaults, ...c.provenance },
  };
}

const READ = (displayName: string, category: PartnerEntryInput['category'], website: string, extra: Partial<Common> = {}): PartnerEntryInput =>
  entry({
    id: displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    displayName,
    category,
    profile: 'read',
    compute: 'existing-warehouse',
    schemaSelection: 'one',
    supportsUnityCatalog: true,
    signInStyle: 'trial-signup',
    website,
    handoff: 'manual',
    ...extra,
    provenance: { compute: D('seed: CAN USE on the selected SQL warehouse'), schemaSelection: D('seed: SELECT on the selected schema'), ...(extra.provenance ?? {}) },
  });

export const CATALOG_DATA: PartnerEntryInput[] = [
  // ---------------------------------------------------------------- profile: none (seed)
  entry({
    id: 'fivetran',
    displayName: 'Fivetran',
    category: 'INGEST',
    profile: 'none',
    compute: 'existing-warehouse',
    schemaSelection: 'none',
    supportsUnityCatalog: true,
    signInStyle: 'partner-account-admin',
    website: 'https://www.fivetran.com',
    docsUrl: 'https://docs.databricks.com/partners/ingestion/fivetran.html',
    supportUrl: 'https://support.fivetran.com',
    handoff: 'manual',
    provenance: {
      category: D('Databricks lists Fivetran under data ingestion'),
      compute: I('Fivetran’s current flow signs the user in at Fivetran and uses a SQL warehouse the user selects'),
      unityCatalog: D('Fivetran’s Databricks guide lists catalog privileges'),
      signInStyle: D('seed: the first person who connects becomes the partner account administrator (Fivetran, Rivery)'),
      links: D('Fivetran’s Databricks guide and support site'),
      handoff: I('no service principal: show the connection details and open Fivetran’s sign-in page'),
    },
  }),
  entry({
    id: 'power-bi',
    displayName: 'Power BI',
    category: 'BI_AND_VIZ',
    profile: 'none',
    compute: 'existing-warehouse',
    schemaSelection: 'none',
    supportsUnityCatalog: true,
    signInStyle: 'none',
    website: 'https://powerbi.microsoft.com',
    handoff: 'desktop-file',
    desktopFile: 'pbids',
    provenance: {
      category: D('Databricks lists Power BI under BI and visualization'),
      compute: D('desktop partners: the user selects a SQL warehouse (Partner Connect onboarding doc)'),
      unityCatalog: I('Power BI Desktop signs in with the user’s own identity, so the user’s own catalog access applies'),
      signInStyle: D('desktop application: the user signs in from Power BI Desktop'),
      handoff: D('Partner Connect offers a .pbids connection file for Power BI Desktop'),
    },
  }),
  entry({
    id: 'tableau',
    displayName: 'Tableau',
    category: 'BI_AND_VIZ',
    profile: 'none',
    compute: 'existing-warehouse',
    schemaSelection: 'none',
    supportsUnityCatalog: true,
    signInStyle: 'none',
    website: 'https://www.tableau.com',
    handoff: 'desktop-file',
    desktopFile: 'tds',
    provenance: {
      category: D('Databricks lists Tableau under BI and visualization'),
      compute: D('desktop partners: the user selects a SQL warehouse (Partner Connect onboarding doc)'),
      unityCatalog: I('Tableau Desktop signs in with the user’s own identity'),
      signInStyle: D('desktop application: the user signs in from Tableau Desktop'),
      handoff: D('Partner Connect offers a .tds connection file for Tableau Desktop'),
    },
  }),
  entry({
    id: 'erwin-data-modeler',
    displayName: 'erwin Data Modeler',
    category: 'DATA_GOVERNANCE',
    profile: 'none',
    compute: 'existing-warehouse',
    schemaSelection: 'none',
    supportsUnityCatalog: true,
    signInStyle: 'none',
    website: 'https://www.erwin.com',
    handoff: 'manual',
    provenance: {
      compute: I('a desktop data-modelling tool that connects to a SQL warehouse with the user’s own credentials'),
      unityCatalog: I('uses the user’s own identity'),
      signInStyle: I('desktop application'),
      handoff: I('no connection-file format is documented: show the connection details'),
    },
  }),
  // ---------------------------------------------------------------- profile: write (seed)
  entry({
    id: 'dbt-cloud',
    displayName: 'dbt Cloud',
    category: 'DATA_PREP_AND_TRANSFORM',
    profile: 'write',
    compute: 'existing-warehouse',
    schemaSelection: 'none',
    supportsUnityCatalog: true,
    signInStyle: 'trial-signup',
    website: 'https://www.getdbt.com',
    handoff: 'manual',
    provenance: {
      category: D('Databricks lists dbt Cloud under data preparation and transformation'),
      servicePrincipal: D('dbt’s Databricks quickstart names DBT_CLOUD_USER'),
      compute: D('dbt’s quickstart: choose an existing SQL warehouse'),
      unityCatalog: D('dbt’s quickstart: catalog selector'),
      signInStyle: D('dbt’s quickstart: a trial account is created with the user’s email'),
    },
  }),
  entry({ id: 'hevo-data', displayName: 'Hevo Data', category: 'INGEST', profile: 'write', compute: 'create-warehouse', schemaSelection: 'none', supportsUnityCatalog: true, signInStyle: 'trial-signup', website: 'https://hevodata.com', handoff: 'manual', provenance: { compute: I('ingestion partners get a SQL warehouse created for them') } }),
  entry({ id: 'rudderstack', displayName: 'Rudderstack', category: 'INGEST', profile: 'write', compute: 'create-warehouse', schemaSelection: 'none', supportsUnityCatalog: true, signInStyle: 'trial-signup', website: 'https://www.rudderstack.com', handoff: 'manual', provenance: { compute: I('ingestion partners get a SQL warehouse created for them') } }),
  entry({
    id: 'snowplow',
    displayName: 'Snowplow',
    category: 'INGEST',
    profile: 'write',
    compute: 'create-warehouse',
    schemaSelection: 'none',
    supportsUnityCatalog: true,
    signInStyle: 'trial-signup',
    website: 'https://snowplow.io',
    docsUrl: 'https://docs.databricks.com/partners/ingestion/snowplow.html',
    handoff: 'manual',
    provenance: { compute: D('Databricks’ Snowplow guide: Partner Connect supports only SQL warehouses for Snowplow'), category: D('Databricks lists Snowplow under data ingestion'), links: D('Databricks’ Snowplow guide') },
  }),
  // ---------------------------------------------------------------- profile: workspace (seed)
  entry({
    id: 'labelbox',
    displayName: 'Labelbox',
    category: 'ML',
    profile: 'workspace',
    compute: 'none',
    schemaSelection: 'none',
    supportsUnityCatalog: false,
    signInStyle: 'trial-signup',
    website: 'https://labelbox.com',
    handoff: 'manual',
    provenance: {
      compute: I('the seed grants Labelbox no warehouse or cluster permission; it works through the workspace with its token'),
      unityCatalog: I('the seed lists no data privileges for Labelbox'),
      schemaSelection: D('seed: no data privileges'),
    },
  }),
  // ---------------------------------------------------------------- profile: read (seed)
  READ('Anomalo', 'DATA_QUALITY', 'https://www.anomalo.com'),
  READ('Census', 'REVERSE_ETL', 'https://www.getcensus.com'),
  READ('Hex', 'BI_AND_VIZ', 'https://hex.tech'),
  READ('Hightouch', 'REVERSE_ETL', 'https://hightouch.com'),
  READ('Lightup', 'DATA_QUALITY', 'https://lightup.ai'),
  READ('Monte Carlo', 'DATA_QUALITY', 'https://www.montecarlodata.com'),
  READ('Qlik Sense', 'BI_AND_VIZ', 'https://www.qlik.com'),
  READ('Sigma', 'BI_AND_VIZ', 'https://www.sigmacomputing.com'),
  READ('Stardog', 'SEMANTIC_LAYER', 'https://www.stardog.com'),
  // ---------------------------------------------------------------- profile: dataiku (seed)
  entry({
    id: 'dataiku',
    displayName: 'Dataiku',
    category: 'ML',
    profile: 'dataiku',
    compute: 'create-warehouse',
    schemaSelection: 'many',
    supportsUnityCatalog: true,
    signInStyle: 'trial-signup',
    website: 'https://www.dataiku.com',
    handoff: 'manual',
    provenance: { compute: I('seed: “SQL warehouse creation permission”; a warehouse is created for Dataiku'), schemaSelection: D('seed: the selected schemas') },
  }),
  // ---------------------------------------------------------------- profile: read-many (seed)
  entry({
    id: 'superannotate',
    displayName: 'SuperAnnotate',
    category: 'ML',
    profile: 'read-many',
    compute: 'existing-warehouse',
    schemaSelection: 'many',
    supportsUnityCatalog: true,
    signInStyle: 'trial-signup',
    website: 'https://www.superannotate.com',
    handoff: 'manual',
    provenance: { compute: D('seed: CAN USE on the selected SQL warehouse'), schemaSelection: D('seed: the selected schemas') },
  }),
  // ---------------------------------------------------------------- not in the seed's table: inferred
  entry({
    id: 'rivery',
    displayName: 'Rivery',
    category: 'INGEST',
    profile: 'write',
    compute: 'create-warehouse',
    schemaSelection: 'none',
    supportsUnityCatalog: true,
    signInStyle: 'partner-account-admin',
    website: 'https://rivery.io',
    handoff: 'manual',
    provenance: {
      membership: D('seed names Rivery as a sign-in partner'),
      profile: I('ingestion partner: the write profile'),
      servicePrincipal: I(NAMING),
      unityCatalog: I('recalled, not verified'),
      signInStyle: D('seed: the first person who connects becomes the partner account administrator (Fivetran, Rivery)'),
    },
  }),
  ...(
    [
      ['prophecy', 'Prophecy', 'DATA_PREP_AND_TRANSFORM', 'cluster', 'https://www.prophecy.io'],
      ['john-snow-labs', 'John Snow Labs', 'ML', 'cluster', 'https://www.johnsnowlabs.com'],
      ['matillion', 'Matillion', 'DATA_PREP_AND_TRANSFORM', 'write', 'https://www.matillion.com'],
      ['preset', 'Preset', 'BI_AND_VIZ', 'read', 'https://preset.io'],
      ['thoughtspot', 'ThoughtSpot', 'BI_AND_VIZ', 'read', 'https://www.thoughtspot.com'],
      ['alation', 'Alation', 'DATA_GOVERNANCE', 'read', 'https://www.alation.com'],
      ['privacera', 'Privacera', 'SECURITY_AND_GOVERNANCE', 'workspace', 'https://privacera.com'],
      ['immuta', 'Immuta', 'SECURITY_AND_GOVERNANCE', 'workspace', 'https://www.immuta.com'],
      ['atscale', 'AtScale', 'SEMANTIC_LAYER', 'read', 'https://www.atscale.com'],
    ] as const
  ).map(([id, displayName, category, profile, website]) =>
    entry({
      id,
      displayName,
      category,
      profile,
      compute: profile === 'cluster' ? 'cluster' : profile === 'write' ? 'create-warehouse' : profile === 'read' ? 'existing-warehouse' : 'none',
      schemaSelection: profile === 'read' ? 'one' : 'none',
      supportsUnityCatalog: false,
      signInStyle: 'trial-signup',
      website,
      handoff: 'manual',
      provenance: {
        membership: I('seen in Databricks Partner Connect over time (partner research notes); not in the seed'),
        profile: I(`the seed has no entry: ${profile} profile inferred from the category`),
        servicePrincipal: I(NAMING),
        compute: I(profile === 'cluster' ? 'Spark/notebook partner: creates its own cluster' : 'follows the inferred profile'),
        unityCatalog: UC_UNKNOWN,
      },
    }),
  ),
];
