import { scaleLinear } from 'd3-scale';
import type { PlanReport } from '../../core/plan.js';
import { type CloudState, podsOf, storageRangesOf, vlanIpRangesOf, zonesOf } from '../../core/model/state.js';
import { coveredCount, normalizeIntervals } from '../../core/net/pool.js';
import { type Cidr, cidrContainsIp, cidrLast, cidrSize, formatCidr, formatIpv4, parseCidr, parseIpv4 } from '../../core/net/ipv4.js';
import { clip, emptyChart, FONT_SMALL_PX, formatAmount, formatTick, legend, line, PALETTE, rect, svgDocument, text, tooltip } from './svg.js';

/**
 * The IP space chart's input: one row per CIDR (a pod's, or a public or guest range's), with the
 * spans of addresses that are taken, drawn to scale within the CIDR; what no span covers is free.
 * Addresses are dotted quads, so the console can fill rows straight from listPods (gateway,
 * startip/endip), listHosts (ipaddress), listVlanIpRanges and listSystemVms/listRouters.
 */
export type IpSpanKind = 'gateway' | 'reserved' | 'systemVm' | 'router' | 'host' | 'guest' | 'public' | 'publicUsed' | 'storage';

export interface IpSpan {
  kind: IpSpanKind;
  first: string;
  last: string;
  /** Shown on hover: which host, which range. */
  label?: string;
}

export interface IpSpaceRow {
  /** "zone dc1 pod rack-1", "zone dc1 public range (VLAN 100)". */
  label: string;
  cidr: string;
  spans: IpSpan[];
}

export interface IpSpaceChartOptions {
  widthPx?: number;
  title?: string;
  /** Public addresses taken from their ranges in a running cloud, not planned ones: says "in use". */
  live?: boolean;
}

const KINDS: readonly { kind: IpSpanKind; label: string; short: string; colour: string }[] = [
  { kind: 'gateway', short: 'gateway', label: 'gateway', colour: '#1a202c' },
  { kind: 'reserved', short: 'reserved', label: 'reserved system range', colour: '#fbd38d' },
  { kind: 'systemVm', short: 'system VMs', label: 'system VMs (in reserved range)', colour: '#dd6b20' },
  { kind: 'router', short: 'routers', label: 'routers (in reserved range)', colour: '#805ad5' },
  { kind: 'host', short: 'hosts', label: 'hosts and management servers', colour: '#2b6cb0' },
  { kind: 'guest', short: 'guest', label: 'guest range', colour: '#68d391' },
  { kind: 'public', short: 'public', label: 'public range', colour: '#81e6d9' },
  { kind: 'publicUsed', short: 'planned', label: 'public IPs planned', colour: '#319795' },
  { kind: 'storage', short: 'storage', label: 'storage range', colour: '#b7791f' },
];
const COLOUR = new Map(KINDS.map((k) => [k.kind, k.colour]));
/** Ranges first, then what sits inside them, so small spans are drawn on top. */
const DRAW_ORDER: readonly IpSpanKind[] = ['reserved', 'guest', 'public', 'storage', 'publicUsed', 'systemVm', 'router', 'host', 'gateway'];

const ROW_HEIGHT_PX = 74;
const BAR_HEIGHT_PX = 18;

function count(first: number, last: number): number {
  return Math.max(0, last - first + 1);
}

