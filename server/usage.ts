import type { Id } from '../core/model/entities.js';
import type { DomainEvent } from '../core/model/events.js';
import type { CloudState } from '../core/model/state.js';
import { formatIpv4 } from '../core/net/ipv4.js';

/**
 * Usage (listUsageRecords), derived from the core's events as they are applied, like the event
 * log: each billable resource opens a usage period when it comes into being (or starts running)
 * and closes it when it goes. CloudStack's usage server reads the same facts from its event
 * tables and cuts them into aggregation windows (`usage.stats.job.aggregation.range`, a day by
 * default); `usageRecords` does that cutting when asked, so the periods are all that is kept.
 * A replay after a restart observes the same events at the same times and so rebuilds the same
 * periods.
 */

/** CloudStack's usage type numbers (UsageTypes), with their names and descriptions. */
export const USAGE_TYPES = [
  { id: 1, name: 'RUNNING_VM', description: 'Running Vm Usage' },
  { id: 2, name: 'ALLOCATED_VM', description: 'Allocated Vm Usage' },
  { id: 3, name: 'IP_ADDRESS', description: 'IP Address Usage' },
  { id: 4, name: 'NETWORK_BYTES_SENT', description: 'Network Usage (Bytes Sent)' },
  { id: 5, name: 'NETWORK_BYTES_RECEIVED', description: 'Network Usage (Bytes Received)' },
  { id: 6, name: 'VOLUME', description: 'Volume Usage' },
  { id: 7, name: 'TEMPLATE', description: 'Template Usage' },
  { id: 8, name: 'ISO', description: 'ISO Usage' },
  { id: 9, name: 'SNAPSHOT', description: 'Snapshot Usage' },
  { id: 10, name: 'SECURITY_GROUP', description: 'Security Group Usage' },
  { id: 11, name: 'LOAD_BALANCER_POLICY', description: 'Load Balancer Usage' },
  { id: 12, name: 'PORT_FORWARDING_RULE', description: 'Port Forwarding Usage' },
  { id: 13, name: 'NETWORK_OFFERING', description: 'Network Offering Usage' },
  { id: 14, name: 'VPN_USERS', description: 'VPN users usage' },
  { id: 30, name: 'NETWORK', description: 'Network Usage' },
  { id: 31, name: 'VPC', description: 'VPC Usage' },
] as const;

export type UsageTypeName = (typeof USAGE_TYPES)[number]['name'];
const TYPE_ID = Object.fromEntries(USAGE_TYPES.map((t) => [t.name, t.id])) as Record<UsageTypeName, number>;

/** One stretch of time a resource was billable, with what it was billed as. */
export interface UsagePeriod {
  usageType: number;
  /** The resource the usage is of (VM, volume, address, rule, network, ...). */
  usageId: Id;
  accountId: Id;
  domainId: Id;
  zoneId: Id;
  /** The resource's name (for an address: the address). */
  name: string;
  startMs: number;
  /** Absent while the period is open. */
  endMs?: number;
  virtualMachineId?: Id;
  offeringId?: Id;
  templateId?: Id;
  /** RUNNING_VM and ALLOCATED_VM: the hypervisor; VOLUME: the device type. */
  kind?: string;
  sizeBytes?: number;
  isSourceNat?: boolean;
  networkId?: Id;
  vpcId?: Id;
  cpuNumber?: number;
  cpuSpeedMhz?: number;
  memoryMiB?: number;
}

export interface UsageSnapshot {
  periods: UsagePeriod[];
}

const GIB = 1024 ** 3;

export class UsageLog {
  readonly periods: UsagePeriod[] = [];
  /** The open period of each (usage type, resource). */
  private readonly open = new Map<string, UsagePeriod>();

  toSnapshot(): UsageSnapshot {
    return { periods: this.periods };
  }

  static fromSnapshot(snapshot: UsageSnapshot | undefined): UsageLog {
    const log = new UsageLog();
    for (const period of snapshot?.periods ?? []) {
      log.periods.push(period);
      if (period.endMs === undefined) log.open.set(openKey(period.usageType, period.usageId), period);
    }
    return log;
  }

