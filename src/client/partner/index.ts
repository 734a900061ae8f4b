// The Partner Connect protocol (Databricks side): PartnerConfig / request / response schemas and the partner API client.
export * from './partnerConfig';
export * from './partnerApiClient';
export * from './outcomes';
export { redactConnectRequest, secretForms, carriesSecret } from './redaction';
