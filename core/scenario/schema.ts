import * as z from 'zod';
import { ARCHITECTURES, hypervisorFromText, type Hypervisor } from '../data/hypervisors.js';
import { IMAGE_STORE_PROVIDERS, storageProtocolFromText, type StorageProtocol } from '../data/storage.js';
import { ISOLATION_METHODS, TRAFFIC_TYPES } from '../model/entities.js';
import { netmaskToPrefix, parseCidr, parseIpv4 } from '../net/ipv4.js';

/**
 * The scenario file format, as a zod schema. Every object is strict: an unknown key is an error
 * that names the closest known key, because a typo must never pass silently. Values are checked
 * for shape here (an IPv4 address is an IPv4 address); rules between values (a gateway inside
 * its CIDR) are the core's design rules and are reported as findings.
 */

/** Edit distance, to suggest the key a typo meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** A strict object whose unknown-key message lists the key and the closest known one. */
function obj<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const keys = issue.keys as string[];
      return keys
        .map((key) => {
          const hint = closest(key, known);
          return `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
        })
        .join('; ');
    },
  });
}

const name = z.string().trim().min(1, 'must not be empty');
const ipv4 = z.string().refine((v) => parseIpv4(v) !== undefined, { error: (i) => `"${String(i.input)}" is not a valid IPv4 address` });
const netmask = z.string().refine((v) => netmaskToPrefix(v) !== undefined, { error: (i) => `"${String(i.input)}" is not a valid netmask (a contiguous mask such as 255.255.255.0)` });
const cidr = z.string().refine((v) => parseCidr(v) !== undefined, { error: (i) => `"${String(i.input)}" is not a valid IPv4 CIDR (address/0-32)` });
const positive = z.number().positive();
const positiveInt = z.number().int().positive();
const nonNegative = z.number().min(0);
const ratio = z.number().min(0).max(1);
const vlanId = z.number().int().min(0).max(4095);
const vlanTag = z.union([vlanId, z.literal('untagged')], { error: 'must be a VLAN id 0-4095 or "untagged"' });
const tags = z.array(name);

const hypervisor = z
  .string()
  .transform((v, ctx) => {
    const h = hypervisorFromText(v);
    if (h === undefined) {
      ctx.addIssue({ code: 'custom', message: `unknown hypervisor "${v}" (use KVM, VMware, XenServer, XenProject, Hyperv, LXC or BareMetal)` });
      return z.NEVER;
    }
    return h;
  }) as unknown as z.ZodType<Hypervisor, string>;

const protocol = z
  .string()
  .transform((v, ctx) => {
    const p = storageProtocolFromText(v);
    if (p === undefined) {
      ctx.addIssue({ code: 'custom', message: `unknown storage protocol "${v}" (use NFS, iSCSI, FC, SharedMountPoint, RBD, PowerFlex, SMB, VMFS, PreSetup, CLVM, local, …)` });
      return z.NEVER;
    }
    return p;
  }) as unknown as z.ZodType<StorageProtocol, string>;

const dedication = obj({ domain: name.optional(), account: name.optional() });

const reservedRange = obj({
  startIp: ipv4,
  endIp: ipv4.optional(),
  gateway: ipv4.optional(),
  netmask: netmask.optional(),
  forSystemVms: z.boolean().optional(),
  vlan: vlanId.optional(),
});

const subnetRange = obj({
  gateway: ipv4,
  netmask,
  startIp: ipv4,
  endIp: ipv4.optional(),
  vlan: vlanId.optional(),
});

const storageRange = obj({
  gateway: ipv4.optional(),
  netmask,
  startIp: ipv4,
  endIp: ipv4.optional(),
  vlan: vlanId.optional(),
});

const publicRange = obj({
  vlan: vlanTag.optional(),
  gateway: ipv4,
  netmask,
  startIp: ipv4,
  endIp: ipv4.optional(),
  forSystemVms: z.boolean().optional(),
  dedicatedTo: dedication.optional(),
  ip6Gateway: z.string().optional(),
  ip6Cidr: z.string().optional(),
});

const primaryStorage = obj({
  name,
  protocol,
  url: z.string().optional(),
  capacityGiB: positive.optional(),
  capacityTiB: positive.optional(),
  tags: tags.optional(),
  overprovisioningFactor: z.number().min(1).optional(),
  paths: positiveInt.optional(),
  hypervisor: hypervisor.optional(),
}).superRefine(oneOf('capacityGiB', 'capacityTiB'));

/** Exactly one of two alternative size keys (memoryGiB or memoryMiB, capacityGiB or capacityTiB). */
function oneOf<T extends Record<string, unknown>>(a: keyof T & string, b: keyof T & string) {
  return (value: T, ctx: z.core.$RefinementCtx<T>) => {
    const count = (value[a] === undefined ? 0 : 1) + (value[b] === undefined ? 0 : 1);
    if (count !== 1) {
      ctx.addIssue({ code: 'custom', path: [a], message: count === 0 ? `give ${a} or ${b}` : `give ${a} or ${b}, not both` });
    }
  };
}

const host = obj({
  name,
  count: positiveInt.optional(),
  numberFrom: z.number().int().min(0).optional(),
  ip: ipv4,
  hypervisor: hypervisor.optional(),
  arch: z.enum(ARCHITECTURES).optional(),
  cpuSockets: positiveInt.optional(),
  cpuCores: positiveInt,
  cpuMhz: positive,
  memoryGiB: positive.optional(),
  memoryMiB: positive.optional(),
  localStorageGiB: nonNegative.optional(),
  tags: tags.optional(),
  dedicatedTo: dedication.optional(),
}).superRefine(oneOf('memoryGiB', 'memoryMiB'));

const cluster = obj({
  name,
  hypervisor,
  hypervisorVersion: z.string().optional(),
  arch: z.enum(ARCHITECTURES).optional(),
  vmwareDatacenter: z.string().optional(),
  overprovisioning: obj({ cpu: z.number().min(1).optional(), memory: z.number().min(1).optional() }).optional(),
  disableThresholds: obj({ cpu: ratio.optional(), memory: ratio.optional() }).optional(),
  enabled: z.boolean().optional(),
  dedicatedTo: dedication.optional(),
  hosts: z.array(host).optional(),
  primaryStorage: z.array(primaryStorage).optional(),
});

const pod = obj({
  name,
  gateway: ipv4,
  netmask,
  reservedRanges: z.array(reservedRange).min(1, 'a pod needs at least one reserved system range'),
  storageRanges: z.array(storageRange).optional(),
  guestRanges: z.array(subnetRange).optional(),
  enabled: z.boolean().optional(),
  dedicatedTo: dedication.optional(),
  clusters: z.array(cluster).optional(),
});

const trafficLabels = obj({ kvm: z.string().optional(), xen: z.string().optional(), vmware: z.string().optional(), hyperv: z.string().optional() });

const physicalNetwork = obj({
  name,
  isolationMethod: z.enum(ISOLATION_METHODS).optional(),
  vlanRanges: z.union([z.string(), z.array(z.union([z.string(), z.number().int()]))]).optional(),
  tags: tags.optional(),
  nics: z.array(z.string()).optional(),
  bonding: z.string().optional(),
  traffic: z.array(obj({ type: z.enum(TRAFFIC_TYPES), labels: trafficLabels.optional(), vlan: vlanId.optional() })).optional(),
});

const imageStoreShape = {
  name,
  provider: z.enum(IMAGE_STORE_PROVIDERS).optional(),
  url: z.string().optional(),
  capacityGiB: positive.optional(),
  capacityTiB: positive.optional(),
  readOnly: z.boolean().optional(),
};
const imageStore = obj(imageStoreShape).superRefine(oneOf('capacityGiB', 'capacityTiB'));

const network = obj({
  name,
  type: z.enum(['Shared', 'Isolated', 'L2']),
  vlan: vlanTag.optional(),
  gateway: ipv4.optional(),
  netmask: netmask.optional(),
  startIp: ipv4.optional(),
  endIp: ipv4.optional(),
  account: name.optional(),
  domain: name.optional(),
  physicalNetwork: name.optional(),
  redundantRouter: z.boolean().optional(),
  persistent: z.boolean().optional(),
  sourceNat: z.boolean().optional(),
  networkDomain: z.string().optional(),
  bypassVlanOverlapCheck: z.boolean().optional(),
  ip6Gateway: z.string().optional(),
  ip6Cidr: z.string().optional(),
});

const vpc = obj({
  name,
  cidr,
  account: name.optional(),
  redundantRouter: z.boolean().optional(),
  networkDomain: z.string().optional(),
  tiers: z
    .array(obj({ name, gateway: ipv4, netmask, networkDomain: z.string().optional(), vlan: vlanId.optional() }))
    .optional(),
});

const zone = obj({
  name,
  region: name.optional(),
  networkType: z.enum(['Basic', 'Advanced']),
  type: z.enum(['Core', 'Edge']).optional(),
  securityGroups: z.boolean().optional(),
  elasticIp: z.boolean().optional(),
  guestCidr: cidr.optional(),
  ip6GuestPrefix: z.string().optional(),
  dns: z.array(ipv4).optional(),
  internalDns: z.array(ipv4).optional(),
  networkDomain: z.string().optional(),
  localStorage: z.boolean().optional(),
  vmwareDatacenter: z.string().optional(),
  enabled: z.boolean().optional(),
  dedicatedTo: dedication.optional(),
  physicalNetworks: z.array(physicalNetwork).optional(),
  publicRanges: z.array(publicRange).optional(),
  pods: z.array(pod).optional(),
  primaryStorage: z.array(primaryStorage).optional(),
  secondaryStorage: z.array(imageStore).optional(),
  stagingStores: z.array(imageStore).optional(),
  networks: z.array(network).optional(),
  vpcs: z.array(vpc).optional(),
});

const computeOffering = obj({
  name,
  cpuNumber: positiveInt,
  cpuSpeedMhz: positive,
  memoryMiB: positive,
  rootDiskGiB: positive.optional(),
  storageType: z.enum(['shared', 'local']).optional(),
  offerHa: z.boolean().optional(),
  hostTags: tags.optional(),
  storageTags: tags.optional(),
  networkRateMbps: positive.optional(),
  limitCpuUse: z.boolean().optional(),
  deploymentPlanner: z.enum(['FirstFitPlanner', 'UserDispersingPlanner', 'UserConcentratedPodPlanner', 'ImplicitDedicationPlanner']).optional(),
});

const diskOffering = obj({
  name,
  sizeGiB: positive.optional(),
  customized: z.boolean().optional(),
  storageType: z.enum(['shared', 'local']).optional(),
  storageTags: tags.optional(),
});

const template = obj({ name, sizeGiB: positive, hypervisor: hypervisor.optional() });

const vmDemand = obj({
  offering: name,
  count: z.number().int().min(0),
  template: name.optional(),
  network: z.string().optional(),
  rootDiskGiB: positive.optional(),
  dataDisks: z.array(obj({ offering: name, count: positiveInt.optional(), sizeGiB: positive.optional() })).optional(),
});

const zoneDemand = obj({
  zone: name,
  accounts: z.number().int().min(0).optional(),
  isolatedNetworks: z
    .union([z.number().int().min(0), obj({ count: z.number().int().min(0), redundantRouter: z.boolean().optional(), dualStack: z.boolean().optional(), physicalNetwork: name.optional() })])
    .optional(),
  vpcs: obj({
    count: z.number().int().min(0),
    tiersPerVpc: positiveInt.optional(),
    redundantRouter: z.boolean().optional(),
    internalLbVms: z.number().int().min(0).optional(),
    dualStack: z.boolean().optional(),
    physicalNetwork: name.optional(),
  }).optional(),
  l2Networks: z.union([z.number().int().min(0), obj({ count: z.number().int().min(0), physicalNetwork: name.optional() })]).optional(),
  acquiredPublicIps: z.number().int().min(0).optional(),
  consoleSessions: z.number().int().min(0).optional(),
  vms: z.array(vmDemand).optional(),
  snapshots: obj({ perVolume: z.number().min(0), sizeRatio: z.number().min(0).max(1).optional() }).optional(),
});

export const scenarioSchema = obj({
  version: z.literal(1, { error: 'version must be 1' }),
  name,
  description: z.string().optional(),
  seed: z.number().int().min(0).optional(),
  settings: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])).optional(),
  regions: z.array(obj({ name })).optional(),
  management: obj({
    servers: z.array(obj({ name, ip: ipv4, host: name.optional() })).optional(),
    loadBalancer: obj({ vip: ipv4 }).optional(),
    database: obj({
      engine: z.enum(['mysql', 'mariadb']).optional(),
      nodes: positiveInt.optional(),
      replication: z.enum(['none', 'primary-replica', 'two-way']).optional(),
    }).optional(),
  }).optional(),
  domains: z.array(obj({ name, parent: name.optional() })).optional(),
  accounts: z.array(obj({ name, domain: name.optional(), type: z.enum(['User', 'Admin', 'DomainAdmin', 'ResourceAdmin']).optional() })).optional(),
  offerings: obj({ compute: z.array(computeOffering).optional(), disk: z.array(diskOffering).optional() }).optional(),
  templates: z.array(template).optional(),
  isos: z.array(obj({ name, sizeGiB: positive })).optional(),
  objectStores: z
    .array(
      obj({ name, provider: z.string(), url: z.string(), capacityGiB: positive.optional(), capacityTiB: positive.optional(), buckets: z.array(obj({ name, account: name, quotaGiB: positive })).optional() })
        .superRefine(oneOf('capacityGiB', 'capacityTiB')),
    )
    .optional(),
  secondaryStorage: z.array(obj({ ...imageStoreShape, region: name.optional() }).superRefine(oneOf('capacityGiB', 'capacityTiB'))).optional(),
  zones: z.array(zone).min(1, 'a scenario needs at least one zone'),
  demand: z.array(zoneDemand).optional(),
  /** Workloads, faults and drills for `cloudplane simulate` and `drill`; the simulator checks this section. */
  simulation: z.unknown().optional(),
});

export type ScenarioSpec = z.infer<typeof scenarioSchema>;
export type ZoneSpec = ScenarioSpec['zones'][number];
export type PodSpec = NonNullable<ZoneSpec['pods']>[number];
export type ClusterSpec = NonNullable<PodSpec['clusters']>[number];
export type HostSpec = NonNullable<ClusterSpec['hosts']>[number];
export type PrimaryStorageSpec = NonNullable<ClusterSpec['primaryStorage']>[number];
export type ZoneDemandSpec = NonNullable<ScenarioSpec['demand']>[number];
export type VmDemandSpec = NonNullable<ZoneDemandSpec['vms']>[number];