  /** Observes one event before it is applied: `state` is the state it applies to. */
  observe(event: DomainEvent, state: Readonly<CloudState>, atMs: number): void {
    const domainOf = (accountId: Id): Id => state.accounts.get(accountId)?.domainId ?? 'ROOT';
    switch (event.type) {
      case 'vmCreated': {
        const vm = event.vm;
        if (vm.kind !== 'User') return;
        this.begin(atMs, {
          usageType: TYPE_ID.ALLOCATED_VM, usageId: vm.id, accountId: vm.accountId, domainId: domainOf(vm.accountId), zoneId: vm.zoneId, name: vm.name,
          virtualMachineId: vm.id, offeringId: vm.serviceOfferingId, ...(vm.templateId ? { templateId: vm.templateId } : {}),
          ...hypervisorOf(state, vm.hostId), cpuNumber: vm.cpuNumber, cpuSpeedMhz: vm.cpuSpeedMhz, memoryMiB: vm.memoryMiB,
        });
        if (vm.state === 'Running') this.beginRunning(state, vm.id, vm.hostId, atMs, vm);
        for (const volume of event.volumes) this.beginVolume(state, volume.id, atMs, volume);
        return;
      }
      case 'vmStateChanged': {
        const vm = state.vms.get(event.vmId);
        if (!vm || vm.kind !== 'User') return;
        if (event.state === 'Running' && vm.state !== 'Running') this.beginRunning(state, vm.id, event.hostId ?? vm.hostId, atMs, vm);
        else if (event.state !== 'Running' && vm.state === 'Running') this.end(TYPE_ID.RUNNING_VM, vm.id, atMs);
        // A destroyed VM is no longer allocated; a recovered one is again (vmRecovered).
        if (event.state === 'Destroyed' || event.state === 'Expunging') this.end(TYPE_ID.ALLOCATED_VM, vm.id, atMs);
        return;
      }
      case 'vmRecovered': {
        const vm = state.vms.get(event.vmId);
        if (!vm || vm.kind !== 'User') return;
        this.begin(atMs, {
          usageType: TYPE_ID.ALLOCATED_VM, usageId: vm.id, accountId: vm.accountId, domainId: domainOf(vm.accountId), zoneId: vm.zoneId, name: vm.name,
          virtualMachineId: vm.id, offeringId: vm.serviceOfferingId, ...(vm.templateId ? { templateId: vm.templateId } : {}),
          ...hypervisorOf(state, vm.lastHostId), cpuNumber: vm.cpuNumber, cpuSpeedMhz: vm.cpuSpeedMhz, memoryMiB: vm.memoryMiB,
        });
        return;
      }
      case 'vmScaled': {
        // A new offering is a new usage period, as CloudStack bills each offering apart.
        for (const type of [TYPE_ID.ALLOCATED_VM, TYPE_ID.RUNNING_VM]) {
          const current = this.open.get(openKey(type, event.vmId));
          if (!current) continue;
          this.end(type, event.vmId, atMs);
          const { endMs: _ended, ...rest } = current;
          this.begin(atMs, { ...rest, offeringId: event.serviceOfferingId, cpuNumber: event.cpuNumber, cpuSpeedMhz: event.cpuSpeedMhz, memoryMiB: event.memoryMiB });
        }
        return;
      }
      case 'vmExpunged':
        this.end(TYPE_ID.RUNNING_VM, event.vmId, atMs);
        this.end(TYPE_ID.ALLOCATED_VM, event.vmId, atMs);
        for (const volumeId of state.vms.get(event.vmId)?.volumeIds ?? []) this.end(TYPE_ID.VOLUME, volumeId, atMs);
        return;
      case 'volumeCreated':
        this.beginVolume(state, event.volume.id, atMs, event.volume);
        return;
      case 'volumeResized': {
        const current = this.open.get(openKey(TYPE_ID.VOLUME, event.volumeId));
        if (!current) return;
        this.end(TYPE_ID.VOLUME, event.volumeId, atMs);
        const { endMs: _ended, ...rest } = current;
        this.begin(atMs, { ...rest, sizeBytes: event.sizeGiB * GIB });
        return;
      }
      case 'volumeDeleted':
        this.end(TYPE_ID.VOLUME, event.volumeId, atMs);
        return;
      case 'snapshotCreated': {
        const snapshot = event.snapshot;
        this.begin(atMs, {
          usageType: TYPE_ID.SNAPSHOT, usageId: snapshot.id, accountId: snapshot.accountId, domainId: domainOf(snapshot.accountId), zoneId: snapshot.zoneId,
          name: snapshot.name, sizeBytes: snapshot.sizeGiB * GIB, ...(snapshot.diskOfferingId ? { offeringId: snapshot.diskOfferingId } : {}),
        });
        return;
      }
      case 'snapshotDeleted':
        this.end(TYPE_ID.SNAPSHOT, event.snapshotId, atMs);
        return;
      case 'templateRegistered': {
        const template = event.template;
        const owner = state.accounts.get(template.accountId);
        // The system's own templates are nobody's bill.
        if (!owner || template.zoneIds.length === 0) return;
        for (const zoneId of template.zoneIds) {
          this.begin(atMs, {
            usageType: TYPE_ID.TEMPLATE, usageId: template.id, accountId: template.accountId, domainId: owner.domainId, zoneId, name: template.name,
            templateId: template.id, sizeBytes: template.sizeGiB * GIB, ...(template.hypervisor ? { kind: template.hypervisor } : {}),
          }, zoneId);
        }
        return;
      }
      case 'templateDeleted':
        for (const zoneId of state.templates.get(event.templateId)?.zoneIds ?? []) this.end(TYPE_ID.TEMPLATE, event.templateId, atMs, zoneId);
        return;
      case 'publicIpAllocated': {
        const ip = event.publicIp;
        // Addresses of system VMs belong to the system, not a tenant.
        if (ip.forSystemVm !== undefined) return;
        this.begin(atMs, {
          usageType: TYPE_ID.IP_ADDRESS, usageId: ip.id, accountId: ip.accountId, domainId: domainOf(ip.accountId), zoneId: ip.zoneId, name: formatIpv4(ip.ip),
          isSourceNat: ip.sourceNat, ...(ip.networkId ? { networkId: ip.networkId } : {}), ...(ip.vpcId ? { vpcId: ip.vpcId } : {}),
        });
        return;
      }
      case 'publicIpReleased':
        this.end(TYPE_ID.IP_ADDRESS, event.publicIpId, atMs);
        return;
      case 'portForwardingRuleCreated': {
        const ip = state.publicIps.get(event.rule.publicIpId);
        if (!ip) return;
        this.begin(atMs, {
          usageType: TYPE_ID.PORT_FORWARDING_RULE, usageId: event.rule.id, accountId: ip.accountId, domainId: domainOf(ip.accountId), zoneId: ip.zoneId,
          name: `${formatIpv4(ip.ip)}:${event.rule.publicPortStart}`, virtualMachineId: event.rule.vmId,
        });
        return;
      }
      case 'loadBalancerRuleCreated': {
        const ip = state.publicIps.get(event.rule.publicIpId);
        if (!ip) return;
        this.begin(atMs, {
          usageType: TYPE_ID.LOAD_BALANCER_POLICY, usageId: event.rule.id, accountId: ip.accountId, domainId: domainOf(ip.accountId), zoneId: ip.zoneId, name: event.rule.name,
        });
        return;
      }
      case 'ruleDeleted':
        if (event.kind === 'portForwarding') this.end(TYPE_ID.PORT_FORWARDING_RULE, event.ruleId, atMs);
        else if (event.kind === 'loadBalancer') this.end(TYPE_ID.LOAD_BALANCER_POLICY, event.ruleId, atMs);
        return;
      case 'networkCreated': {
        const network = event.network;
        if (network.accountId === undefined) return;
        this.begin(atMs, {
          usageType: TYPE_ID.NETWORK, usageId: network.id, accountId: network.accountId, domainId: domainOf(network.accountId), zoneId: network.zoneId, name: network.name,
          networkId: network.id, ...(network.vpcId ? { vpcId: network.vpcId } : {}), ...(network.networkOfferingId ? { offeringId: network.networkOfferingId } : {}),
        });
        return;
      }
      case 'networkDeleted':
        this.end(TYPE_ID.NETWORK, event.networkId, atMs);
        return;
      case 'vpcCreated': {
        const vpc = event.vpc;
        if (vpc.accountId === undefined) return;
        this.begin(atMs, {
          usageType: TYPE_ID.VPC, usageId: vpc.id, accountId: vpc.accountId, domainId: domainOf(vpc.accountId), zoneId: vpc.zoneId, name: vpc.name,
          vpcId: vpc.id, ...(vpc.vpcOfferingId ? { offeringId: vpc.vpcOfferingId } : {}),
        });
        return;
      }
      case 'vpcDeleted':
        this.end(TYPE_ID.VPC, event.vpcId, atMs);
        return;
      case 'accountDeleted':
        // Whatever the account still held stops being billed with it.
        for (const period of [...this.open.values()]) if (period.accountId === event.accountId) this.close(period, atMs);
        return;
      default:
        return;
    }
  }

