import { hierarchy, partition, type HierarchyRectangularNode } from 'd3-hierarchy';
import type { PlanReport } from '../../core/plan.js';
import { type CloudState, clustersOf, hostsOf, podsOf, storagePoolsOf, zonesOf } from '../../core/model/state.js';
import { clip, emptyChart, FONT_SMALL_PX, formatPercent, legend, PALETTE, rect, svgDocument, text, tooltip, utilizationColour } from './svg.js';

/**
 * The topology chart's input: regions → zones → pods → clusters → hosts, each with the share of
 * its capacity in use (0..1, above 1 when over-committed past its limit; undefined when unknown),
 * and the storage pools and system VMs to mark. The planner fills it with `topologyFromPlan`; the
 * console can fill it from listRegions/listZones/listPods/listClusters/listHosts/listStoragePools
 * and listSystemVms/listRouters.
 */
export interface TopologyHost {
  name: string;
  utilization?: number;
}

export interface TopologyCluster {
  name: string;
  hypervisor?: string;
  utilization?: number;
  hosts: TopologyHost[];
  /** Cluster-wide primary storage pools. */
  storagePools: string[];
}

export interface TopologyPod {
  name: string;
  utilization?: number;
  clusters: TopologyCluster[];
}

export interface TopologyZone {
  name: string;
  utilization?: number;
  pods: TopologyPod[];
  /** Zone-wide primary storage pools. */
  storagePools: string[];
  systemVms: { secondaryStorageVms: number; consoleProxies: number; routers: number };
}

export interface TopologyRegion {
  name: string;
  zones: TopologyZone[];
}

export interface TopologyChartOptions {
  widthPx?: number;
  title?: string;
  /** Above this many hosts in all, each cluster's hosts are drawn as one aggregate cell. */
  maxHostsDrawn?: number;
}

const LEVELS = ['region', 'zone', 'pod', 'cluster', 'host'] as const;
type Level = (typeof LEVELS)[number];

interface Cell {
  level: Level | 'root';
  name: string;
  utilization?: number;
  /** What the cell marks: pools, system VMs, aggregated hosts. */
  marks: string[];
  /** Rows the cell takes as a leaf: an aggregate takes enough for its cluster's marks to show. */
  rows?: number;
  children?: Cell[];
}

const LEAF_HEIGHT_PX = 22;

function hostCells(cluster: TopologyCluster, aggregate: boolean, clusterMarks: number): Cell[] {
  if (!aggregate || cluster.hosts.length <= 1) return cluster.hosts.map((h) => ({ level: 'host', name: h.name, ...(h.utilization !== undefined ? { utilization: h.utilization } : {}), marks: [] }));
  const known = cluster.hosts.filter((h) => h.utilization !== undefined);
  const mean = known.length > 0 ? known.reduce((sum, h) => sum + h.utilization!, 0) / known.length : undefined;
  return [{ level: 'host', name: `${cluster.hosts.length} hosts`, ...(mean !== undefined ? { utilization: mean } : {}), marks: [], rows: 1 + clusterMarks }];
}

function systemVmMark(s: TopologyZone['systemVms']): string {
  return `SSVM ${s.secondaryStorageVms} · CPVM ${s.consoleProxies} · VR ${s.routers}`;
}

