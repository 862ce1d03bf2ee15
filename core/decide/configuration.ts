import { checkSettingValue, SETTING_BY_NAME } from '../data/settings.js';
import { type ConfigurationScope, SCOPED_SETTINGS } from '../model/configuration.js';
import type { UpdateConfiguration } from '../model/commands.js';
import type { Id } from '../model/entities.js';
import type { CloudState } from '../model/state.js';
import { type DecideContext, type Decision, reject } from './support.js';

/**
 * updateConfiguration for one zone or cluster (CloudStack's zoneid, clusterid, ... scopes): a
 * root admin's, for the settings the core honours at that scope (SCOPED_SETTINGS).
 */

function scopeExists(state: Readonly<CloudState>, kind: ConfigurationScope, id: Id): boolean {
  switch (kind) {
    case 'zone': return state.zones.has(id);
    case 'cluster': return state.clusters.has(id);
    case 'storagepool': return state.storagePools.has(id);
    case 'account': return state.accounts.has(id) && id !== 'system';
    case 'domain': return state.domains.has(id);
  }
}

export function decideScopedConfiguration(state: CloudState, cmd: UpdateConfiguration & { scope: { kind: ConfigurationScope; id: Id } }, ctx: DecideContext): Decision {
  if (ctx.actor.role !== 'RootAdmin') return reject('PERMISSION_DENIED', 'only a root admin can change settings');
  const { kind, id } = cmd.scope;
  if (!SETTING_BY_NAME.has(cmd.name)) return reject('INVALID_PARAMETER', `Configuration ${cmd.name} does not exist`);
  if (!scopeExists(state, kind, id)) return reject('ENTITY_NOT_FOUND', `Unable to find ${kind} by id ${id}`);
  if (!SCOPED_SETTINGS[kind].includes(cmd.name)) {
    return reject('INVALID_PARAMETER', `Invalid scope id provided for the parameter ${cmd.name}: it is honoured ${SETTING_BY_NAME.get(cmd.name)!.scope === kind ? 'cloud-wide only here' : `only globally, not per ${kind}`}`);
  }
  const problem = checkSettingValue(cmd.name, cmd.value);
  if (problem !== undefined) return reject('INVALID_PARAMETER', problem);
  return { ok: true, events: [{ type: 'scopedConfigurationUpdated', scope: kind, scopeId: id, name: cmd.name, value: cmd.value }], findings: [] };
}
