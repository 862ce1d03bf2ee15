import { scaleLinear } from 'd3-scale';
import type { PlanReport } from '../../core/plan.js';
import type { CloudState } from '../../core/model/state.js';
import { intervalSize } from '../../core/net/pool.js';
import { axisBottom, clip, emptyChart, FONT_SMALL_PX, formatAmount, formatPercent, formatTick, legend, line, PALETTE, rect, svgDocument, text, tooltip } from './svg.js';

/**
 * The VLAN/VNI pool chart's input: one row per physical network with guest isolation, its VNET
 * ranges (VLAN IDs, or VXLAN VNIs) and how many of them are in use. From the planner
 * (`vlanPoolsFromPlan`): the physicalNetwork.guestVnets budget (used = demand, total = supply);
 * from the API: listPhysicalNetworks' vlan ranges and listCapacity type 7 (VLAN) per zone.
 */
export interface VlanPool {
  zone: string;
  physicalNetwork: string;
  /** VLAN, VXLAN, GRE, …: what the IDs are. */
  isolation: string;
  ranges: { first: number; last: number }[];
  used: number;
  total: number;
  /** Share above which CloudStack raises its capacity alert (zone.vlan.capacity.notificationthreshold). */
  notificationThreshold?: number;
}

export interface VlanPoolChartOptions {
  widthPx?: number;
  title?: string;
}

const ROW_HEIGHT_PX = 104;
const LABEL_WIDTH_PX = 230;
/** The level the forecasts read as "disable" for ungated pools (simulator/forecast.ts). */
const DISABLE_SHARE = 0.85;

/** Per network: a bar of the pool's use as a share of its size, and its ranges to scale over the ID space. */
export function vlanPoolChart(pools: readonly VlanPool[], options: VlanPoolChartOptions = {}): string {
  const widthPx = options.widthPx ?? 960;
  const title = options.title ?? 'Guest VLAN/VNI pools by physical network';
  if (pools.length === 0) return emptyChart('vlan', widthPx, title, 'No physical network with a guest VLAN or VNI pool.');
  const legendBlock = legend(
    [
      { label: 'in use', colour: PALETTE.used },
      { label: 'free', colour: PALETTE.free },
      { label: 'notification threshold', colour: PALETTE.warning, shape: 'dashed' },
      { label: `${formatPercent(DISABLE_SHARE)} (forecast disable level)`, colour: PALETTE.limit, shape: 'dashed' },
      { label: 'VNET range in the ID space', colour: '#805ad5' },
    ],
    16,
    46,
    widthPx - 32,
  );
  const top = 46 + legendBlock.heightPx + 14;
  const x0 = LABEL_WIDTH_PX;
  const x1 = widthPx - 24;
  const parts: string[] = [legendBlock.svg];
  pools.forEach((pool, i) => {
    const y = top + i * ROW_HEIGHT_PX;
    const share = pool.total > 0 ? pool.used / pool.total : pool.used > 0 ? Infinity : 0;
    const idName = pool.isolation === 'VLAN' ? 'VLAN IDs' : `${pool.isolation} IDs`;
    parts.push(text(16, y + 14, clip(`${pool.zone} / ${pool.physicalNetwork}`, 34), { weight: 'bold' }));
    parts.push(text(16, y + 30, `${formatAmount(pool.used)} of ${formatAmount(pool.total)} ${idName} (${formatPercent(share)})`, { sizePx: FONT_SMALL_PX, fill: share > DISABLE_SHARE ? PALETTE.limit : PALETTE.muted }));
    const shareScale = scaleLinear().domain([0, 1]).range([x0, x1]);
    parts.push(rect(x0, y + 4, x1 - x0, 16, PALETTE.free));
    parts.push(`<g>${rect(x0, y + 4, shareScale(Math.min(1, share)) - x0, 16, share > 1 ? PALETTE.limit : PALETTE.used)}${tooltip(`${pool.physicalNetwork}: ${formatAmount(pool.used)} of ${formatAmount(pool.total)} in use`)}</g>`);
    if (pool.notificationThreshold !== undefined) parts.push(line(shareScale(pool.notificationThreshold), y, shareScale(pool.notificationThreshold), y + 24, PALETTE.warning, 'stroke-width="2" stroke-dasharray="4 3"'));
    parts.push(line(shareScale(DISABLE_SHARE), y, shareScale(DISABLE_SHARE), y + 24, PALETTE.limit, 'stroke-width="2" stroke-dasharray="4 3"'));
    for (const tick of [0, 0.25, 0.5, 0.75, 1]) parts.push(text(shareScale(tick), y + 34, formatPercent(tick), { sizePx: FONT_SMALL_PX, anchor: tick === 0 ? 'start' : tick === 1 ? 'end' : 'middle', fill: PALETTE.muted }));
    // The ID space: VLANs have 1-4094; VNIs run to 16M, so VXLAN pools are drawn over their own span.
    const lowest = Math.min(...pool.ranges.map((r) => r.first));
    const highest = Math.max(...pool.ranges.map((r) => r.last));
    const space = pool.isolation === 'VLAN' ? [1, 4094] : [Math.max(0, lowest - Math.round((highest - lowest) * 0.05)), highest + Math.round((highest - lowest) * 0.05) + 1];
    const ids = scaleLinear().domain(space).range([x0, x1]);
    const stripY = y + 44;
    parts.push(rect(x0, stripY, x1 - x0, 8, PALETTE.overProvisioned));
    for (const r of pool.ranges) {
      parts.push(`<g>${rect(ids(r.first), stripY, Math.max(2, ids(r.last + 1) - ids(r.first)), 8, '#805ad5')}${tooltip(`${idName} ${r.first}–${r.last} (${formatAmount(intervalSize(r))})`)}</g>`);
    }
    parts.push(text(16, stripY + 7, clip(`ranges: ${pool.ranges.map((r) => `${r.first}–${r.last}`).join(', ')}`, 34), { sizePx: FONT_SMALL_PX, fill: PALETTE.muted }));
    parts.push(axisBottom(ids, stripY + 10, idName, 6, formatTick));
  });
  const noteY = top + pools.length * ROW_HEIGHT_PX + 4;
  parts.push(text(16, noteY, 'Top bar of each network: share of its pool in use (percent of IDs); lower strip: where its ranges lie in the ID space (ID numbers).', { sizePx: FONT_SMALL_PX, fill: PALETTE.muted }));
  return svgDocument('vlan', widthPx, noteY + 16, title, `${pools.length} physical network(s): guest VLAN/VNI pool use and ranges.`, parts.join('\n'));
}

/** The planner's guest VNET budgets with the physical networks' ranges. */
export function vlanPoolsFromPlan(report: PlanReport, state: CloudState): VlanPool[] {
  return report.budgets
    .filter((b) => b.kind === 'physicalNetwork.guestVnets')
    .flatMap((b) => {
      const network = state.physicalNetworks.get(b.entityId);
      if (!network) return [];
      return [{
        zone: state.zones.get(network.zoneId)?.name ?? network.zoneId,
        physicalNetwork: network.name,
        isolation: network.isolationMethod,
        ranges: network.vnetRanges.map((r) => ({ first: r.first, last: r.last })),
        used: b.demand,
        total: b.supply,
        notificationThreshold: b.notificationThreshold,
      }];
    });
}
