import { checkSettingValue, SETTING_BY_NAME, SETTINGS, type SettingDefinition } from '../../core/data/settings.js';
import { type ConfigurationScope, SCOPED_SETTINGS, scopedSettingValue, type SettingValue } from '../../core/model/configuration.js';
import type { CloudState } from '../../core/model/state.js';
import { badValue } from '../errors.js';
import { type Call, defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { LIST_PARAMS, matchesKeyword } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { type ConfigurationRow, configurationView } from '../views/activity.js';

/**
 * The settings the core honours (core/data/settings.ts), listed and changed as CloudStack's
 * configuration: globally, or for one zone, cluster or storage pool where the core honours the
 * setting there (core/model/configuration.ts SCOPED_SETTINGS); account and domain scopes hold
 * nothing the core would read, so a value for them is refused.
 */

const SCOPE_PARAMS = {
  zoneid: param.uuid('the zone the value is for', { related: 'listZones' }),
  clusterid: param.uuid('the cluster the value is for', { related: 'listClusters' }),
  storageid: param.uuid('the storage pool the value is for', { related: 'listStoragePools' }),
  accountid: param.uuid('the account the value is for', { related: 'listAccounts' }),
  domainid: param.uuid('the domain the value is for', { related: 'listDomains' }),
  imagestoreuuid: param.uuid('the image store the value is for (no setting is honoured per image store)', { related: 'listImageStores' }),
};

type ScopeParams = { zoneid?: string | undefined; clusterid?: string | undefined; storageid?: string | undefined; accountid?: string | undefined; domainid?: string | undefined; imagestoreuuid?: string | undefined };

/** The one scope the parameters name, if any; an entity that does not exist is a 431. */
function scopeOf(call: Call, p: ScopeParams): { kind: ConfigurationScope; id: string } | undefined {
  const given: { kind: ConfigurationScope | 'imagestore'; id: string }[] = [];
  if (p.zoneid !== undefined) given.push({ kind: 'zone', id: p.zoneid });
  if (p.clusterid !== undefined) given.push({ kind: 'cluster', id: p.clusterid });
  if (p.storageid !== undefined) given.push({ kind: 'storagepool', id: p.storageid });
  if (p.accountid !== undefined) given.push({ kind: 'account', id: p.accountid });
  if (p.domainid !== undefined) given.push({ kind: 'domain', id: p.domainid });
  if (p.imagestoreuuid !== undefined) given.push({ kind: 'imagestore', id: p.imagestoreuuid });
  if (given.length > 1) throw badValue('cannot handle multiple IDs, provide only one ID corresponding to the scope');
  const scope = given[0];
  if (scope === undefined) return undefined;
  const state = call.state;
  const exists = {
    zone: () => state.zones.has(scope.id),
    cluster: () => state.clusters.has(scope.id),
    storagepool: () => state.storagePools.has(scope.id),
    account: () => state.accounts.has(scope.id) && scope.id !== 'system',
    domain: () => state.domains.has(scope.id),
    imagestore: () => state.imageStores.has(scope.id),
  }[scope.kind]();
  if (!exists) throw badValue(`Unable to find ${scope.kind} by id ${scope.id}`);
  if (scope.kind === 'imagestore') return undefined;
  return { kind: scope.kind, id: scope.id };
}

/** The value of a setting for a scope: where the core keeps it on the record, from there. */
function valueFor(state: Readonly<CloudState>, definition: SettingDefinition, scope: { kind: ConfigurationScope; id: string } | undefined): SettingValue | undefined {
  if (scope === undefined) return state.settings[definition.name];
  if (scope.kind === 'cluster') {
    const cluster = state.clusters.get(scope.id)!;
    if (definition.name === 'cpu.overprovisioning.factor') return cluster.cpuOvercommitRatio;
    if (definition.name === 'mem.overprovisioning.factor') return cluster.memoryOvercommitRatio;
    if (definition.name === 'cluster.cpu.allocated.capacity.disablethreshold' && cluster.cpuDisableThreshold !== undefined) return cluster.cpuDisableThreshold;
    if (definition.name === 'cluster.memory.allocated.capacity.disablethreshold' && cluster.memoryDisableThreshold !== undefined) return cluster.memoryDisableThreshold;
  }
  if (scope.kind === 'storagepool' && definition.name === 'storage.overprovisioning.factor') {
    const factor = state.storagePools.get(scope.id)!.overprovisioningFactor;
    if (factor !== undefined) return factor;
  }
  return scopedSettingValue(state, scope.id, definition.name);
}

function rowOf(state: Readonly<CloudState>, definition: SettingDefinition, scope: { kind: ConfigurationScope; id: string } | undefined): ConfigurationRow {
  return { definition, ordinal: SETTINGS.indexOf(definition) + 1, value: valueFor(state, definition, scope), ...(scope === undefined ? {} : { scope: scope.kind }) };
}

export const listConfigurations = defineCommand({
  name: 'listConfigurations',
  description: 'Lists all configurations.',
  isAsync: false,
  since: '3.0.0',
  related: 'updateConfiguration',
  params: {
    ...LIST_PARAMS,
    ...SCOPE_PARAMS,
    name: param.string('list only settings whose name contains this'),
    category: param.string('list only settings of this category (Advanced, Alert, Network, Storage, Account Defaults, ...)'),
    group: param.string('list only settings of this group (the category here)'),
    subgroup: param.string('list only settings of this subgroup (the first word of the name)'),
    parent: param.string('accepted, settings here have no parents'),
  },
  responseObject: 'configuration',
  response: configurationView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const scope = scopeOf(call, p);
    const rows = SETTINGS.filter(
      (d) =>
        (scope === undefined || d.scope === scope.kind || SCOPED_SETTINGS[scope.kind].includes(d.name)) &&
        (p.name === undefined || d.name.includes(p.name)) &&
        (p.category === undefined || d.category.toLowerCase() === p.category.toLowerCase()) &&
        (p.group === undefined || d.category.toLowerCase() === p.group.toLowerCase()) &&
        (p.subgroup === undefined || d.name.split('.')[0] === p.subgroup.toLowerCase()) &&
        matchesKeyword(p.keyword, d.name, d.description),
    ).map((d) => rowOf(call.state, d, scope));
    const ctx = call.view();
    return listResult(rows, (row) => configurationView.render(row, ctx));
  },
});

