import { step } from '../decider.js';
import type { DecideContext } from '../decide/support.js';
import { finding, type Finding } from '../findings.js';
import type { Command } from '../model/commands.js';
import type { DomainEvent } from '../model/events.js';
import type { Id, VlanTag } from '../model/entities.js';
import { type CloudState, DEFAULT_REGION_ID, emptyState, ROOT_DOMAIN_ID } from '../model/state.js';
import { formatIpv4, parseIpv4 } from '../net/ipv4.js';
import { SYSTEM_CALLER } from '../ports.js';
import { SeededRng } from '../rng.js';
import type { SpecPath } from './parse.js';
import type { ClusterSpec, HostSpec, PodSpec, ScenarioSpec, ZoneSpec } from './schema.js';

/**
 * Builds the model of a scenario the way an operator would build the cloud: as a sequence of
 * commands, each decided and evolved by the core. Entities are created in a canonical order
 * (sorted by name, then content) so the result, the ids and the findings do not depend on the
 * order things are written in the file.
 */

/** A finding, with the place in the scenario file that declared what it is about. */
export interface LocatedFinding extends Finding {
  specPath?: SpecPath;
}

export interface BuildResult {
  state: CloudState;
  findings: LocatedFinding[];
  /** Where each entity was declared in the scenario. */
  origins: Map<Id, SpecPath>;
  events: DomainEvent[];
  commandCount: number;
}

export interface BuildOptions {
  /** `plan` (default) records rule violations and keeps going; `enforce` skips refused commands. */
  mode?: 'plan' | 'enforce';
}

type Indexed<T> = { spec: T; index: number };