/** One bar per CIDR, network address to broadcast, with every span at its place. */
export function ipSpaceChart(rows: readonly IpSpaceRow[], options: IpSpaceChartOptions = {}): string {
  const widthPx = options.widthPx ?? 960;
  const title = options.title ?? 'IP space by pod and range';
  const parsedRows = rows.flatMap((row) => {
    const cidr = parseCidr(row.cidr);
    return cidr ? [{ row, cidr }] : [];
  });
  if (parsedRows.length === 0) return emptyChart('ip-space', widthPx, title, 'No pod or range CIDRs to show.');
  const present = new Set(parsedRows.flatMap(({ row }) => row.spans.map((s) => s.kind)));
  const kinds = options.live ? KINDS.map((k) => (k.kind === 'publicUsed' ? { ...k, short: 'in use', label: 'public IPs in use' } : k)) : KINDS;
  const legendBlock = legend(kinds.filter((k) => present.has(k.kind)).map((k) => ({ label: k.label, colour: k.colour })).concat([{ label: 'free', colour: PALETTE.overProvisioned }]), 16, 46, widthPx - 32);
  const top = 46 + legendBlock.heightPx + 12;
  const x0 = 16;
  const x1 = widthPx - 16;
  const parts: string[] = [legendBlock.svg];

  parsedRows.forEach(({ row, cidr }, i) => {
    const y = top + i * ROW_HEIGHT_PX;
    const network = cidr.network;
    const last = cidrLast(cidr);
    const size = cidrSize(cidr.prefix);
    const x = scaleLinear().domain([network, last + 1]).range([x0, x1]);
    const spans = row.spans.flatMap((s) => {
      const first = parseIpv4(s.first);
      const end = parseIpv4(s.last);
      return first === undefined || end === undefined ? [] : [{ ...s, firstIp: Math.max(first, network), lastIp: Math.min(end, last) }];
    });
    const taken = coveredCount(normalizeIntervals(spans.filter((s) => s.lastIp >= s.firstIp).map((s) => ({ first: s.firstIp, last: s.lastIp }))));
    const tally = kinds.filter((k) => spans.some((s) => s.kind === k.kind)).map((k) => `${k.short} ${formatAmount(spans.filter((s) => s.kind === k.kind).reduce((sum, s) => sum + count(s.firstIp, s.lastIp), 0))}`);
    parts.push(text(x0, y + 12, clip(`${row.label}: ${formatCidr(cidr)}, ${formatAmount(size)} addresses`, 64), { weight: 'bold' }));
    parts.push(text(x1, y + 12, clip(`${tally.join(' · ')} · free ${formatAmount(size - taken)}`, 90), { anchor: 'end', sizePx: FONT_SMALL_PX, fill: PALETTE.muted }));
    const barY = y + 20;
    parts.push(rect(x0, barY, x1 - x0, BAR_HEIGHT_PX, PALETTE.overProvisioned, `stroke="${PALETTE.frame}" stroke-width="0.5"`));
    for (const kind of DRAW_ORDER) {
      for (const s of spans.filter((sp) => sp.kind === kind)) {
        // One address of a /16 is narrower than a pixel: every span stays at least visible.
        const left = x(s.firstIp);
        const w = Math.max(kind === 'gateway' ? 2 : 1.5, x(s.lastIp + 1) - left);
        const inset = kind === 'systemVm' || kind === 'router' || kind === 'publicUsed' ? 4 : 0;
        const what = `${s.label ?? kinds.find((k) => k.kind === kind)!.label}: ${formatIpv4(s.firstIp)}${s.lastIp > s.firstIp ? `–${formatIpv4(s.lastIp)} (${formatAmount(count(s.firstIp, s.lastIp))} addresses)` : ''}`;
        parts.push(`<g>${rect(left, barY + inset, w, BAR_HEIGHT_PX - 2 * inset, COLOUR.get(kind)!)}${tooltip(what)}</g>`);
      }
    }
    const axisY = barY + BAR_HEIGHT_PX + 2;
    parts.push(line(x0, axisY, x1, axisY, PALETTE.muted));
    // The ends are always labelled with their addresses; inner ticks near the end would collide.
    const offsets = [0, ...scaleLinear().domain([0, size]).ticks(8).filter((t) => t > 0 && t < size * 0.93), size];
    for (const offset of offsets) {
      const tx = x(network + offset);
      parts.push(line(tx, axisY, tx, axisY + 4, PALETTE.muted));
      const label = offset === 0 ? formatIpv4(network) : offset === size ? formatIpv4(last) : `+${formatTick(offset)}`;
      parts.push(text(tx, axisY + 15, label, { sizePx: FONT_SMALL_PX, anchor: offset === 0 ? 'start' : offset === size ? 'end' : 'middle', fill: PALETTE.muted }));
    }
  });

  const axisNoteY = top + parsedRows.length * ROW_HEIGHT_PX + 4;
  parts.push(text(16, axisNoteY, 'Each bar spans its CIDR from the network address to the broadcast address, to scale; ticks are address offsets (addresses) from the network address.', { sizePx: FONT_SMALL_PX, fill: PALETTE.muted }));
  return svgDocument('ip-space', widthPx, axisNoteY + 16, title, `${parsedRows.length} CIDR(s): gateway, reserved system range, hosts, routers, ranges and free space, to scale.`, parts.join('\n'));
}

/** Consecutive addresses from the start of `ranges`, `amount` of them, as spans of `kind`. */
function fillFrom(ranges: readonly { first: number; last: number }[], amount: number, kind: IpSpanKind, label: string, skip = 0): IpSpan[] {
  const out: IpSpan[] = [];
  let toSkip = skip;
  let left = amount;
  for (const r of ranges) {
    const size = count(r.first, r.last);
    if (toSkip >= size) {
      toSkip -= size;
      continue;
    }
    const first = r.first + toSkip;
    toSkip = 0;
    const take = Math.min(left, r.last - first + 1);
    if (take <= 0) break;
    out.push({ kind, first: formatIpv4(first), last: formatIpv4(first + take - 1), label });
    left -= take;
  }
  return out;
}