/** A value as the API sends it (text), in the setting's type, or CloudStack's 431. */
export function parseSettingValue(definition: SettingDefinition, text: string): SettingValue {
  const invalid = (why: string) => badValue(`Please enter a valid value for ${definition.name}: ${why}`);
  let value: SettingValue;
  switch (definition.type) {
    case 'number':
      if (!/^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/.test(text)) throw invalid(`it takes a number, got "${text}"`);
      value = Number(text);
      break;
    case 'boolean':
      if (text.toLowerCase() !== 'true' && text.toLowerCase() !== 'false') throw invalid(`it takes true or false, got "${text}"`);
      value = text.toLowerCase() === 'true';
      break;
    case 'string':
      value = text;
      break;
  }
  const problem = checkSettingValue(definition.name, value);
  if (problem !== undefined) throw invalid(problem);
  return value;
}

export const updateConfiguration = defineCommand({
  name: 'updateConfiguration',
  description: 'Updates a configuration.',
  isAsync: false,
  since: '3.0.0',
  related: 'listConfigurations',
  params: {
    ...SCOPE_PARAMS,
    name: param.string('the name of the setting', { required: true }),
    value: param.string('the new value of the setting'),
  },
  responseObject: 'configuration',
  response: configurationView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const definition = SETTING_BY_NAME.get(p.name);
    if (!definition) throw badValue(`Config parameter with name ${p.name} doesn't exist`);
    if (p.value === undefined) throw badValue(`Please enter a valid value for ${p.name}: a value is required (its default is ${String(definition.defaultValue)})`);
    const scope = scopeOf(call, p);
    if (scope === undefined && p.imagestoreuuid !== undefined) throw badValue(`Invalid scope id provided for the parameter ${p.name}: no setting is honoured per image store`);
    const value = parseSettingValue(definition, p.value);
    call.run({ type: 'updateConfiguration', name: definition.name, value, ...(scope === undefined ? {} : { scope }) });
    return { kind: 'object', object: configurationView.render(rowOf(call.state, definition, scope), call.view()) };
  },
});