/** Sorts by name, then by content, so duplicates with different contents still order stably. */
function canonical<T extends { name: string }>(items: readonly T[] | undefined): Indexed<T>[] {
  const list = (items ?? []).map((spec, index) => ({ spec, index, key: JSON.stringify(spec) }));
  list.sort((a, b) => (a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return list.map(({ spec, index }) => ({ spec, index }));
}

function byKey<T>(items: readonly T[] | undefined, key: (item: T) => string): Indexed<T>[] {
  const list = (items ?? []).map((spec, index) => ({ spec, index, key: `${key(spec)}\u0000${JSON.stringify(spec)}` }));
  list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return list.map(({ spec, index }) => ({ spec, index }));
}

/** The concrete hosts of a host entry: `count` copies, numbered names, consecutive addresses. */
export function expandHosts(spec: HostSpec): { name: string; ip: string }[] {
  const count = spec.count ?? 1;
  const from = spec.numberFrom ?? 1;
  const firstIp = parseIpv4(spec.ip) ?? 0;
  const out: { name: string; ip: string }[] = [];
  for (let i = 0; i < count; i++) {
    const n = String(from + i);
    const name = spec.name.includes('{n}') ? spec.name.replaceAll('{n}', n) : count > 1 ? `${spec.name}${n}` : spec.name;
    out.push({ name, ip: formatIpv4((firstIp + i) >>> 0) });
  }
  return out;
}

function gib(value: { capacityGiB?: number | undefined; capacityTiB?: number | undefined }): number {
  return value.capacityGiB ?? (value.capacityTiB ?? 0) * 1024;
}

function vlanRangesText(value: string | (string | number)[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String).join(',') : value;
}

class Builder {
  readonly state: CloudState;
  readonly findings: LocatedFinding[] = [];
  readonly origins = new Map<Id, SpecPath>();
  readonly events: DomainEvent[] = [];
  commandCount = 0;
  private readonly ctx: DecideContext;
  private readonly domainIds = new Map<string, Id>([['ROOT', ROOT_DOMAIN_ID]]);
  private readonly accountIds = new Map<string, Id>();
  private readonly regionIds = new Map<string, Id>();
  readonly hostIdsByName = new Map<string, Id[]>();

  constructor(spec: ScenarioSpec, mode: 'plan' | 'enforce') {
    this.state = emptyState(spec.seed ?? 0);
    this.ctx = { nowMs: 0, rng: new SeededRng(spec.seed ?? 0), actor: SYSTEM_CALLER, mode };
  }

  /**
   * Runs one command; returns the ids it created (in event order), or undefined when refused.
   * `fields` maps a command field to where the file spells it, when that is not a key of its own.
   */
  run(command: Command, specPath: SpecPath, fields: Readonly<Record<string, SpecPath>> = {}): Id[] | undefined {
    const locate = (f: Finding, base: SpecPath): SpecPath => (f.field === undefined ? base : [...base, ...(fields[f.field] ?? [f.field])]);
    this.commandCount++;
    const before = new Set<Id>();
    const result = step(this.state, command, this.ctx);
    if (!result.ok) {
      const located = result.rejection.findings.length > 0 ? result.rejection.findings : [finding(result.rejection.code, { path: specPathText(specPath) }, result.rejection.message, 'fix the declaration')];
      for (const f of located) this.findings.push({ ...f, specPath: locate(f, specPath) });
      return undefined;
    }
    const created: Id[] = [];
    for (const event of result.step.events) {
      this.events.push(event);
      const id = createdId(event);
      if (id !== undefined) {
        created.push(id);
        before.add(id);
        if (!this.origins.has(id)) this.origins.set(id, specPath);
      }
    }
    for (const f of result.step.findings) {
      // A finding about an entity declared earlier points at that declaration; anything else at
      // the declaration this command came from.
      const origin = f.entityId !== undefined && !before.has(f.entityId) ? this.origins.get(f.entityId) : undefined;
      this.findings.push({ ...f, specPath: origin ?? locate(f, specPath) });
    }
    return created;
  }

  problem(code: Finding['code'], specPath: SpecPath, message: string, hint: string): void {
    this.findings.push({ ...finding(code, { path: specPathText(specPath) }, message, hint), specPath });
  }

  dedication(value: { domain?: string | undefined; account?: string | undefined } | undefined, specPath: SpecPath): { domainId: Id; accountId?: Id } | undefined {
    if (!value) return undefined;
    const accountId = value.account === undefined ? undefined : this.accountIds.get(`${value.domain ?? 'ROOT'}/${value.account}`) ?? this.findAccount(value.account);
    const domainId = value.domain === undefined ? (accountId ? this.state.accounts.get(accountId)?.domainId : ROOT_DOMAIN_ID) : this.domainIds.get(value.domain);
    if (domainId === undefined || (value.account !== undefined && accountId === undefined)) {
      this.problem('ENTITY_NOT_FOUND', [...specPath, 'dedicatedTo'], `dedicated to ${value.account ? `account "${value.account}"` : `domain "${value.domain}"`}, which the scenario does not declare`, 'declare it under accounts: or domains:');
      return undefined;
    }
    return accountId === undefined ? { domainId } : { domainId, accountId };
  }

  findAccount(name: string): Id | undefined {
    for (const [key, id] of this.accountIds) if (key.endsWith(`/${name}`)) return id;
    return undefined;
  }

  account(name: string | undefined, specPath: SpecPath): Id | undefined | null {
    if (name === undefined) return undefined;
    const id = this.findAccount(name);
    if (id === undefined) {
      this.problem('ENTITY_NOT_FOUND', specPath, `account "${name}" is not declared`, 'declare it under accounts:');
      return null;
    }
    return id;
  }

  buildGlobal(spec: ScenarioSpec): void {
    for (const [name, value] of Object.entries(spec.settings ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      this.run({ type: 'updateConfiguration', name, value }, ['settings', name]);
    }
    this.regionIds.set('Local', DEFAULT_REGION_ID);
    for (const { spec: region, index } of canonical(spec.regions)) {
      const ids = this.run({ type: 'createRegion', name: region.name }, ['regions', index]);
      if (ids?.[0]) this.regionIds.set(region.name, ids[0]);
    }
    // Parents before children: a domain waits until its parent exists.
    const pending = canonical(spec.domains);
    let progress = true;
    while (pending.length > 0 && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const { spec: domain, index } = pending[i]!;
        const parentId = this.domainIds.get(domain.parent ?? 'ROOT');
        if (parentId === undefined) continue;
        const ids = this.run({ type: 'createDomain', name: domain.name, parentId }, ['domains', index]);
        if (ids?.[0]) this.domainIds.set(domain.name, ids[0]);
        pending.splice(i, 1);
        i--;
        progress = true;
      }
    }
    for (const { spec: domain, index } of pending) {
      this.problem('ENTITY_NOT_FOUND', ['domains', index, 'parent'], `parent domain "${domain.parent}" of domain "${domain.name}" is not declared`, 'declare the parent under domains:');
    }
    for (const { spec: account, index } of byKey(spec.accounts, (a) => `${a.domain ?? 'ROOT'}/${a.name}`)) {
      const domainId = this.domainIds.get(account.domain ?? 'ROOT');
      if (domainId === undefined) {
        this.problem('ENTITY_NOT_FOUND', ['accounts', index, 'domain'], `domain "${account.domain}" of account "${account.name}" is not declared`, 'declare it under domains:');
        continue;
      }
      const ids = this.run({ type: 'createAccount', name: account.name, domainId, ...(account.type ? { accountType: account.type } : {}) }, ['accounts', index]);
      if (ids?.[0]) this.accountIds.set(`${account.domain ?? 'ROOT'}/${account.name}`, ids[0]);
    }
    for (const { spec: offering, index } of canonical(spec.offerings?.compute)) {
      this.run({ type: 'createServiceOffering', ...offering }, ['offerings', 'compute', index]);
    }
    for (const { spec: offering, index } of canonical(spec.offerings?.disk)) {
      this.run({ type: 'createDiskOffering', ...offering }, ['offerings', 'disk', index]);
    }
    for (const { spec: store, index } of canonical(spec.objectStores)) {
      const ids = this.run({ type: 'addObjectStoragePool', name: store.name, provider: store.provider, url: store.url, capacityGiB: gib(store) }, ['objectStores', index]);
      const storeId = ids?.[0];
      if (storeId === undefined) continue;
      for (const { spec: bucket, index: b } of canonical(store.buckets)) {
        const accountId = this.account(bucket.account, ['objectStores', index, 'buckets', b, 'account']);
        if (!accountId) continue;
        this.run({ type: 'createBucket', objectStoreId: storeId, name: bucket.name, accountId, quotaGiB: bucket.quotaGiB }, ['objectStores', index, 'buckets', b]);
      }
    }
    for (const { spec: store, index } of canonical(spec.secondaryStorage)) {
      const regionId = this.regionIds.get(store.region ?? 'Local');
      if (regionId === undefined) {
        this.problem('ENTITY_NOT_FOUND', ['secondaryStorage', index, 'region'], `region "${store.region}" is not declared`, 'declare it under regions:');
        continue;
      }
      this.run({ type: 'addImageStore', name: store.name, provider: store.provider ?? 'S3', regionId, capacityGiB: gib(store), ...(store.url ? { url: store.url } : {}), ...(store.readOnly === undefined ? {} : { readOnly: store.readOnly }) }, ['secondaryStorage', index]);
    }
  }

  buildZone(zone: ZoneSpec, zi: number): void {
    const path: SpecPath = ['zones', zi];
    const regionId = this.regionIds.get(zone.region ?? 'Local');
    if (regionId === undefined) {
      this.problem('ENTITY_NOT_FOUND', [...path, 'region'], `region "${zone.region}" is not declared`, 'declare it under regions:');
      return;
    }
    const ids = this.run(
      {
        type: 'createZone',
        name: zone.name,
        regionId,
        networkType: zone.networkType,
        zoneType: zone.type ?? 'Core',
        securityGroupsEnabled: zone.securityGroups ?? zone.networkType === 'Basic',
        elasticIp: zone.elasticIp ?? false,
        localStorageEnabled: zone.localStorage ?? false,
        allocationState: zone.enabled === false ? 'Disabled' : 'Enabled',
        ...(zone.guestCidr ? { guestCidr: zone.guestCidr } : {}),
        ...(zone.ip6GuestPrefix ? { ip6GuestPrefix: zone.ip6GuestPrefix } : {}),
        ...(zone.dns ? { dns: zone.dns } : {}),
        ...(zone.internalDns ? { internalDns: zone.internalDns } : {}),
        ...(zone.networkDomain ? { networkDomain: zone.networkDomain } : {}),
        ...(zone.vmwareDatacenter ? { vmwareDatacenter: zone.vmwareDatacenter } : {}),
      },
      path,
    );
    const zoneId = ids?.[0];
    if (zoneId === undefined) return;
    const dedication = this.dedication(zone.dedicatedTo, path);
    if (dedication) this.run({ type: 'dedicateZone', id: zoneId, ...dedication }, [...path, 'dedicatedTo']);

    const physicalNetworkIds = new Map<string, Id>();
    const trafficOrder = ['Management', 'Guest', 'Public', 'Storage', 'Control'];
    for (const { spec: network, index } of canonical(zone.physicalNetworks)) {
      const p: SpecPath = [...path, 'physicalNetworks', index];
      const vlan = vlanRangesText(network.vlanRanges);
      const created = this.run(
        {
          type: 'createPhysicalNetwork',
          zoneId,
          name: network.name,
          ...(network.isolationMethod ? { isolationMethod: network.isolationMethod } : {}),
          ...(vlan !== undefined ? { vlan } : {}),
          ...(network.tags ? { tags: network.tags } : {}),
          ...(network.nics ? { nics: network.nics } : {}),
          ...(network.bonding ? { bonding: network.bonding } : {}),
        },
        p,
      );
      const networkId = created?.[0];
      if (networkId === undefined) continue;
      physicalNetworkIds.set(network.name, networkId);
      const traffic = (network.traffic ?? []).map((t, index) => ({ t, index })).sort((a, b) => trafficOrder.indexOf(a.t.type) - trafficOrder.indexOf(b.t.type) || a.index - b.index);
      for (const { t, index: ti } of traffic) {
        this.run({ type: 'addTrafficType', physicalNetworkId: networkId, trafficType: t.type, ...(t.labels ? { labels: t.labels } : {}), ...(t.vlan === undefined ? {} : { vlan: t.vlan }) }, [...p, 'traffic', ti]);
      }
    }

    const podIds = new Map<string, Id>();
    for (const { spec: pod, index } of canonical(zone.pods)) {
      const podId = this.buildPod(zone, zoneId, pod, [...path, 'pods', index]);
      if (podId !== undefined) podIds.set(pod.name, podId);
    }
    for (const { spec: pool, index } of canonical(zone.primaryStorage)) {
      this.run(
        {
          type: 'createStoragePool', zoneId, scope: 'ZONE', name: pool.name, protocol: pool.protocol, capacityGiB: gib(pool),
          ...(pool.hypervisor ? { hypervisor: pool.hypervisor } : {}),
          ...(pool.url ? { url: pool.url } : {}),
          ...(pool.tags ? { tags: pool.tags } : {}),
          ...(pool.overprovisioningFactor === undefined ? {} : { overprovisioningFactor: pool.overprovisioningFactor }),
          ...(pool.paths === undefined ? {} : { paths: pool.paths }),
        },
        [...path, 'primaryStorage', index],
      );
    }
    for (const { spec: range, index } of byKey(zone.publicRanges, (r) => (parseIpv4(r.startIp) ?? 0).toString(16).padStart(8, '0'))) {
      const dedicatedTo = this.dedication(range.dedicatedTo, [...path, 'publicRanges', index]);
      this.run(
        {
          type: 'createVlanIpRange', zoneId, forVirtualNetwork: true, gateway: range.gateway, netmask: range.netmask, startIp: range.startIp,
          ...(range.endIp ? { endIp: range.endIp } : {}),
          ...(range.vlan === undefined ? {} : { vlan: range.vlan }),
          ...(range.forSystemVms === undefined ? {} : { forSystemVms: range.forSystemVms }),
          ...(range.ip6Gateway ? { ip6Gateway: range.ip6Gateway } : {}),
          ...(range.ip6Cidr ? { ip6Cidr: range.ip6Cidr } : {}),
          ...(dedicatedTo ? { domainId: dedicatedTo.domainId, ...(dedicatedTo.accountId ? { accountId: dedicatedTo.accountId } : {}) } : {}),
        },
        [...path, 'publicRanges', index],
      );
    }
    let basicGuestNetworkId: Id | undefined;
    if (zone.networkType === 'Basic') {
      basicGuestNetworkId = this.run({ type: 'createNetwork', zoneId, name: 'DefaultGuestNetwork', guestType: 'Shared' }, path)?.[0];
    }
    for (const { spec: pod, index } of canonical(zone.pods)) {
      const podId = podIds.get(pod.name);
      if (podId === undefined) continue;
      for (const { spec: range, index: ri } of byKey(pod.guestRanges, (r) => r.startIp)) {
        this.run(
          {
            type: 'createVlanIpRange', zoneId, podId, forVirtualNetwork: false, gateway: range.gateway, netmask: range.netmask, startIp: range.startIp, vlan: range.vlan ?? 'untagged',
            ...(range.endIp ? { endIp: range.endIp } : {}),
            ...(basicGuestNetworkId ? { networkId: basicGuestNetworkId } : {}),
          },
          [...path, 'pods', index, 'guestRanges', ri],
        );
      }
    }
    for (const { spec: store, index } of canonical(zone.secondaryStorage)) {
      this.run({ type: 'addImageStore', name: store.name, provider: store.provider ?? 'NFS', zoneId, capacityGiB: gib(store), ...(store.url ? { url: store.url } : {}), ...(store.readOnly === undefined ? {} : { readOnly: store.readOnly }) }, [...path, 'secondaryStorage', index]);
    }
    for (const { spec: store, index } of canonical(zone.stagingStores)) {
      this.run({ type: 'addImageStore', name: store.name, provider: store.provider ?? 'NFS', role: 'ImageCache', zoneId, capacityGiB: gib(store), ...(store.url ? { url: store.url } : {}) }, [...path, 'stagingStores', index]);
    }
    for (const { spec: network, index } of canonical(zone.networks)) {
      const p: SpecPath = [...path, 'networks', index];
      const accountId = this.account(network.account, [...p, 'account']);
      if (accountId === null) continue;
      const domainId = network.domain === undefined ? undefined : this.domainIds.get(network.domain);
      if (network.domain !== undefined && domainId === undefined) {
        this.problem('ENTITY_NOT_FOUND', [...p, 'domain'], `domain "${network.domain}" is not declared`, 'declare it under domains:');
        continue;
      }
      const physicalNetworkId = network.physicalNetwork === undefined ? undefined : physicalNetworkIds.get(network.physicalNetwork);
      if (network.physicalNetwork !== undefined && physicalNetworkId === undefined) {
        this.problem('ENTITY_NOT_FOUND', [...p, 'physicalNetwork'], `physical network "${network.physicalNetwork}" is not declared in zone ${zone.name}`, 'name one of the zone\'s physical networks');
        continue;
      }
      this.run(
        {
          type: 'createNetwork', zoneId, name: network.name, guestType: network.type,
          ...(physicalNetworkId ? { physicalNetworkId } : {}),
          ...(accountId ? { accountId } : {}),
          ...(domainId ? { domainId } : {}),
          ...(network.vlan === undefined ? {} : { vlan: network.vlan as VlanTag }),
          ...(network.gateway ? { gateway: network.gateway } : {}),
          ...(network.netmask ? { netmask: network.netmask } : {}),
          ...(network.startIp ? { startIp: network.startIp } : {}),
          ...(network.endIp ? { endIp: network.endIp } : {}),
          ...(network.redundantRouter === undefined ? {} : { redundantRouter: network.redundantRouter }),
          ...(network.persistent === undefined ? {} : { persistent: network.persistent }),
          ...(network.sourceNat === undefined ? {} : { sourceNat: network.sourceNat }),
          ...(network.networkDomain ? { networkDomain: network.networkDomain } : {}),
          ...(network.bypassVlanOverlapCheck === undefined ? {} : { bypassVlanOverlapCheck: network.bypassVlanOverlapCheck }),
          ...(network.ip6Gateway ? { ip6Gateway: network.ip6Gateway } : {}),
          ...(network.ip6Cidr ? { ip6Cidr: network.ip6Cidr } : {}),
        },
        p,
      );
    }
    for (const { spec: vpc, index } of canonical(zone.vpcs)) {
      const p: SpecPath = [...path, 'vpcs', index];
      const accountId = this.account(vpc.account, [...p, 'account']);
      if (accountId === null) continue;
      const created = this.run(
        {
          type: 'createVPC', zoneId, name: vpc.name, cidr: vpc.cidr,
          ...(accountId ? { accountId } : {}),
          ...(vpc.redundantRouter === undefined ? {} : { redundantRouter: vpc.redundantRouter }),
          ...(vpc.networkDomain ? { networkDomain: vpc.networkDomain } : {}),
        },
        p,
      );
      const vpcId = created?.[0];
      if (vpcId === undefined) continue;
      for (const { spec: tier, index: ti } of canonical(vpc.tiers)) {
        this.run(
          {
            type: 'createNetwork', zoneId, vpcId, name: tier.name, guestType: 'Isolated', gateway: tier.gateway, netmask: tier.netmask,
            ...(accountId ? { accountId } : {}),
            ...(tier.networkDomain ? { networkDomain: tier.networkDomain } : {}),
            ...(tier.vlan === undefined ? {} : { vlan: tier.vlan }),
          },
          [...p, 'tiers', ti],
        );
      }
    }
  }

  buildPod(zone: ZoneSpec, zoneId: Id, pod: PodSpec, path: SpecPath): Id | undefined {
    const [first, ...extra] = pod.reservedRanges;
    const created = this.run(
      {
        type: 'createPod', zoneId, name: pod.name, gateway: pod.gateway, netmask: pod.netmask,
        startIp: first!.startIp, ...(first!.endIp ? { endIp: first!.endIp } : {}),
        allocationState: pod.enabled === false ? 'Disabled' : 'Enabled',
      },
      path,
      { startIp: ['reservedRanges', 0, 'startIp'], endIp: ['reservedRanges', 0, 'endIp'] },
    );
    const podId = created?.[0];
    if (podId === undefined) return undefined;
    extra.forEach((range, i) => {
      this.run(
        {
          type: 'createManagementNetworkIpRange', podId, startIp: range.startIp,
          ...(range.endIp ? { endIp: range.endIp } : {}),
          ...(range.gateway ? { gateway: range.gateway } : {}),
          ...(range.netmask ? { netmask: range.netmask } : {}),
          ...(range.forSystemVms === undefined ? {} : { forSystemVms: range.forSystemVms }),
          ...(range.vlan === undefined ? {} : { vlan: range.vlan }),
        },
        [...path, 'reservedRanges', i + 1],
      );
    });
    const dedication = this.dedication(pod.dedicatedTo, path);
    if (dedication) this.run({ type: 'dedicatePod', id: podId, ...dedication }, [...path, 'dedicatedTo']);
    for (const { spec: cluster, index } of canonical(pod.clusters)) {
      this.buildCluster(zone, zoneId, podId, cluster, [...path, 'clusters', index]);
    }
    for (const { spec: range, index } of byKey(pod.storageRanges, (r) => r.startIp)) {
      this.run(
        {
          type: 'createStorageNetworkIpRange', podId, netmask: range.netmask, startIp: range.startIp,
          ...(range.gateway ? { gateway: range.gateway } : {}),
          ...(range.endIp ? { endIp: range.endIp } : {}),
          ...(range.vlan === undefined ? {} : { vlan: range.vlan }),
        },
        [...path, 'storageRanges', index],
      );
    }
    return podId;
  }

  buildCluster(zone: ZoneSpec, zoneId: Id, podId: Id, cluster: ClusterSpec, path: SpecPath): void {
    const created = this.run(
      {
        type: 'addCluster', podId, name: cluster.name, hypervisor: cluster.hypervisor,
        allocationState: cluster.enabled === false ? 'Disabled' : 'Enabled',
        ...(cluster.hypervisorVersion ? { hypervisorVersion: cluster.hypervisorVersion } : {}),
        ...(cluster.arch ? { arch: cluster.arch } : {}),
        ...(cluster.vmwareDatacenter ? { vmwareDatacenter: cluster.vmwareDatacenter } : {}),
        ...(cluster.overprovisioning?.cpu === undefined ? {} : { cpuOvercommitRatio: cluster.overprovisioning.cpu }),
        ...(cluster.overprovisioning?.memory === undefined ? {} : { memoryOvercommitRatio: cluster.overprovisioning.memory }),
        ...(cluster.disableThresholds?.cpu === undefined ? {} : { cpuDisableThreshold: cluster.disableThresholds.cpu }),
        ...(cluster.disableThresholds?.memory === undefined ? {} : { memoryDisableThreshold: cluster.disableThresholds.memory }),
      },
      path,
    );
    const clusterId = created?.[0];
    if (clusterId === undefined) return;
    const dedication = this.dedication(cluster.dedicatedTo, path);
    if (dedication) this.run({ type: 'dedicateCluster', id: clusterId, ...dedication }, [...path, 'dedicatedTo']);
    const hosts = (cluster.hosts ?? []).flatMap((spec, index) => expandHosts(spec).map((h) => ({ ...h, spec, index })));
    hosts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index));
    for (const host of hosts) {
      const hostPath: SpecPath = [...path, 'hosts', host.index];
      const ids = this.run(
        {
          type: 'addHost', clusterId, name: host.name, ip: host.ip,
          cpuCores: host.spec.cpuCores, cpuMhz: host.spec.cpuMhz,
          memoryMiB: host.spec.memoryMiB ?? (host.spec.memoryGiB ?? 0) * 1024,
          ...(host.spec.hypervisor ? { hypervisor: host.spec.hypervisor } : {}),
          ...(host.spec.arch ? { arch: host.spec.arch } : {}),
          ...(host.spec.cpuSockets === undefined ? {} : { cpuSockets: host.spec.cpuSockets }),
          ...(host.spec.localStorageGiB === undefined ? {} : { localStorageGiB: host.spec.localStorageGiB }),
          ...(host.spec.tags ? { tags: host.spec.tags } : {}),
        },
        hostPath,
      );
      const hostId = ids?.[0];
      if (hostId === undefined) continue;
      const list = this.hostIdsByName.get(host.name);
      if (list) list.push(hostId);
      else this.hostIdsByName.set(host.name, [hostId]);
      const hostDedication = this.dedication(host.spec.dedicatedTo, hostPath);
      if (hostDedication) this.run({ type: 'dedicateHost', id: hostId, ...hostDedication }, [...hostPath, 'dedicatedTo']);
      // CloudStack creates a local pool for every host of a zone with local storage enabled.
      if (zone.localStorage && (host.spec.localStorageGiB ?? 0) > 0) {
        this.run({ type: 'createStoragePool', zoneId, hostId, scope: 'HOST', name: `${host.name}-local`, protocol: 'local', capacityGiB: host.spec.localStorageGiB! }, [...hostPath, 'localStorageGiB']);
      }
    }
    for (const { spec: pool, index } of canonical(cluster.primaryStorage)) {
      this.run(
        {
          type: 'createStoragePool', zoneId, clusterId, scope: 'CLUSTER', name: pool.name, protocol: pool.protocol, capacityGiB: gib(pool),
          ...(pool.url ? { url: pool.url } : {}),
          ...(pool.tags ? { tags: pool.tags } : {}),
          ...(pool.overprovisioningFactor === undefined ? {} : { overprovisioningFactor: pool.overprovisioningFactor }),
          ...(pool.paths === undefined ? {} : { paths: pool.paths }),
        },
        [...path, 'primaryStorage', index],
      );
    }
  }

  buildManagement(spec: ScenarioSpec): void {
    const management = spec.management;
    if (!management) return;
    for (const { spec: server, index } of canonical(management.servers)) {
      const p: SpecPath = ['management', 'servers', index];
      let hostId: Id | undefined;
      if (server.host !== undefined) {
        const matches = this.hostIdsByName.get(server.host) ?? [];
        if (matches.length !== 1) {
          this.problem('ENTITY_NOT_FOUND', [...p, 'host'], matches.length === 0 ? `host "${server.host}" is not declared` : `host name "${server.host}" is ambiguous (${matches.length} hosts)`, 'name one declared host');
          continue;
        }
        hostId = matches[0];
      }
      this.run({ type: 'registerManagementServer', name: server.name, ip: server.ip, ...(hostId ? { hostId } : {}) }, p);
    }
    const database = management.database;
    this.run(
      {
        type: 'configureManagementPlane',
        ...(management.loadBalancer ? { loadBalancerVip: management.loadBalancer.vip } : {}),
        ...(database?.engine ? { databaseEngine: database.engine } : {}),
        ...(database?.nodes === undefined ? {} : { databaseNodes: database.nodes }),
        ...(database?.replication ? { databaseReplication: database.replication } : {}),
      },
      ['management'],
    );
  }
}

