import { scaleLinear } from 'd3-scale';
import type { PlanReport } from '../../core/plan.js';
import type { CloudState } from '../../core/model/state.js';
import { settingNumber, storagePoolsOf } from '../../core/model/state.js';
import { poolFactor } from '../../core/placement/storage.js';
import type { Budget } from '../../core/sizing/budget.js';
import type { Forecast } from '../../simulator/forecast.js';
import { axisBottom, clip, emptyChart, formatAmount, formatPercent, legend, line, PALETTE, rect, svgDocument, text, tooltip } from './svg.js';

export type CapacityResource = 'cpu' | 'memory' | 'storage';

/**
 * One bar of the capacity chart: one resource of one cluster. Amounts are in `unit`.
 *
 * Filled from the planner (`capacityFromPlan`): the cluster.cpu, cluster.memory and
 * cluster.primaryStorage budgets (cluster.localStorage when a cluster has no shared storage):
 *   used = user VMs' share of the budget's demand, reserved = what system VMs and virtual routers
 *   take, total = supply (after over-provisioning), physical = supply / over-provisioning,
 *   usable = limit (up to the disable threshold).
 * Filled from CloudStack's `listCapacity` rows (`capacityFromListCapacity`): rows with a
 * clustername, type 1 CPU (MHz), 0 memory (bytes → MiB), 3 storage allocated (bytes → GiB):
 *   used = capacityallocated when given (else capacityused), reserved = capacityused −
 *   capacityallocated (what stopped VMs still hold) when both are given, total = capacitytotal,
 *   physical = the type 2 row's capacitytotal for storage (the API gives no physical CPU or memory).
 * Filled from a simulation (`capacityFromForecast`): the cluster.cpu, cluster.memory and
 *   cluster-wide pool.storage series at their last sample (used = last share × capacity; nothing
 *   reserved: the series count allocation as one figure), physical and usable from the cloud's
 *   over-provisioning and disable thresholds. Zone-wide pools belong to no cluster and are left out.
 * Fields the source lacks stay undefined and the chart leaves their part out.
 */
export interface ClusterCapacity {
  zone: string;
  pod?: string;
  cluster: string;
  resource: CapacityResource;
  /** MHz, MiB or GiB: the unit of every amount below. */
  unit: string;
  used: number;
  reserved?: number;
  /** Capacity after over-provisioning (CloudStack's capacitytotal). */
  total: number;
  /** Capacity before over-provisioning; `total - physical` is the over-provisioned headroom. */
  physical?: number;
  /** Where CloudStack stops allocating (the disable threshold's share of total). */
  usable?: number;
}

export interface CapacityChartOptions {
  widthPx?: number;
  title?: string;
}

const RESOURCES: readonly { resource: CapacityResource; label: string }[] = [
  { resource: 'cpu', label: 'CPU' },
  { resource: 'memory', label: 'RAM' },
  { resource: 'storage', label: 'Primary storage' },
];

const ROW_HEIGHT_PX = 22;
const BAR_HEIGHT_PX = 14;
const LABEL_WIDTH_PX = 220;

function clusterKey(c: Pick<ClusterCapacity, 'zone' | 'pod' | 'cluster'>): string {
  return [c.zone, c.pod ?? '', c.cluster].join('\u0000');
}

function clusterLabel(c: Pick<ClusterCapacity, 'zone' | 'pod' | 'cluster'>): string {
  return [c.zone, c.pod, c.cluster].filter((part) => part !== undefined && part !== '').join(' / ');
}