/** An icicle: one column per level, each cell as tall as the hosts under it, coloured by utilization. */
export function topologyChart(regions: readonly TopologyRegion[], options: TopologyChartOptions = {}): string {
  const widthPx = options.widthPx ?? 960;
  const title = options.title ?? 'Topology: regions, zones, pods, clusters, hosts';
  const maxHostsDrawn = options.maxHostsDrawn ?? 60;
  const totalHosts = regions.reduce((s, r) => s + r.zones.reduce((z, zone) => z + zone.pods.reduce((p, pod) => p + pod.clusters.reduce((c, cl) => c + cl.hosts.length, 0), 0), 0), 0);
  if (regions.every((r) => r.zones.length === 0)) return emptyChart('topology', widthPx, title, 'No zones to show.');
  const aggregate = totalHosts > maxHostsDrawn;

  const root: Cell = {
    level: 'root',
    name: '',
    marks: [],
    children: regions.map((r) => ({
      level: 'region',
      name: r.name,
      marks: [],
      children: r.zones.map((z) => ({
        level: 'zone',
        name: z.name,
        ...(z.utilization !== undefined ? { utilization: z.utilization } : {}),
        marks: [systemVmMark(z.systemVms), ...z.storagePools.map((p) => `zone-wide pool ${p}`)],
        children: z.pods.map((p) => ({
          level: 'pod',
          name: p.name,
          ...(p.utilization !== undefined ? { utilization: p.utilization } : {}),
          marks: [],
          children: p.clusters.map((c) => {
            const marks = c.storagePools.length > 0 ? c.storagePools.map((p) => `pool ${p}`) : ['no cluster pool'];
            return {
              level: 'cluster' as const,
              name: c.hypervisor ? `${c.name} (${c.hypervisor})` : c.name,
              ...(c.utilization !== undefined ? { utilization: c.utilization } : {}),
              marks,
              children: hostCells(c, aggregate, marks.length),
            };
          }),
        })),
      })),
    })),
  };

  const tree = hierarchy(root, (c) => c.children).sum((c) => (c.children && c.children.length > 0 ? 0 : c.rows ?? 1));
  const leaves = Math.max(1, tree.value ?? 1);
  const plotHeightPx = leaves * LEAF_HEIGHT_PX;
  const columnWidthPx = (widthPx - 32) / LEVELS.length;
  // The root takes a column of the partition; it is not drawn, so everything shifts left by one.
  const laidOut: HierarchyRectangularNode<Cell> = partition<Cell>().size([plotHeightPx, columnWidthPx * (LEVELS.length + 1)])(tree);

  const parts: string[] = [];
  const legendBlock = legend(
    [
      { label: 'no data', colour: utilizationColour(0) },
      { label: 'up to 50%', colour: utilizationColour(0.5) },
      { label: '50–75%', colour: utilizationColour(0.75) },
      { label: '75–85% (notification)', colour: utilizationColour(0.85) },
      { label: '85–100% (disable)', colour: utilizationColour(1) },
      { label: 'over 100%', colour: utilizationColour(1.5) },
      { label: 'marks that do not fit (hover the cell)', colour: PALETTE.text },
    ],
    16,
    46,
    widthPx - 32,
  );
  parts.push(legendBlock.svg);
  const top = 46 + legendBlock.heightPx + 30;
  const headerY = top - 10;
  LEVELS.forEach((level, i) => parts.push(text(16 + i * columnWidthPx + 4, headerY, `${level}s${level === 'host' && aggregate ? ' (aggregated per cluster)' : ''}`, { weight: 'bold', sizePx: FONT_SMALL_PX })));

  for (const node of laidOut.descendants()) {
    if (node.depth === 0) continue;
    const cell = node.data;
    const x = 16 + node.y0 - columnWidthPx;
    const y = top + node.x0;
    const w = node.y1 - node.y0 - 2;
    const h = node.x1 - node.x0 - 2;
    const fill = cell.level === 'region' ? PALETTE.free : cell.utilization === undefined ? utilizationColour(0) : utilizationColour(cell.utilization);
    const chars = Math.floor((w - 8) / 6.2);
    const share = cell.utilization !== undefined ? ` ${formatPercent(cell.utilization)}` : '';
    const detail = [`${cell.level} ${cell.name}${share}`, ...cell.marks].join('; ');
    const body = [rect(x, y, w, h, fill, `stroke="${PALETTE.background}" stroke-width="1"`), tooltip(detail)];
    body.push(text(x + 4, y + Math.min(h / 2, 11) + 1, clip(`${cell.name}${share}`, chars), { baseline: 'middle', sizePx: FONT_SMALL_PX, weight: cell.level === 'host' ? 'normal' : 'bold' }));
    // Marks go on the lines below the name while the cell is tall enough; the tooltip has them all.
    cell.marks.forEach((mark, i) => {
      const lineY = y + 11 + (i + 1) * 14 + 1;
      if (lineY + 6 <= y + h) body.push(text(x + 4, lineY, clip(mark, chars), { baseline: 'middle', sizePx: FONT_SMALL_PX }));
    });
    if (cell.marks.length > 0 && y + 11 + 14 + 7 > y + h && cell.level !== 'host') {
      // Too short for a second line: a corner flag says the cell has marks to hover for.
      body.push(rect(x + w - 6, y, 6, 6, PALETTE.text));
    }
    parts.push(`<g class="cell cell-${cell.level}">${body.join('')}</g>`);
  }

  const noteY = top + plotHeightPx + 20;
  const note = aggregate
    ? `${totalHosts} hosts are more than ${maxHostsDrawn}: each cluster's hosts are drawn as one cell with their mean utilization.`
    : `${totalHosts} host(s), each drawn as a cell.`;
  parts.push(text(16, noteY, `${note} pool: a primary storage pool; SSVM, CPVM, VR: a zone's system VMs and virtual routers.`, { sizePx: FONT_SMALL_PX, fill: PALETTE.muted }));
  return svgDocument('topology', widthPx, noteY + 18, title, `Regions, zones, pods, clusters and hosts, coloured by the share of capacity in use. ${note}`, parts.join('\n'));
}

