import { capacityByClusterChart, capacityFromListCapacity, type ListCapacityRow } from '../../charts/capacity.js';
import { num, type Obj, str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { chart, h, meter, section, table } from '../dom.js';

/**
 * The capacity dashboard: CPU, RAM and primary storage of every cluster as the capacity chart
 * draws them (listCapacity asked per cluster, since its rows carry the cluster only then), and
 * every zone's capacities of each type with their share used.
 */

export const CAPACITY_NAMES: Readonly<Record<number, string>> = {
  0: 'Memory',
  1: 'CPU',
  2: 'Primary storage (used)',
  3: 'Primary storage (allocated)',
  4: 'Public IPs',
  5: 'Private (pod) IPs',
  6: 'Secondary storage',
  7: 'Guest VLANs',
  8: 'Direct attached public IPs',
  9: 'Local storage',
};

const GIB_BYTES = 1024 ** 3;
const MIB_BYTES = 1024 ** 2;

/** A capacity amount as a person reads it: bytes in GiB or MiB, CPU in MHz, the rest as counts. */
export function capacityAmount(type: number, value: number): string {
  if (type === 0) return `${Math.round(value / MIB_BYTES).toLocaleString('en')} MiB`;
  if (type === 2 || type === 3 || type === 6 || type === 9) return `${(value / GIB_BYTES).toLocaleString('en', { maximumFractionDigits: 1 })} GiB`;
  if (type === 1) return `${value.toLocaleString('en')} MHz`;
  return value.toLocaleString('en');
}

export function capacityTable(rows: readonly Obj[], testId: string): HTMLElement {
  return table<Obj>(
    [
      { title: 'Zone', cell: (r) => str(r.zonename) },
      { title: 'Capacity', cell: (r) => CAPACITY_NAMES[num(r.type)] ?? str(r.name) },
      { title: 'Used', cell: (r) => capacityAmount(num(r.type), num(r.capacityused)), numeric: true },
      { title: 'Total', cell: (r) => capacityAmount(num(r.type), num(r.capacitytotal)), numeric: true },
      { title: 'Share', cell: (r) => meter(num(r.capacityused), num(r.capacitytotal)) },
    ],
    rows,
    'No capacity to show: the cloud has no zones yet.',
    testId,
  );
}

export const dashboardView: ConsoleView = {
  route: 'dashboard',
  title: 'Capacity',
  adminOnly: true,
  async render({ api }) {
    const clusters = await api.list('listClusters', 'cluster');
    const perCluster = await Promise.all(clusters.map((c) => api.list('listCapacity', 'capacity', { clusterid: str(c.id) })));
    const rows = perCluster.flat().map((r): ListCapacityRow => ({
      type: num(r.type),
      ...(r.zonename === undefined ? {} : { zonename: str(r.zonename) }),
      ...(r.podname === undefined ? {} : { podname: str(r.podname) }),
      ...(r.clustername === undefined ? {} : { clustername: str(r.clustername) }),
      capacitytotal: num(r.capacitytotal),
      capacityused: num(r.capacityused),
      ...(r.capacityallocated === undefined ? {} : { capacityallocated: num(r.capacityallocated) }),
    }));
    const zones = await api.list('listCapacity', 'capacity');
    return h(
      'div',
      null,
      section('Capacity by cluster', chart(capacityByClusterChart(capacityFromListCapacity(rows), { title: 'CPU, RAM and primary storage by cluster' }), 'capacity by cluster')),
      section('Zones', capacityTable(zones, 'zone-capacity')),
    );
  },
};