/** Horizontal bars per cluster, one panel per resource, each panel to scale in its own unit. */
export function capacityByClusterChart(rows: readonly ClusterCapacity[], options: CapacityChartOptions = {}): string {
  const widthPx = options.widthPx ?? 960;
  const title = options.title ?? 'Capacity by cluster';
  if (rows.length === 0) return emptyChart('capacity', widthPx, title, 'No cluster capacity to show: the scenario has no clusters with hosts.');
  const clusters = [...new Map(rows.map((r) => [clusterKey(r), r])).values()].sort((a, b) => (clusterKey(a) < clusterKey(b) ? -1 : 1));
  const byKey = new Map(rows.map((r) => [`${clusterKey(r)}\u0000${r.resource}`, r]));

  const legendBlock = legend(
    [
      { label: 'used', colour: PALETTE.used },
      { label: 'reserved (system VMs, routers, stopped VMs)', colour: PALETTE.reserved },
      { label: 'free physical capacity', colour: PALETTE.free },
      { label: 'over-provisioned headroom', colour: PALETTE.overProvisioned },
      { label: 'usable limit (disable threshold)', colour: PALETTE.limit, shape: 'line' },
    ],
    16,
    46,
    widthPx - 32,
  );
  const top = 46 + legendBlock.heightPx + 26;
  const panelGapPx = 28;
  // Room right of each bar for its share, so the label never sits on the bar.
  const shareWidthPx = 40;
  const panelWidthPx = (widthPx - LABEL_WIDTH_PX - 16 - panelGapPx * (RESOURCES.length - 1)) / RESOURCES.length;
  const plotHeightPx = clusters.length * ROW_HEIGHT_PX;
  const parts: string[] = [legendBlock.svg];

  parts.push(text(LABEL_WIDTH_PX - 8, top - 8, 'cluster (zone / pod / cluster)', { anchor: 'end', sizePx: 11, weight: 'bold' }));
  clusters.forEach((c, i) => {
    parts.push(text(LABEL_WIDTH_PX - 8, top + i * ROW_HEIGHT_PX + ROW_HEIGHT_PX / 2, clip(clusterLabel(c), 34), { anchor: 'end', baseline: 'middle', sizePx: 11 }));
  });

  RESOURCES.forEach(({ resource, label }, p) => {
    const x0 = LABEL_WIDTH_PX + p * (panelWidthPx + panelGapPx);
    const inPanel = clusters.map((c) => byKey.get(`${clusterKey(c)}\u0000${resource}`));
    const unit = inPanel.find((r) => r !== undefined)?.unit ?? '';
    const maxAmount = Math.max(1, ...inPanel.map((r) => (r ? Math.max(r.total, r.used + (r.reserved ?? 0)) : 0)));
    const x = scaleLinear().domain([0, maxAmount]).range([x0, x0 + panelWidthPx - shareWidthPx]).nice();
    parts.push(text(x0 + (panelWidthPx - shareWidthPx) / 2, top - 8, label, { anchor: 'middle', weight: 'bold' }));
    inPanel.forEach((r, i) => {
      const y = top + i * ROW_HEIGHT_PX + (ROW_HEIGHT_PX - BAR_HEIGHT_PX) / 2;
      if (!r) {
        parts.push(text(x0 + 4, y + BAR_HEIGHT_PX / 2, 'none', { baseline: 'middle', sizePx: 11, fill: PALETTE.muted }));
        return;
      }
      const reserved = r.reserved ?? 0;
      const physical = Math.min(r.physical ?? r.total, r.total);
      const held = r.used + reserved;
      const segment = (from: number, to: number, colour: string, what: string): void => {
        if (to <= from) return;
        parts.push(`<g>${rect(x(from), y, x(to) - x(from), BAR_HEIGHT_PX, colour)}${tooltip(`${clusterLabel(r)} ${label} ${what}: ${formatAmount(to - from)} ${r.unit}`)}</g>`);
      };
      segment(0, r.used, PALETTE.used, 'used');
      segment(r.used, held, PALETTE.reserved, 'reserved');
      segment(held, physical, PALETTE.free, 'free');
      segment(Math.max(physical, held), r.total, PALETTE.overProvisioned, 'over-provisioned headroom');
      parts.push(rect(x(0), y, x(r.total) - x(0), BAR_HEIGHT_PX, 'none', `stroke="${PALETTE.frame}" stroke-width="0.5"`));
      if (r.usable !== undefined) parts.push(line(x(r.usable), y - 2, x(r.usable), y + BAR_HEIGHT_PX + 2, PALETTE.limit, 'stroke-width="2"'));
      const share = r.total > 0 ? held / r.total : held > 0 ? Infinity : 0;
      parts.push(text(x0 + panelWidthPx, y + BAR_HEIGHT_PX / 2, formatPercent(share), { anchor: 'end', baseline: 'middle', sizePx: 11, fill: share > 0.85 ? PALETTE.limit : PALETTE.text }));
    });
    parts.push(axisBottom(x, top + plotHeightPx + 4, `${label} (${unit})`, Math.max(2, Math.floor(panelWidthPx / 70))));
  });

  const heightPx = top + plotHeightPx + 48;
  return svgDocument(
    'capacity',
    widthPx,
    heightPx,
    title,
    `${clusters.length} cluster(s): CPU, RAM and primary storage used, reserved, free and over-provisioned headroom; the share at the right of each bar is used plus reserved of the total.`,
    parts.join('\n'),
  );
}