function createdId(event: DomainEvent): Id | undefined {
  switch (event.type) {
    case 'regionCreated': return event.region.id;
    case 'zoneCreated': return event.zone.id;
    case 'podCreated': return event.pod.id;
    case 'clusterCreated': return event.cluster.id;
    case 'hostAdded': return event.host.id;
    case 'storagePoolCreated': return event.storagePool.id;
    case 'imageStoreAdded': return event.imageStore.id;
    case 'objectStoreAdded': return event.objectStore.id;
    case 'bucketCreated': return event.bucket.id;
    case 'physicalNetworkCreated': return event.physicalNetwork.id;
    case 'vlanIpRangeCreated': return event.vlanIpRange.id;
    case 'storageNetworkIpRangeCreated': return event.storageNetworkIpRange.id;
    case 'domainCreated': return event.domain.id;
    case 'accountCreated': return event.account.id;
    case 'serviceOfferingCreated': return event.serviceOffering.id;
    case 'diskOfferingCreated': return event.diskOffering.id;
    case 'networkCreated': return event.network.id;
    case 'vpcCreated': return event.vpc.id;
    case 'managementServerRegistered': return event.managementServer.id;
    default: return undefined;
  }
}

export function specPathText(path: SpecPath): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : `/${s}`)).join('').replace(/^\//, '');
}

export function buildScenario(spec: ScenarioSpec, options: BuildOptions = {}): BuildResult {
  const builder = new Builder(spec, options.mode ?? 'plan');
  builder.buildGlobal(spec);
  for (const { spec: zone, index } of canonical(spec.zones)) builder.buildZone(zone, index);
  builder.buildManagement(spec);
  return { state: builder.state, findings: builder.findings, origins: builder.origins, events: builder.events, commandCount: builder.commandCount };
}
