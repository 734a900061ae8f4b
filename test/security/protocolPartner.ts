/** A catalog partner from a minimal PartnerConfig whose API is at `url` (a PAT only, no compute). */
import { loadPartnerConfigFile, type CatalogPartner } from '../../src/domain';

export function protocolPartnerAt(url: string, name: string): CatalogPartner {
  return loadPartnerConfigFile(
    JSON.stringify({
      api_version: '2.1.1',
      name,
      description_blurb: `${name}, a partner made up by a security test`,
      category: 'INGEST',
      base_url: url,
      endpoints: { connect_path: '/connect', delete_connection_path: '/delete-connection' },
      sign_up_page: `${url}/signup`,
      privacy_policy: `${url}/privacy`,
      terms_of_service: `${url}/tos`,
      logo_file: 'logo.png',
      icon_file: 'icon.png',
      resources_to_provision: [{ resource_type: 'PAT' }],
      supported_clouds: ['aws'],
      hostnames: ['127.0.0.1'],
      new_user_action: 'auto_add',
    }),
    `${name}.json`,
  );
}