const BUDGET_RESOURCE: Partial<Record<Budget['kind'], CapacityResource>> = {
  'cluster.cpu': 'cpu',
  'cluster.memory': 'memory',
  'cluster.primaryStorage': 'storage',
  'cluster.localStorage': 'storage',
};

/** The planner's cluster budgets as chart rows (see `ClusterCapacity` for the mapping). */
export function capacityFromPlan(report: PlanReport, state: CloudState): ClusterCapacity[] {
  const out: ClusterCapacity[] = [];
  const hasShared = new Set(report.budgets.filter((b) => b.kind === 'cluster.primaryStorage').map((b) => b.entityId));
  for (const budget of report.budgets) {
    const resource = BUDGET_RESOURCE[budget.kind];
    if (resource === undefined) continue;
    // A cluster's storage bar is its shared storage; local storage stands in only when there is none.
    if (budget.kind === 'cluster.localStorage' && hasShared.has(budget.entityId)) continue;
    const cluster = state.clusters.get(budget.entityId);
    if (!cluster) continue;
    const pod = state.pods.get(cluster.podId);
    const zone = state.zones.get(cluster.zoneId);
    const reserved = budget.breakdown.filter((l) => l.label === 'virtual routers' || l.label === 'system VMs' || l.label === 'system VM and router disks').reduce((sum, l) => sum + l.amount, 0);
    const ratio = resource === 'cpu' ? cluster.cpuOvercommitRatio : resource === 'memory' ? cluster.memoryOvercommitRatio : storageFactor(state, cluster.id, cluster.zoneId, budget.kind);
    out.push({
      zone: zone?.name ?? cluster.zoneId,
      ...(pod ? { pod: pod.name } : {}),
      cluster: cluster.name,
      resource,
      unit: budget.unit,
      used: budget.demand - reserved,
      reserved,
      total: budget.supply,
      physical: ratio > 0 ? budget.supply / ratio : budget.supply,
      usable: budget.limit,
    });
  }
  return out;
}

/** The capacity-weighted over-provisioning factor of the pools a cluster's storage budget counts. */
function storageFactor(state: CloudState, clusterId: string, zoneId: string, kind: Budget['kind']): number {
  const hypervisor = state.clusters.get(clusterId)?.hypervisor;
  const pools = storagePoolsOf(state, zoneId).filter((p) =>
    kind === 'cluster.localStorage' ? p.scope === 'HOST' && p.clusterId === clusterId : (p.scope === 'CLUSTER' && p.clusterId === clusterId) || (p.scope === 'ZONE' && p.hypervisor === hypervisor),
  );
  const raw = pools.reduce((sum, p) => sum + p.capacityGiB, 0);
  if (raw === 0) return 1;
  return pools.reduce((sum, p) => sum + p.capacityGiB * poolFactor(state, p), 0) / raw;
}

/** A row of CloudStack's listCapacity response, as the API returns it (lower-case keys). */
export interface ListCapacityRow {
  type: number;
  zonename?: string;
  podname?: string;
  clustername?: string;
  capacitytotal: number;
  capacityused: number;
  capacityallocated?: number;
}

const MIB_BYTES = 1024 ** 2;
const GIB_BYTES = 1024 ** 3;

