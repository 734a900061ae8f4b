/**
 * zod schemas of the account-level REST bodies the account client reads. Field names are the API's
 * (Go SDK `provisioning.Workspace`, `iam.ServicePrincipal`, `iam.PermissionAssignment`); ids are
 * normalised to strings.
 */
import * as z from 'zod';
import { EpochMs, Id, scimListResponse } from '../schemas';

export const WorkspaceStatus = z.string();

export const AccountWorkspace = z.object({
  workspace_id: Id,
  workspace_name: z.string().optional().default(''),
  /** the first label(s) of the workspace host; absent while not provisioned */
  deployment_name: z.string().optional(),
  /** NOT_PROVISIONED, PROVISIONING, RUNNING, FAILED, BANNED, CANCELLING */
  workspace_status: WorkspaceStatus.optional(),
  workspace_status_message: z.string().optional(),
  account_id: z.string().optional(),
  /** "like azure, gcp" per the Go SDK; absent in some Azure answers */
  cloud: z.string().optional(),
  aws_region: z.string().optional(),
  location: z.string().optional(),
  pricing_tier: z.string().optional(),
  creation_time: EpochMs.optional(),
  azure_workspace_info: z.object({ subscription_id: z.string().optional(), resource_group: z.string().optional() }).optional(),
});
export type AccountWorkspace = z.output<typeof AccountWorkspace>;

/**
 * Every SDK decodes the list as a bare JSON array; the API reference renders `{ "workspaces": [...] }`.
 * Both are accepted.
 */
export const ListAccountWorkspacesResponse = z.union([z.array(AccountWorkspace), z.object({ workspaces: z.array(AccountWorkspace).optional().default([]) }).transform((o) => o.workspaces)]);

export const AccountServicePrincipal = z.object({
  id: Id,
  applicationId: z.string(),
  displayName: z.string().optional().default(''),
  active: z.boolean().optional().default(true),
  externalId: z.string().optional(),
});
export type AccountServicePrincipal = z.output<typeof AccountServicePrincipal>;
export const AccountServicePrincipalList = scimListResponse(AccountServicePrincipal);

export const PermissionAssignment = z.object({
  principal: z
    .object({
      principal_id: Id.optional(),
      display_name: z.string().optional(),
      user_name: z.string().optional(),
      service_principal_name: z.string().optional(),
      group_name: z.string().optional(),
    })
    .optional(),
  permissions: z.array(z.string()).optional().default([]),
  error: z.string().optional(),
});
export type PermissionAssignment = z.output<typeof PermissionAssignment>;
export const PermissionAssignments = z.object({ permission_assignments: z.array(PermissionAssignment).optional().default([]) });
