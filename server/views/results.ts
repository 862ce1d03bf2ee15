import type { JsonObject } from '../http/respond.js';
import { vmResult } from './compute.js';
import { INFRASTRUCTURE_JOB_RESULTS } from './infrastructure.js';
import { NETWORK_JOB_RESULTS } from './network.js';
import { snapshotView, volumeView } from './storage.js';
import { isoView, templateView } from './templates.js';
import { accountView, domainView, projectView, userView } from './identity.js';
import { affinityGroupView } from './tenant.js';
import type { ResponseField, ViewContext } from './view.js';

/**
 * The result objects of finished async jobs, by the object name of the command's response:
 * `{<objectname>: {...}}` rendered from the state when the job ends, for the caller who started
 * it. An object name without a renderer here (success-only commands) gives no object, and the
 * job reports `{success: true}`. Other areas add their object names to this table.
 */
export const JOB_RESULT_RENDERERS: Record<string, (id: string, ctx: ViewContext) => JsonObject | undefined> = {
  virtualmachine: (id, ctx) => {
    const vm = ctx.state.vms.get(id);
    return vm ? vmResult(vm, ctx) : undefined;
  },
  volume: (id, ctx) => {
    const volume = ctx.state.volumes.get(id);
    return volume ? { volume: volumeView.render(volume, ctx) } : undefined;
  },
  snapshot: (id, ctx) => {
    const snapshot = ctx.state.snapshots.get(id);
    return snapshot ? { snapshot: snapshotView.render(snapshot, ctx) } : undefined;
  },
  template: (id, ctx) => {
    const template = ctx.state.templates.get(id);
    return template && template.zoneIds[0] !== undefined ? { template: templateView.render({ template, zoneId: template.zoneIds[0] }, ctx) } : undefined;
  },
  iso: (id, ctx) => {
    const template = ctx.state.templates.get(id);
    return template && template.zoneIds[0] !== undefined ? { iso: isoView.render({ template, zoneId: template.zoneIds[0] }, ctx) } : undefined;
  },
  account: (id, ctx) => {
    const account = ctx.state.accounts.get(id);
    return account ? { account: accountView.render(account, ctx) } : undefined;
  },
  user: (id, ctx) => {
    const user = ctx.state.users.get(id);
    return user ? { user: userView.render(user, ctx) } : undefined;
  },
  domain: (id, ctx) => {
    const domain = ctx.state.domains.get(id);
    return domain ? { domain: domainView.render(domain, ctx) } : undefined;
  },
  project: (id, ctx) => {
    const project = ctx.state.projects.get(id);
    return project ? { project: projectView.render(project, ctx) } : undefined;
  },
  affinitygroup: (id, ctx) => {
    const group = ctx.state.affinityGroups.get(id);
    return group ? { affinitygroup: affinityGroupView.render(group, ctx) } : undefined;
  },
  ...NETWORK_JOB_RESULTS,
  ...INFRASTRUCTURE_JOB_RESULTS,
};

export function renderEntityResult(responseObject: string, id: string, ctx: ViewContext): JsonObject | undefined {
  return JOB_RESULT_RENDERERS[responseObject]?.(id, ctx);
}

/** The response of success-only commands, for listApis. */
export const SUCCESS_FIELDS: readonly ResponseField[] = [
  { name: 'success', type: 'boolean', description: 'true when the operation succeeded' },
  { name: 'displaytext', type: 'string', description: 'any text about the operation' },
];