function amountOf(report: PlanReport, kind: string, entityId: string, label: string): number {
  return report.budgets.find((b) => b.kind === kind && b.entityId === entityId)?.breakdown.find((l) => l.label === label)?.amount ?? 0;
}

/**
 * The planned cloud's IP space: each pod's CIDR with its gateway, reserved ranges (filled by the
 * system VMs and VMware/Hyper-V routers the plan puts there, from the first address), hosts,
 * management servers and the ranges inside it; then each zone's public ranges, filled by the
 * planned public IPs in range order. Where in a range CloudStack hands out an address is its own
 * choice; the fill shows how much, not which.
 */
export function ipSpaceFromPlan(report: PlanReport, state: CloudState): IpSpaceRow[] {
  const rows: IpSpaceRow[] = [];
  const zones = [...state.regions.keys()].flatMap((r) => zonesOf(state, r)).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const zone of zones) {
    const ranges = vlanIpRangesOf(state, zone.id);
    for (const pod of [...podsOf(state, zone.id)].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const reserved = pod.managementRanges.map((r) => ({ first: r.first, last: r.last }));
      const systemVms = amountOf(report, 'pod.reservedIps', pod.id, 'secondary storage and console proxy VMs');
      const routers = amountOf(report, 'pod.reservedIps', pod.id, 'routers on VMware/Hyper-V (control NIC)');
      const hosts = [...state.hosts.values()].filter((h) => h.podId === pod.id).sort((a, b) => a.ip - b.ip);
      const servers = [...state.managementServers.values()].filter((m) => m.hostId === undefined && cidrContainsIp(pod.cidr, m.ip));
      rows.push({
        label: `zone ${zone.name} pod ${pod.name}`,
        cidr: formatCidr(pod.cidr),
        spans: [
          { kind: 'gateway', first: formatIpv4(pod.gateway), last: formatIpv4(pod.gateway) },
          ...reserved.map((r): IpSpan => ({ kind: 'reserved', first: formatIpv4(r.first), last: formatIpv4(r.last) })),
          ...fillFrom(reserved, systemVms, 'systemVm', 'system VMs'),
          ...fillFrom(reserved, routers, 'router', 'routers', systemVms),
          ...hosts.map((h): IpSpan => ({ kind: 'host', first: formatIpv4(h.ip), last: formatIpv4(h.ip), label: `host ${h.name}` })),
          ...servers.map((m): IpSpan => ({ kind: 'host', first: formatIpv4(m.ip), last: formatIpv4(m.ip), label: `management server ${m.name}` })),
          ...ranges.filter((r) => r.podId === pod.id).map((r): IpSpan => ({ kind: 'guest', first: formatIpv4(r.first), last: formatIpv4(r.last) })),
          ...storageRangesOf(state, pod.id).filter((r) => cidrContainsIp(pod.cidr, r.first)).map((r): IpSpan => ({ kind: 'storage', first: formatIpv4(r.first), last: formatIpv4(r.last) })),
        ],
      });
    }
    const publicRanges = ranges.filter((r) => r.purpose === 'Public').sort((a, b) => a.first - b.first);
    let publicLeft = report.budgets.find((b) => b.kind === 'zone.publicIps' && b.entityId === zone.id)?.demand ?? 0;
    // Ranges in one CIDR share a row; each CIDR gets its own.
    const byCidr = new Map<string, { cidr: Cidr; vlan: string; ranges: typeof publicRanges }>();
    for (const r of publicRanges) {
      const key = formatCidr(r.cidr);
      const entry = byCidr.get(key) ?? { cidr: r.cidr, vlan: r.vlan === 'untagged' ? 'untagged' : `VLAN ${r.vlan}`, ranges: [] };
      entry.ranges.push(r);
      byCidr.set(key, entry);
    }
    for (const { cidr, vlan, ranges: inCidr } of byCidr.values()) {
      const used = Math.min(publicLeft, inCidr.reduce((sum, r) => sum + count(r.first, r.last), 0));
      publicLeft -= used;
      rows.push({
        label: `zone ${zone.name} public (${vlan})`,
        cidr: formatCidr(cidr),
        spans: [
          { kind: 'gateway', first: formatIpv4(inCidr[0]!.gateway), last: formatIpv4(inCidr[0]!.gateway) },
          ...inCidr.map((r): IpSpan => ({ kind: 'public', first: formatIpv4(r.first), last: formatIpv4(r.last) })),
          ...fillFrom(inCidr, used, 'publicUsed', 'public IPs planned'),
        ],
      });
    }
  }
  return rows;
}
