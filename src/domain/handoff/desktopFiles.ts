/**
 * Connection files for desktop partners: Power BI (.pbids) and Tableau (.tds), for the chosen SQL
 * warehouse. They carry no credential: the desktop application asks the user to sign in (their own
 * token or Microsoft Entra ID / OAuth), so no service principal is needed.
 */
import type { CatalogPartner } from '../partners/catalog';
import type { ConnectionDetails, DesktopFile } from './types';

function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function fileBase(details: ConnectionDetails): string {
  return `databricks-${details.host.split('.')[0]}${details.warehouseId ? `-${details.warehouseId}` : ''}`.replace(/[^A-Za-z0-9._-]+/g, '-');
}

export function pbidsFile(details: ConnectionDetails): DesktopFile {
  if (!details.httpPath) throw new Error('A Power BI connection file needs a SQL warehouse.');
  const doc = {
    version: '0.1',
    connections: [
      {
        details: {
          protocol: 'databricks',
          address: { host: details.host, path: details.httpPath },
        },
        options: details.catalog ? { Catalog: details.catalog, ...(details.schemas[0] ? { Database: details.schemas[0] } : {}) } : {},
        mode: 'DirectQuery',
      },
    ],
  };
  return { fileName: `${fileBase(details)}.pbids`, mediaType: 'application/json', contents: JSON.stringify(doc, null, 2) + '\n' };
}

export function tdsFile(details: ConnectionDetails, caption = 'Databricks'): DesktopFile {
  if (!details.httpPath) throw new Error('A Tableau connection file needs a SQL warehouse.');
  const attrs: [string, string][] = [
    ['class', 'databricks'],
    ['server', details.host],
    ['port', String(details.port)],
    ['v-http-path', details.httpPath],
    ['dbname', details.catalog ?? ''],
    ['schema', details.schemas[0] ?? ''],
    ['authentication', 'auth-user-pass'],
    ['username', ''],
  ];
  const conn = attrs.map(([k, v]) => `${k}='${xmlAttr(v)}'`).join(' ');
  const contents =
    `<?xml version='1.0' encoding='utf-8' ?>\n` +
    `<datasource formatted-name='${xmlAttr(caption)}' inline='true' version='18.1' xmlns:user='http://www.tableausoftware.com/xml/user'>\n` +
    `  <connection ${conn} />\n` +
    `</datasource>\n`;
  return { fileName: `${fileBase(details)}.tds`, mediaType: 'application/xml', contents };
}

export function desktopFileFor(partner: CatalogPartner, details: ConnectionDetails): DesktopFile {
  if (partner.desktopFile === 'pbids') return pbidsFile(details);
  if (partner.desktopFile === 'tds') return tdsFile(details, `Databricks (${details.host})`);
  throw new Error(`${partner.displayName} has no desktop connection file.`);
}
