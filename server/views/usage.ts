import { formatDate } from '../http/respond.js';
import { USAGE_TYPES, type UsageRecord } from '../usage.js';
import { defineView, field } from './view.js';

/** Usage records and types as listUsageRecords and listUsageTypes report them. */

const TYPE_NAME = new Map<number, string>(USAGE_TYPES.map((t) => [t.id, t.name]));
const GIB = 1024 ** 3;

/** CloudStack's `usage` text: hours with two decimals at most, then " Hrs". */
export function usageHoursText(hours: number): string {
  return `${Number(hours.toFixed(2))} Hrs`;
}

/** CloudStack's `rawusage`: the hours with up to six decimals. */
export function rawUsageText(hours: number): string {
  return String(Number(hours.toFixed(6)));
}

function describe(record: UsageRecord): string {
  const p = record.period;
  switch (TYPE_NAME.get(p.usageType)) {
    case 'RUNNING_VM': return `${p.name} running time (ServiceOffering: ${p.offeringId ?? '-'}) (Template: ${p.templateId ?? '-'})`;
    case 'ALLOCATED_VM': return `${p.name} allocated (ServiceOffering: ${p.offeringId ?? '-'}) (Template: ${p.templateId ?? '-'})`;
    case 'IP_ADDRESS': return `IPAddress: ${p.name}`;
    case 'VOLUME': return `Volume Id: ${p.usageId} usage time${p.offeringId ? ` (DiskOffering: ${p.offeringId})` : ''}${p.sizeBytes === undefined ? '' : ` (Size: ${p.sizeBytes / GIB} GiB)`}`;
    case 'TEMPLATE': return `Template Id: ${p.usageId} Size: ${p.sizeBytes ?? 0}`;
    case 'SNAPSHOT': return `Snapshot Id: ${p.usageId} Size: ${p.sizeBytes ?? 0}`;
    case 'PORT_FORWARDING_RULE': return `Port Forwarding Rule: ${p.usageId} usage time`;
    case 'LOAD_BALANCER_POLICY': return `Load Balancing Policy: ${p.usageId} usage time`;
    case 'NETWORK': return `Network usage for network ${p.name}`;
    case 'VPC': return `VPC usage for VPC ${p.name}`;
    default: return `${p.name} usage`;
  }
}

export const usageRecordView = defineView<UsageRecord>([
  field('account', 'string', 'the user account name', (r, ctx) => ctx.state.accounts.get(r.period.accountId)?.name),
  field('accountid', 'string', 'the user account Id', (r) => r.period.accountId),
  field('domainid', 'string', 'the domain the resource is associated with', (r) => r.period.domainId),
  field('domain', 'string', 'the domain the resource is associated with', (r, ctx) => ctx.state.domains.get(r.period.domainId)?.name),
  field('domainpath', 'string', 'path of the domain', (r, ctx) => ctx.state.domains.get(r.period.domainId)?.path),
  field('zoneid', 'string', 'the zone ID', (r) => r.period.zoneId),
  field('description', 'string', 'description of the usage record', (r) => describe(r)),
  field('usage', 'string', 'usage in hours', (r) => usageHoursText(r.hours)),
  field('usagetype', 'integer', 'usage type ID', (r) => r.period.usageType),
  field('rawusage', 'string', 'raw usage in hours', (r) => rawUsageText(r.hours)),
  field('virtualmachineid', 'string', 'virtual machine ID', (r) => r.period.virtualMachineId),
  field('name', 'string', 'resource or virtual machine name', (r) => r.period.name),
  field('offeringid', 'string', 'offering ID', (r) => r.period.offeringId),
  field('templateid', 'string', 'template ID', (r) => r.period.templateId),
  field('usageid', 'string', 'id of the resource', (r) => r.period.usageId),
  field('type', 'string', 'resource type', (r) => r.period.kind),
  field('size', 'long', 'resource size in bytes', (r) => r.period.sizeBytes),
  field('issourcenat', 'boolean', 'True if the IPAddress is source NAT', (r) => r.period.isSourceNat),
  field('networkid', 'string', 'id of the network', (r) => r.period.networkId),
  field('vpcid', 'string', 'id of the vpc', (r) => r.period.vpcId),
  field('cpunumber', 'long', 'number of cpu of resource', (r) => r.period.cpuNumber),
  field('cpuspeed', 'long', 'speed of each cpu of resource', (r) => r.period.cpuSpeedMhz),
  field('memory', 'long', 'memory allocated for the resource', (r) => r.period.memoryMiB),
  field('startdate', 'string', 'start date of the usage record', (r) => formatDate(r.startMs)),
  field('enddate', 'string', 'end date of the usage record', (r) => formatDate(r.endMs)),
]);

export const usageTypeView = defineView<(typeof USAGE_TYPES)[number]>([
  field('usagetypeid', 'integer', 'usage type', (t) => t.id),
  field('name', 'string', 'usage type name', (t) => t.name),
  field('description', 'string', 'description of usage type', (t) => t.description),
]);
