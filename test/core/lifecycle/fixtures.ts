/**
 * Small helpers shared by the lifecycle tests: what a host holds, the public addresses of the
 * cloud in words, a caller switch, and variants of the tiny datacenter (a second zone, a basic
 * zone, local storage, a VPC).
 */
import type { Command } from '../../../core/model/commands.js';
import type { PublicIp } from '../../../core/model/services.js';
import { formatIpv4 } from '../../../core/net/ipv4.js';
import type { ScenarioSpec } from '../../../core/scenario/schema.js';
import { type TestCloud, tinyDatacenter } from '../../support/cloud.js';

/** CPU and memory a host has in use (running VMs) and reserved (VMs stopped there lately). */
export function hostLoad(cloud: TestCloud, hostName: string): { usedMhz: number; usedMiB: number; reservedMhz: number; reservedMiB: number } {
  const capacity = cloud.state.capacity;
  const host = capacity.hostOrdinal.get(cloud.idOf('host', hostName))!;
  return {
    usedMhz: capacity.hostCpuUsedMhz[host]!,
    usedMiB: capacity.hostMemoryUsedMiB[host]!,
    reservedMhz: capacity.hostCpuReservedMhz[host]!,
    reservedMiB: capacity.hostMemoryReservedMiB[host]!,
  };
}

/** The rejection of a command as one line: code, error number and message. */
export function refusal(cloud: TestCloud, command: Command): string | undefined {
  const rejection = cloud.run(command);
  return rejection && `${rejection.code} ${rejection.errorCode} ${rejection.message}`;
}

/** Every allocated public address as "address purpose", in allocation order. */
export function publicAddresses(cloud: TestCloud): string[] {
  return [...cloud.state.publicIps.values()].map((ip) => `${formatIpv4(ip.ip)} ${describeIp(cloud, ip)}`);
}

function describeIp(cloud: TestCloud, ip: PublicIp): string {
  if (ip.sourceNat) return 'source NAT';
  if (ip.forSystemVm !== undefined) return `system VM ${cloud.state.vms.get(ip.forSystemVm)?.name}`;
  if (ip.staticNatVmId !== undefined) return `static NAT to ${cloud.state.vms.get(ip.staticNatVmId)?.name}`;
  return ip.purposes.length === 0 ? 'free for rules' : ip.purposes.join(' and ');
}

/** The last public address allocated. */
export function lastAddress(cloud: TestCloud): PublicIp {
  return [...cloud.state.publicIps.values()].at(-1)!;
}

/** From now on, commands come from a user of the account. */
export function actAsUser(cloud: TestCloud, accountName: string): void {
  cloud.ctx.actor = { accountId: cloud.idOf('account', accountName), userId: `${accountName}-user`, role: 'User', domainId: 'ROOT' };
}

/** The tiny datacenter with a second, smaller zone z2 (its own pod, hosts, pool and 500 GiB image store). */
export function twoZoneDatacenter(): ScenarioSpec {
  const spec = tinyDatacenter();
  const z2 = structuredClone(spec.zones[0]!);
  z2.name = 'z2';
  z2.publicRanges = [{ vlan: 51, gateway: '198.51.100.1', netmask: '255.255.255.0', startIp: '198.51.100.10', endIp: '198.51.100.20' }];
  const pod = z2.pods![0]!;
  pod.name = 'p2';
  pod.gateway = '10.0.1.1';
  pod.reservedRanges = [{ startIp: '10.0.1.2', endIp: '10.0.1.20' }];
  const cluster = pod.clusters![0]!;
  cluster.name = 'c2';
  cluster.hosts = [{ name: 'z2host{n}', count: 2, ip: '10.0.1.101', cpuCores: 16, cpuMhz: 2000, memoryGiB: 64 }];
  cluster.primaryStorage = [{ name: 'nfs2', protocol: 'NFS', capacityGiB: 4000 }];
  z2.secondaryStorage = [{ name: 'ss2', capacityGiB: 500 }];
  z2.networks = [{ name: 'l2b', type: 'L2', vlan: 301 }];
  spec.zones.push(z2);
  return spec;
}

/** The tiny datacenter with 500 GiB of local storage on host1 and a compute offering that uses it. */
export function localStorageDatacenter(): ScenarioSpec {
  const spec = tinyDatacenter();
  spec.zones[0]!.localStorage = true;
  spec.zones[0]!.pods![0]!.clusters![0]!.hosts = [
    { name: 'host1', ip: '10.0.0.101', cpuCores: 16, cpuMhz: 2000, memoryGiB: 64, localStorageGiB: 500 },
    { name: 'host2', ip: '10.0.0.102', cpuCores: 16, cpuMhz: 2000, memoryGiB: 64 },
  ];
  spec.offerings!.compute!.push({ name: 'local-4g', cpuNumber: 2, cpuSpeedMhz: 2000, memoryMiB: 4096, rootDiskGiB: 10, storageType: 'local' });
  return spec;
}

/** The tiny datacenter with a VPC of alice (10.10.0.0/16) holding the tiers web and app. */
export function vpcDatacenter(): ScenarioSpec {
  const spec = tinyDatacenter();
  spec.zones[0]!.vpcs = [
    {
      name: 'shop',
      cidr: '10.10.0.0/16',
      account: 'alice',
      tiers: [
        { name: 'web', gateway: '10.10.1.1', netmask: '255.255.255.0' },
        { name: 'app', gateway: '10.10.2.1', netmask: '255.255.255.0' },
      ],
    },
  ];
  return spec;
}

/** A basic zone b1 with security groups: one pod whose guest range is 10.0.1.1-10.0.1.100, two KVM hosts. */
export function basicZoneDatacenter(): ScenarioSpec {
  const spec = tinyDatacenter();
  spec.zones[0] = {
    name: 'b1',
    networkType: 'Basic',
    physicalNetworks: [{ name: 'pn', traffic: [{ type: 'Management' }, { type: 'Guest' }] }],
    pods: [
      {
        name: 'p1',
        gateway: '10.0.0.1',
        netmask: '255.255.252.0',
        reservedRanges: [{ startIp: '10.0.0.2', endIp: '10.0.0.20' }],
        guestRanges: [{ gateway: '10.0.0.1', netmask: '255.255.252.0', startIp: '10.0.1.1', endIp: '10.0.1.100' }],
        clusters: [
          {
            name: 'c1',
            hypervisor: 'KVM',
            hosts: [{ name: 'host{n}', count: 2, ip: '10.0.0.101', cpuCores: 16, cpuMhz: 2000, memoryGiB: 64 }],
            primaryStorage: [{ name: 'nfs', protocol: 'NFS', capacityGiB: 4000 }],
          },
        ],
      },
    ],
    secondaryStorage: [{ name: 'ss', capacityGiB: 1000 }],
  };
  return spec;
}