  private beginRunning(state: Readonly<CloudState>, vmId: Id, hostId: Id | undefined, atMs: number, vm: { accountId: Id; zoneId: Id; name: string; serviceOfferingId: Id; templateId?: Id; cpuNumber: number; cpuSpeedMhz: number; memoryMiB: number }): void {
    this.begin(atMs, {
      usageType: TYPE_ID.RUNNING_VM, usageId: vmId, accountId: vm.accountId, domainId: state.accounts.get(vm.accountId)?.domainId ?? 'ROOT', zoneId: vm.zoneId, name: vm.name,
      virtualMachineId: vmId, offeringId: vm.serviceOfferingId, ...(vm.templateId ? { templateId: vm.templateId } : {}),
      ...hypervisorOf(state, hostId), cpuNumber: vm.cpuNumber, cpuSpeedMhz: vm.cpuSpeedMhz, memoryMiB: vm.memoryMiB,
    });
  }

  private beginVolume(state: Readonly<CloudState>, volumeId: Id, atMs: number, volume: { accountId: Id; zoneId: Id; name: string; sizeGiB: number; diskOfferingId?: Id; vmId?: Id; type?: string }): void {
    const owner = state.accounts.get(volume.accountId);
    // Volumes of system VMs and routers belong to the system account: not billed.
    if (volume.vmId !== undefined && state.vms.get(volume.vmId)?.kind !== undefined && state.vms.get(volume.vmId)?.kind !== 'User') return;
    this.begin(atMs, {
      usageType: TYPE_ID.VOLUME, usageId: volumeId, accountId: volume.accountId, domainId: owner?.domainId ?? 'ROOT', zoneId: volume.zoneId, name: volume.name,
      sizeBytes: volume.sizeGiB * GIB, ...(volume.diskOfferingId ? { offeringId: volume.diskOfferingId } : {}), ...(volume.vmId ? { virtualMachineId: volume.vmId } : {}),
      ...(volume.type ? { kind: volume.type } : {}),
    });
  }