/** listCapacity rows (cluster level) as chart rows; rows without a cluster are left out. */
export function capacityFromListCapacity(rows: readonly ListCapacityRow[]): ClusterCapacity[] {
  const out: ClusterCapacity[] = [];
  const physicalStorage = new Map<string, number>();
  for (const row of rows) {
    if (row.type === 2 && row.clustername !== undefined) physicalStorage.set(clusterKey({ zone: row.zonename ?? '', pod: row.podname, cluster: row.clustername }), row.capacitytotal / GIB_BYTES);
  }
  for (const row of rows) {
    if (row.clustername === undefined) continue;
    const kind = row.type === 1 ? { resource: 'cpu' as const, unit: 'MHz', divisor: 1 } : row.type === 0 ? { resource: 'memory' as const, unit: 'MiB', divisor: MIB_BYTES } : row.type === 3 ? { resource: 'storage' as const, unit: 'GiB', divisor: GIB_BYTES } : undefined;
    if (!kind) continue;
    const where = { zone: row.zonename ?? '', ...(row.podname !== undefined ? { pod: row.podname } : {}), cluster: row.clustername };
    const used = (row.capacityallocated ?? row.capacityused) / kind.divisor;
    const reserved = row.capacityallocated !== undefined ? Math.max(0, row.capacityused - row.capacityallocated) / kind.divisor : undefined;
    const physical = kind.resource === 'storage' ? physicalStorage.get(clusterKey(where)) : undefined;
    out.push({
      ...where,
      resource: kind.resource,
      unit: kind.unit,
      used,
      ...(reserved !== undefined ? { reserved } : {}),
      total: row.capacitytotal / kind.divisor,
      ...(physical !== undefined ? { physical } : {}),
    });
  }
  return out;
}

/** The end of a simulated horizon as chart rows: what each cluster holds at the last sample. */
export function capacityFromForecast(forecast: Forecast, state: CloudState): ClusterCapacity[] {
  const clusters = [...state.clusters.values()];
  const zoneName = (id: string): string => state.zones.get(id)?.name ?? id;
  const clusterNamed = (zone: string, name: string) => clusters.find((c) => c.name === name && zoneName(c.zoneId) === zone);
  const out: ClusterCapacity[] = [];
  const storage = new Map<string, ClusterCapacity>();
  for (const series of forecast.series) {
    const share = series.lastShare ?? 0;
    if (series.kind === 'cluster.cpu' || series.kind === 'cluster.memory') {
      const cluster = clusterNamed(series.zone, series.name);
      if (!cluster) continue;
      const cpu = series.kind === 'cluster.cpu';
      const ratio = cpu ? cluster.cpuOvercommitRatio : cluster.memoryOvercommitRatio;
      const threshold = (cpu ? cluster.cpuDisableThreshold : cluster.memoryDisableThreshold) ?? settingNumber(state, cpu ? 'cluster.cpu.allocated.capacity.disablethreshold' : 'cluster.memory.allocated.capacity.disablethreshold');
      out.push({
        zone: series.zone,
        pod: state.pods.get(cluster.podId)?.name ?? cluster.podId,
        cluster: cluster.name,
        resource: cpu ? 'cpu' : 'memory',
        unit: series.unit,
        used: share * series.capacity,
        total: series.capacity,
        physical: ratio > 0 ? series.capacity / ratio : series.capacity,
        usable: threshold * series.capacity,
      });
    } else if (series.kind === 'pool.storage') {
      const pool = [...state.storagePools.values()].find((p) => p.name === series.name && p.scope === 'CLUSTER' && zoneName(p.zoneId) === series.zone);
      const cluster = pool?.clusterId === undefined ? undefined : state.clusters.get(pool.clusterId);
      if (!pool || !cluster) continue;
      const row = storage.get(cluster.id) ?? { zone: series.zone, pod: state.pods.get(cluster.podId)?.name ?? cluster.podId, cluster: cluster.name, resource: 'storage' as const, unit: series.unit, used: 0, total: 0, physical: 0, usable: 0 };
      row.used += share * series.capacity;
      row.total += series.capacity;
      row.physical = (row.physical ?? 0) + pool.capacityGiB;
      row.usable = (row.usable ?? 0) + settingNumber(state, 'pool.storage.allocated.capacity.disablethreshold') * series.capacity;
      storage.set(cluster.id, row);
    }
  }
  return [...out, ...storage.values()];
}