/**
 * The planned cloud as a topology: clusters coloured by the higher of their CPU and memory budget
 * utilization (hosts take their cluster's: a plan does not place VMs on hosts), pods and zones by
 * the highest of their clusters, system VM counts from the zone summaries.
 */
export function topologyFromPlan(report: PlanReport, state: CloudState): TopologyRegion[] {
  const clusterUse = new Map<string, number>();
  for (const b of report.budgets) {
    if (b.kind !== 'cluster.cpu' && b.kind !== 'cluster.memory') continue;
    clusterUse.set(b.entityId, Math.max(clusterUse.get(b.entityId) ?? 0, b.utilization));
  }
  const highest = (values: (number | undefined)[]): number | undefined => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length > 0 ? Math.max(...known) : undefined;
  };
  const byName = <T extends { name: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return byName([...state.regions.values()])
    .map((region) => ({
      name: region.name,
      zones: byName(zonesOf(state, region.id)).map((zone): TopologyZone => {
        const pools = storagePoolsOf(state, zone.id);
        const summary = report.zones.find((z) => z.zoneId === zone.id);
        const pods = byName(podsOf(state, zone.id)).map((pod): TopologyPod => {
          const clusters = byName(clustersOf(state, pod.id)).map((cluster): TopologyCluster => {
            const use = clusterUse.get(cluster.id);
            return {
              name: cluster.name,
              hypervisor: cluster.hypervisor,
              ...(use !== undefined ? { utilization: use } : {}),
              hosts: byName(hostsOf(state, cluster.id)).map((h) => ({ name: h.name, ...(use !== undefined ? { utilization: use } : {}) })),
              storagePools: pools.filter((p) => p.scope === 'CLUSTER' && p.clusterId === cluster.id).map((p) => p.name).sort(),
            };
          });
          const use = highest(clusters.map((c) => c.utilization));
          return { name: pod.name, ...(use !== undefined ? { utilization: use } : {}), clusters };
        });
        const use = highest(pods.map((p) => p.utilization));
        return {
          name: zone.name,
          ...(use !== undefined ? { utilization: use } : {}),
          pods,
          storagePools: pools.filter((p) => p.scope === 'ZONE').map((p) => p.name).sort(),
          systemVms: summary?.systemVms ?? { secondaryStorageVms: 0, consoleProxies: 0, routers: 0 },
        };
      }),
    }))
    .filter((r) => r.zones.length > 0);
}
