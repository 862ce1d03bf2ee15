import { type IpSpaceRow, ipSpaceChart } from '../../charts/ip-space.js';
import { type VlanPool, vlanPoolChart } from '../../charts/vlan.js';
import { num, type Obj, str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { chart, h, meter, section, table } from '../dom.js';
import { capacityTable } from './dashboard.js';

/**
 * IP and VLAN usage: listCapacity's address and VLAN rows per zone; each public range drawn
 * within its CIDR with the addresses taken from it (listVlanIpRanges, listPublicIpAddresses);
 * and each physical network's guest VLAN pool with the VLANs its networks hold
 * (listPhysicalNetworks, listNetworks).
 */

const IP_AND_VLAN_TYPES: ReadonlySet<number> = new Set([4, 5, 7, 8]);

/** "100-199,300" as ranges. */
function vlanRanges(text: string): { first: number; last: number }[] {
  return text
    .split(',')
    .map((part) => part.trim().split('-').map(Number))
    .filter((ends) => ends.length > 0 && ends.every(Number.isInteger))
    .map((ends) => ({ first: ends[0]!, last: ends[ends.length - 1]! }));
}

/** The VLAN a network holds, from its vlan field or its vlan:// broadcast URI. */
function vlanOf(network: Obj): number | undefined {
  const text = str(network.vlan) || str(network.broadcasturi).replace(/^vlan:\/\//, '');
  const vlan = Number(text);
  return text !== '' && Number.isInteger(vlan) ? vlan : undefined;
}

export const ipUsageView: ConsoleView = {
  route: 'ip-usage',
  title: 'IP and VLAN usage',
  adminOnly: true,
  async render({ api }) {
    const [capacity, ranges, addresses, physicalNetworks, networks] = await Promise.all([
      api.list('listCapacity', 'capacity'),
      api.list('listVlanIpRanges', 'vlaniprange'),
      api.list('listPublicIpAddresses', 'publicipaddress', { listall: true, allocatedonly: true }),
      api.list('listPhysicalNetworks', 'physicalnetwork'),
      api.list('listNetworks', 'network', { listall: true }),
    ]);
    const zoneNames = new Map(capacity.map((c) => [str(c.zoneid), str(c.zonename)]));
    const takenByRange = new Map<string, Obj[]>();
    for (const address of addresses) takenByRange.set(str(address.vlanid), [...(takenByRange.get(str(address.vlanid)) ?? []), address]);
    const publicRanges = ranges.filter((r) => r.forvirtualnetwork === true);
    const ipRows: IpSpaceRow[] = publicRanges.map((r) => ({
      label: `${zoneNames.get(str(r.zoneid)) ?? str(r.zoneid)} public range (VLAN ${str(r.vlan).replace(/^vlan:\/\//, '')})`,
      cidr: str(r.cidr),
      spans: [
        { kind: 'public', first: str(r.startip), last: str(r.endip), label: `${str(r.startip)}–${str(r.endip)}` },
        ...(takenByRange.get(str(r.id)) ?? []).map((a) => ({ kind: 'publicUsed' as const, first: str(a.ipaddress), last: str(a.ipaddress), label: `${str(a.ipaddress)} ${a.issourcenat === true ? 'source NAT' : 'acquired'} (${str(a.associatednetworkname) || str(a.account) || 'system'})` })),
        { kind: 'gateway', first: str(r.gateway), last: str(r.gateway), label: 'gateway' },
      ],
    }));
    const pools: VlanPool[] = physicalNetworks
      .filter((p) => str(p.vlan) !== '')
      .map((p) => {
        const poolRanges = vlanRanges(str(p.vlan));
        const inPool = (vlan: number | undefined): boolean => vlan !== undefined && poolRanges.some((r) => vlan >= r.first && vlan <= r.last);
        const used = new Set(networks.filter((n) => n.physicalnetworkid === p.id).map(vlanOf).filter(inPool)).size;
        return { zone: str(p.zonename), physicalNetwork: str(p.name), isolation: str(p.isolationmethods) || 'VLAN', ranges: poolRanges, used, total: poolRanges.reduce((sum, r) => sum + r.last - r.first + 1, 0) };
      });
    return h(
      'div',
      null,
      section('Addresses and VLANs by zone', capacityTable(capacity.filter((c) => IP_AND_VLAN_TYPES.has(num(c.type))), 'ip-capacity')),
      section('Public IP ranges', chart(ipSpaceChart(ipRows, { title: 'Public ranges and the addresses taken from them', live: true }), 'public IP ranges'), rangesTable(publicRanges, takenByRange, zoneNames)),
      section('Guest VLAN pools', chart(vlanPoolChart(pools), 'guest VLAN pools')),
    );
  },
};

function rangesTable(ranges: readonly Obj[], taken: ReadonlyMap<string, Obj[]>, zoneNames: ReadonlyMap<string, string>): HTMLElement {
  const size = (r: Obj): number => {
    const toNumber = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
    return toNumber(str(r.endip)) - toNumber(str(r.startip)) + 1;
  };
  return table<Obj>(
    [
      { title: 'Zone', cell: (r) => zoneNames.get(str(r.zoneid)) ?? str(r.zoneid) },
      { title: 'VLAN', cell: (r) => str(r.vlan).replace(/^vlan:\/\//, '') },
      { title: 'Gateway', cell: (r) => `${str(r.gateway)} / ${str(r.netmask)}` },
      { title: 'Range', cell: (r) => `${str(r.startip)} – ${str(r.endip)}` },
      { title: 'Taken', cell: (r) => `${taken.get(str(r.id))?.length ?? 0} of ${size(r)}`, numeric: true },
      { title: 'Share', cell: (r) => meter(taken.get(str(r.id))?.length ?? 0, size(r)) },
      { title: 'Account', cell: (r) => str(r.account) || 'shared' },
    ],
    ranges,
    'No public IP ranges.',
    'ip-ranges',
  );
}
