import { format } from 'd3-format';
import type { ScaleLinear } from 'd3-scale';

/**
 * What every chart shares: escaping text for XML, fixed number formats, a palette, axes, a legend
 * and the SVG frame. Charts are strings, not DOM: the same function renders in a report, in the
 * web console and in a golden test, and equal inputs give equal bytes (no ids, no clock).
 */

/** Smallest font size used anywhere: text must stay readable when a report is printed. */
export const FONT_SMALL_PX = 11;
export const FONT_BODY_PX = 12;
export const FONT_TITLE_PX = 15;

export const PALETTE = {
  used: '#2b6cb0',
  reserved: '#dd6b20',
  free: '#a3c4e6',
  overProvisioned: '#ebe4f7',
  limit: '#c53030',
  warning: '#d69e2e',
  ok: '#38a169',
  text: '#1a202c',
  muted: '#4a5568',
  grid: '#cbd5e0',
  frame: '#a0aec0',
  background: '#ffffff',
} as const;

/** Colours for series (one per resource or per failure kind), in a fixed order. */
export const SERIES = ['#2b6cb0', '#dd6b20', '#38a169', '#805ad5', '#d53f8c', '#319795', '#718096', '#b7791f'] as const;

export function seriesColour(index: number): string {
  return SERIES[index % SERIES.length]!;
}

/** Colour of a utilization share (0..1 and beyond): green, amber past 0.75, red past 0.85 and when full. */
export function utilizationColour(utilization: number): string {
  if (!Number.isFinite(utilization) || utilization > 1) return '#9b2c2c';
  if (utilization > 0.85) return '#e53e3e';
  if (utilization > 0.75) return '#ed8936';
  if (utilization > 0.5) return '#ecc94b';
  if (utilization > 0) return '#68d391';
  return '#e2e8f0';
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'));
}

/** A coordinate with one decimal, never `-0`: float noise does not reach the output. */
export function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

const grouped = format(',.0f');
const oneDecimal = format(',.1f');
const si = format('.3~s');

/** Amounts for labels: whole numbers with thousands separators, one decimal below 10. */
export function formatAmount(value: number): string {
  if (!Number.isFinite(value)) return '∞';
  return Math.abs(value) < 10 && !Number.isInteger(value) ? oneDecimal(value) : grouped(value);
}

/** Axis ticks: short SI form (12k, 1.5M) so wide ranges fit under a narrow panel. */
export function formatTick(value: number): string {
  return Math.abs(value) < 1000 ? formatAmount(value) : si(value);
}

export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '∞';
  return `${Math.round(share * 100)}%`;
}

export interface TextOptions {
  sizePx?: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'normal' | 'bold';
  fill?: string;
  /** Rotation in degrees about the text's anchor point. */
  rotateDeg?: number;
  baseline?: 'middle' | 'auto' | 'hanging';
}

export function text(x: number, y: number, content: string, options: TextOptions = {}): string {
  const size = Math.max(FONT_SMALL_PX, options.sizePx ?? FONT_BODY_PX);
  const attributes = [
    `x="${px(x)}"`,
    `y="${px(y)}"`,
    `font-size="${size}"`,
    options.anchor && options.anchor !== 'start' ? `text-anchor="${options.anchor}"` : '',
    options.weight === 'bold' ? 'font-weight="bold"' : '',
    `fill="${options.fill ?? PALETTE.text}"`,
    options.baseline && options.baseline !== 'auto' ? `dominant-baseline="${options.baseline}"` : '',
    options.rotateDeg ? `transform="rotate(${options.rotateDeg} ${px(x)} ${px(y)})"` : '',
  ].filter((a) => a !== '');
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, extra = ''): string {
  return `<rect x="${px(x)}" y="${px(y)}" width="${px(Math.max(0, width))}" height="${px(Math.max(0, height))}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra = ''): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}"${extra ? ` ${extra}` : ''}/>`;
}

/** A hover tooltip; browsers show it, printers ignore it. */
export function tooltip(content: string): string {
  return `<title>${escapeXml(content)}</title>`;
}

