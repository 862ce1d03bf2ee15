import { finding } from '../findings.js';
import type { Id } from '../model/entities.js';
import { type CloudState, networksOf } from '../model/state.js';
import { type Demand, emptyZoneDemand, type VmGroup, type VmNetwork, type ZoneDemand } from '../sizing/demand.js';
import type { LocatedFinding } from './build.js';
import type { SpecPath } from './parse.js';
import type { ScenarioSpec } from './schema.js';

/** Resolves the `demand:` section of a scenario against the built model. */
export function resolveDemand(spec: ScenarioSpec, state: CloudState): { demand: Demand; findings: LocatedFinding[] } {
  const findings: LocatedFinding[] = [];
  const problem = (code: LocatedFinding['code'], specPath: SpecPath, message: string, hint: string): void => {
    findings.push({ ...finding(code, { path: specPath.join('/') }, message, hint), specPath });
  };
  const zoneByName = new Map([...state.zones.values()].map((z) => [z.name, z]));
  const offeringByName = new Map([...state.serviceOfferings.values()].map((o) => [o.name, o]));
  const diskByName = new Map([...state.diskOfferings.values()].map((o) => [o.name, o]));
  const templates = (spec.templates ?? []).map((t) => ({ name: t.name, sizeGiB: t.sizeGiB, ...(t.hypervisor ? { hypervisor: t.hypervisor } : {}) }));
  const templateByName = new Map(templates.map((t) => [t.name, t]));
  const zones: ZoneDemand[] = [];
  const entryOfZone = new Map<string, number>();

  (spec.demand ?? []).forEach((entry, di) => {
    const base: SpecPath = ['demand', di];
    const zone = zoneByName.get(entry.zone);
    if (!zone) {
      problem('DEMAND_UNKNOWN_ZONE', [...base, 'zone'], `demand names zone "${entry.zone}", which the design does not have`, `use one of: ${[...zoneByName.keys()].join(', ')}`);
      return;
    }
    const earlier = entryOfZone.get(zone.name);
    if (earlier !== undefined) {
      problem('INVALID_PARAMETER', [...base, 'zone'], `zone ${zone.name} already has its demand in demand[${earlier}]; this entry would be lost`, 'give each zone one demand entry and list all of its VMs there');
      return;
    }
    entryOfZone.set(zone.name, di);
    const physicalNetworkId = (name: string | undefined, path: SpecPath): Id | undefined => {
      if (name === undefined) return undefined;
      const found = [...state.physicalNetworks.values()].find((n) => n.zoneId === zone.id && n.name === name);
      if (!found) problem('ENTITY_NOT_FOUND', path, `physical network "${name}" is not declared in zone ${zone.name}`, 'name one of the zone\'s physical networks');
      return found?.id;
    };
    const demand = emptyZoneDemand(zone.id);
    demand.accounts = entry.accounts ?? 0;
    const isolated = typeof entry.isolatedNetworks === 'number' ? { count: entry.isolatedNetworks } : entry.isolatedNetworks;
    if (isolated) {
      const pn = physicalNetworkId('physicalNetwork' in isolated ? isolated.physicalNetwork : undefined, [...base, 'isolatedNetworks', 'physicalNetwork']);
      demand.isolatedNetworks = {
        count: isolated.count,
        redundantRouter: ('redundantRouter' in isolated && isolated.redundantRouter) || false,
        dualStack: ('dualStack' in isolated && isolated.dualStack) || false,
        ...(pn ? { physicalNetworkId: pn } : {}),
      };
    }
    if (entry.vpcs) {
      const pn = physicalNetworkId(entry.vpcs.physicalNetwork, [...base, 'vpcs', 'physicalNetwork']);
      demand.vpcs = {
        count: entry.vpcs.count,
        tiersPerVpc: entry.vpcs.tiersPerVpc ?? 1,
        redundantRouter: entry.vpcs.redundantRouter ?? false,
        internalLbVms: entry.vpcs.internalLbVms ?? 0,
        dualStack: entry.vpcs.dualStack ?? false,
        ...(pn ? { physicalNetworkId: pn } : {}),
      };
    }
    const l2 = typeof entry.l2Networks === 'number' ? { count: entry.l2Networks } : entry.l2Networks;
    if (l2) {
      const pn = physicalNetworkId('physicalNetwork' in l2 ? l2.physicalNetwork : undefined, [...base, 'l2Networks', 'physicalNetwork']);
      demand.l2Networks = { count: l2.count, ...(pn ? { physicalNetworkId: pn } : {}) };
    }
    demand.acquiredPublicIps = entry.acquiredPublicIps ?? 0;
    demand.consoleSessions = entry.consoleSessions ?? 0;
    if (entry.snapshots) demand.snapshots = { perVolume: entry.snapshots.perVolume, sizeRatio: entry.snapshots.sizeRatio ?? 1 };

    (entry.vms ?? []).forEach((vm, vi) => {
      const path: SpecPath = [...base, 'vms', vi];
      const offering = offeringByName.get(vm.offering);
      if (!offering) {
        problem('ENTITY_NOT_FOUND', [...path, 'offering'], `compute offering "${vm.offering}" is not declared`, 'declare it under offerings.compute');
        return;
      }
      const template = vm.template === undefined ? undefined : templateByName.get(vm.template);
      if (vm.template !== undefined && !template) {
        problem('ENTITY_NOT_FOUND', [...path, 'template'], `template "${vm.template}" is not declared`, 'declare it under templates:');
        return;
      }
      let network: VmNetwork;
      const networkName = vm.network ?? (zone.networkType === 'Basic' || zone.securityGroupsEnabled ? 'shared' : 'isolated');
      if (networkName === 'isolated' || networkName === 'vpc' || networkName === 'l2') {
        network = { kind: networkName };
      } else if (networkName === 'none') {
        network = { kind: 'none' };
      } else {
        const shared = networksOf(state, zone.id).find((n) => n.guestType === 'Shared' && (n.name === networkName || (networkName === 'shared')));
        if (!shared) {
          problem('ENTITY_NOT_FOUND', [...path, 'network'], `network "${networkName}" is not a shared network of zone ${zone.name}`, 'use isolated, vpc, l2, or the name of a shared network of the zone');
          return;
        }
        network = { kind: 'shared', networkId: shared.id };
      }
      let dataDiskGiB = 0;
      let dataStorage: 'shared' | 'local' = 'shared';
      for (const [k, disk] of (vm.dataDisks ?? []).entries()) {
        const diskOffering = diskByName.get(disk.offering);
        if (!diskOffering) {
          problem('ENTITY_NOT_FOUND', [...path, 'dataDisks', k, 'offering'], `disk offering "${disk.offering}" is not declared`, 'declare it under offerings.disk');
          continue;
        }
        const size = disk.sizeGiB ?? diskOffering.sizeGiB;
        if (size === undefined) {
          problem('INVALID_PARAMETER', [...path, 'dataDisks', k, 'sizeGiB'], `disk offering "${disk.offering}" is customized; give sizeGiB`, 'add sizeGiB to the data disk');
          continue;
        }
        dataDiskGiB += size * (disk.count ?? 1);
        if (diskOffering.storageType === 'local') dataStorage = 'local';
      }
      const templateSizeGiB = template?.sizeGiB ?? 0;
      const group: VmGroup = {
        label: vm.network && !['isolated', 'shared'].includes(vm.network) ? `${offering.name} on ${vm.network}` : offering.name,
        offeringId: offering.id,
        count: vm.count,
        cpuNumber: offering.cpuNumber,
        cpuSpeedMhz: offering.cpuSpeedMhz,
        memoryMiB: offering.memoryMiB,
        rootDiskGiB: vm.rootDiskGiB ?? offering.rootDiskGiB ?? (templateSizeGiB || 20),
        dataDiskGiB,
        rootStorage: offering.storageType,
        dataStorage,
        offerHa: offering.offerHa,
        hostTags: offering.hostTags,
        storageTags: offering.storageTags,
        templateSizeGiB,
        network,
      };
      if (template) group.templateId = template.name;
      if (template?.hypervisor) group.hypervisor = template.hypervisor;
      demand.vms.push(group);
    });
    zones.push(demand);
  });
  return { demand: { zones, templates, isos: (spec.isos ?? []).map((i) => ({ name: i.name, sizeGiB: i.sizeGiB })) }, findings };
}