  private begin(atMs: number, period: Omit<UsagePeriod, 'startMs'>, scope = ''): void {
    const key = openKey(period.usageType, period.usageId, scope);
    if (this.open.has(key)) return;
    const opened: UsagePeriod = { ...period, startMs: atMs };
    this.periods.push(opened);
    this.open.set(key, opened);
  }

  private end(usageType: number, usageId: Id, atMs: number, scope = ''): void {
    const key = openKey(usageType, usageId, scope);
    const period = this.open.get(key);
    if (!period) return;
    period.endMs = atMs;
    this.open.delete(key);
  }

  private close(period: UsagePeriod, atMs: number): void {
    for (const [key, open] of this.open) {
      if (open !== period) continue;
      period.endMs = atMs;
      this.open.delete(key);
      return;
    }
  }
}

function openKey(usageType: number, usageId: Id, scope = ''): string {
  return `${usageType}/${usageId}/${scope}`;
}

function hypervisorOf(state: Readonly<CloudState>, hostId: Id | undefined): { kind?: string } {
  const hypervisor = hostId === undefined ? undefined : state.hosts.get(hostId)?.hypervisor;
  return hypervisor === undefined ? {} : { kind: hypervisor };
}

/** One usage record: a period's share of one aggregation window. */
export interface UsageRecord {
  period: UsagePeriod;
  startMs: number;
  endMs: number;
  /** Hours of use within the window. */
  hours: number;
}

export interface UsageQuery {
  startMs: number;
  /** Inclusive. */
  endMs: number;
  nowMs: number;
  /** The length of an aggregation window (usage.stats.job.aggregation.range), in minutes. */
  aggregationRangeMinutes: number;
  include(period: UsagePeriod): boolean;
}

const HOUR_MS = 3_600_000;

/**
 * The records of a time range: every period cut at the aggregation windows (counted from the
 * epoch, in UTC, like CloudStack's default usage timezone) and clipped to the range and to the
 * present. Oldest window first, then in the order the periods began.
 */
export function usageRecords(periods: readonly UsagePeriod[], query: UsageQuery): UsageRecord[] {
  const windowMs = Math.max(1, query.aggregationRangeMinutes) * 60_000;
  const rangeEnd = Math.min(query.endMs + 1, query.nowMs);
  const records: UsageRecord[] = [];
  for (const period of periods) {
    if (!query.include(period)) continue;
    const from = Math.max(period.startMs, query.startMs);
    const to = Math.min(period.endMs ?? query.nowMs, rangeEnd);
    if (to <= from) continue;
    for (let windowStart = Math.floor(from / windowMs) * windowMs; windowStart < to; windowStart += windowMs) {
      const windowEnd = windowStart + windowMs;
      const usedFrom = Math.max(from, windowStart);
      const usedTo = Math.min(to, windowEnd);
      if (usedTo <= usedFrom) continue;
      records.push({ period, startMs: Math.max(windowStart, query.startMs), endMs: Math.min(windowEnd, rangeEnd) - 1, hours: (usedTo - usedFrom) / HOUR_MS });
    }
  }
  return records.sort((a, b) => a.startMs - b.startMs);
}