/** A bottom axis: ticks from the scale, a baseline, and a label with its unit, centred below. */
export function axisBottom(scale: ScaleLinear<number, number>, y: number, label: string, tickCount = 5, tickFormat: (v: number) => string = formatTick): string {
  const [x0, x1] = scale.range() as [number, number];
  const parts = [line(x0, y, x1, y, PALETTE.muted)];
  for (const tick of scale.ticks(tickCount)) {
    const x = scale(tick);
    parts.push(line(x, y, x, y + 4, PALETTE.muted), text(x, y + 16, tickFormat(tick), { sizePx: FONT_SMALL_PX, anchor: 'middle', fill: PALETTE.muted }));
  }
  // A stack of small axes (one per row) shares one unit, written once: those pass no label.
  if (label !== '') parts.push(text((x0 + x1) / 2, y + 32, label, { anchor: 'middle' }));
  return `<g class="axis axis-x">${parts.join('')}</g>`;
}

/** A left axis with horizontal grid lines across `gridWidth`, and a rotated label with its unit. */
export function axisLeft(scale: ScaleLinear<number, number>, x: number, label: string, gridWidth: number, tickCount = 5, tickFormat: (v: number) => string = formatTick): string {
  const [y0, y1] = scale.range() as [number, number];
  const parts = [line(x, y0, x, y1, PALETTE.muted)];
  for (const tick of scale.ticks(tickCount)) {
    const y = scale(tick);
    parts.push(line(x, y, x + gridWidth, y, PALETTE.grid, 'stroke-dasharray="2 3"'), line(x - 4, y, x, y, PALETTE.muted));
    parts.push(text(x - 7, y, tickFormat(tick), { sizePx: FONT_SMALL_PX, anchor: 'end', fill: PALETTE.muted, baseline: 'middle' }));
  }
  parts.push(text(x - 48, (y0 + y1) / 2, label, { anchor: 'middle', rotateDeg: -90 }));
  return `<g class="axis axis-y">${parts.join('')}</g>`;
}

export interface LegendItem {
  label: string;
  colour: string;
  /** A swatch is a filled square; a line entry is a stroke (thresholds, markers). */
  shape?: 'swatch' | 'line' | 'dashed';
}

/** A one-row legend from `x`, wrapping at `maxWidth`; returns the SVG and the height it takes. */
export function legend(items: readonly LegendItem[], x: number, y: number, maxWidth: number): { svg: string; heightPx: number } {
  const parts: string[] = [];
  let cx = x;
  let cy = y;
  for (const item of items) {
    // Width from the character count: no font metrics without a DOM, so this errs wide.
    const width = 18 + item.label.length * 5.9 + 18;
    if (cx > x && cx + width > x + maxWidth) {
      cx = x;
      cy += 18;
    }
    const shape = item.shape ?? 'swatch';
    parts.push(
      shape === 'swatch'
        ? rect(cx, cy - 5, 12, 12, item.colour, `stroke="${PALETTE.frame}" stroke-width="0.5"`)
        : line(cx, cy + 1, cx + 14, cy + 1, item.colour, `stroke-width="2"${shape === 'dashed' ? ' stroke-dasharray="4 3"' : ''}`),
    );
    parts.push(text(cx + 18, cy + 1, item.label, { sizePx: FONT_SMALL_PX, baseline: 'middle' }));
    cx += width;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, heightPx: cy - y + 18 };
}

/** The SVG frame: size, an accessible title and description, a background and the title line. */
export function svgDocument(chart: string, widthPx: number, heightPx: number, title: string, description: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${chart}" width="${px(widthPx)}" height="${px(heightPx)}" viewBox="0 0 ${px(widthPx)} ${px(heightPx)}" font-family="sans-serif" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<desc>${escapeXml(description)}</desc>`,
    rect(0, 0, widthPx, heightPx, PALETTE.background),
    text(16, 24, title, { sizePx: FONT_TITLE_PX, weight: 'bold' }),
    body,
    '</svg>',
    '',
  ].join('\n');
}

/** A chart with nothing to draw still renders, and says why. */
export function emptyChart(chart: string, widthPx: number, title: string, reason: string): string {
  return svgDocument(chart, widthPx, 80, title, reason, text(16, 54, reason, { fill: PALETTE.muted }));
}

/** Shortens a label to `maxChars`, ending in an ellipsis, so long names never overlap a bar. */
export function clip(label: string, maxChars: number): string {
  return label.length <= maxChars ? label : `${label.slice(0, Math.max(1, maxChars - 1))}…`;
}
