import { scaleLinear } from 'd3-scale';
import { line as linePath } from 'd3-shape';
import { DAY_MS } from '../../simulator/distributions.js';
import { calendarDate, type Forecast, type ForecastDate, type ForecastSeries } from '../../simulator/forecast.js';
import { axisBottom, axisLeft, clip, emptyChart, FONT_SMALL_PX, formatPercent, legend, line, PALETTE, px, seriesColour, svgDocument, text, tooltip } from './svg.js';

/**
 * The forecast chart: one line per resource (its share of capacity over virtual time), the 0.75
 * notification and 0.85 disable threshold lines, and a marker with its date where a resource runs
 * out. Its input is the simulator's `Forecast` as `cloudplane simulate --format json` prints it.
 */
export interface ForecastChartOptions {
  widthPx?: number;
  title?: string;
  /** The most urgent resources drawn; the chart says how many more there are. */
  maxSeries?: number;
}

/** The threshold lines: CloudStack's default notification share and the forecasts' disable level. */
export const FORECAST_THRESHOLDS: readonly { share: number; label: string; colour: string }[] = [
  { share: 0.75, label: '0.75 notification', colour: PALETTE.warning },
  { share: 0.85, label: '0.85 disable', colour: PALETTE.limit },
];

const SCOPE: Readonly<Record<ForecastSeries['kind'], string>> = {
  'zone.cpu': 'zone',
  'zone.memory': 'zone',
  'cluster.cpu': 'cluster',
  'cluster.memory': 'cluster',
  'zone.primaryStorage': 'zone',
  'pool.storage': 'pool',
  'imageStore.storage': 'store',
  'pod.reservedIps': 'pod',
  'physicalNetwork.vnets': 'network',
  'zone.publicIps': 'zone',
};

function seriesLabel(s: Pick<ForecastSeries, 'kind' | 'name' | 'resource'>): string {
  return `${SCOPE[s.kind]} ${s.name} ${s.resource}`;
}

const later = (at: ForecastDate | null): number => at?.atMs ?? Infinity;

/** Most urgent first: exhaustion, then disable, then notification date, then the highest peak. */
export function byUrgency(series: readonly ForecastSeries[]): ForecastSeries[] {
  return series
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) =>
        later(a.s.crossings.exhaustion) - later(b.s.crossings.exhaustion) ||
        later(a.s.crossings.disable) - later(b.s.crossings.disable) ||
        later(a.s.crossings.notification) - later(b.s.crossings.notification) ||
        (b.s.peakShare ?? 0) - (a.s.peakShare ?? 0) ||
        a.i - b.i,
    )
    .map(({ s }) => s);
}

export function forecastChart(forecast: Forecast, options: ForecastChartOptions = {}): string {
  const widthPx = options.widthPx ?? 960;
  const title = options.title ?? 'Forecast: share of capacity in use over time';
  const maxSeries = options.maxSeries ?? 8;
  const measured = forecast.series.filter((s) => s.shares.some((v) => v !== null));
  if (measured.length === 0 || forecast.timesMs.length === 0) return emptyChart('forecast', widthPx, title, 'No resource was measured: nothing to forecast.');
  const drawn = byUrgency(measured).slice(0, maxSeries);
  const hidden = measured.length - drawn.length;

  const legendBlock = legend(
    [
      ...drawn.map((s, i) => ({
        label: `${seriesLabel(s)}${s.crossings.exhaustion ? ` — runs out ${s.crossings.exhaustion.date}` : ` — peak ${formatPercent(s.peakShare ?? 0)}`}`,
        colour: seriesColour(i),
        shape: 'line' as const,
      })),
      ...FORECAST_THRESHOLDS.map((t) => ({ label: `${t.label} threshold`, colour: t.colour, shape: 'dashed' as const })),
      { label: 'runs out (exhaustion)', colour: PALETTE.text },
    ],
    16,
    46,
    widthPx - 32,
  );
  const left = 72;
  // Room right of the plot for the threshold labels, clear of the lines.
  const right = widthPx - 120;
  const top = 46 + legendBlock.heightPx + 16;
  const plotHeightPx = 300;
  const bottom = top + plotHeightPx;
  const peak = Math.max(1, ...drawn.map((s) => s.peakShare ?? 0));
  const x = scaleLinear().domain([0, forecast.horizonMs]).range([left, right]);
  const y = scaleLinear().domain([0, peak]).range([bottom, top]);
  const parts: string[] = [legendBlock.svg, axisLeft(y, left, 'share of capacity in use (%)', right - left, 5, formatPercent)];

  // Date ticks: whole days from the start date, so labels are calendar dates, not offsets.
  const days = forecast.horizonMs / DAY_MS;
  const dayScale = scaleLinear().domain([0, days]).range([left, right]);
  const dateAxis = axisBottom(dayScale, bottom, `date (virtual time from ${forecast.startDate}; ${forecast.timesMs.length} samples)`, Math.max(2, Math.floor((right - left) / 110)), (day) => calendarDate(forecast.startDate, day * DAY_MS));
  parts.push(dateAxis);

  for (const t of FORECAST_THRESHOLDS) {
    parts.push(line(left, y(t.share), right, y(t.share), t.colour, 'stroke-width="1.5" stroke-dasharray="6 4"'));
    parts.push(text(right + 6, y(t.share), t.label, { baseline: 'middle', sizePx: FONT_SMALL_PX, fill: t.colour }));
  }

  const path = linePath<[number, number | null]>()
    .defined((d) => d[1] !== null)
    .x((d) => x(d[0]))
    .y((d) => y(d[1] ?? 0))
    .digits(1);
  drawn.forEach((s, i) => {
    const points = forecast.timesMs.map((t, k): [number, number | null] => [t, s.shares[k] ?? null]);
    parts.push(`<g class="series"><path d="${path(points) ?? ''}" fill="none" stroke="${seriesColour(i)}" stroke-width="2"/>${tooltip(`${seriesLabel(s)}: peak ${formatPercent(s.peakShare ?? 0)} of ${s.capacity} ${s.unit}`)}</g>`);
  });

  // Exhaustion markers: a ring at the level and date; the first to run out also gets its date written.
  drawn.forEach((s, i) => {
    const at = s.crossings.exhaustion;
    if (!at) return;
    const cx = x(at.atMs);
    const cy = y(s.levels.exhaustion);
    parts.push(`<g class="exhaustion"><circle cx="${px(cx)}" cy="${px(cy)}" r="5" fill="${PALETTE.background}" stroke="${seriesColour(i)}" stroke-width="2.5"/>${tooltip(`${seriesLabel(s)} runs out ${at.date} (day ${at.day})`)}</g>`);
    if (forecast.firstToRunOut?.key === s.key) {
      parts.push(line(cx, cy + 6, cx, bottom, PALETTE.text, 'stroke-dasharray="2 2"'));
      parts.push(text(Math.min(cx + 6, right - 4), Math.max(top + 12, cy - 10), `first to run out: ${at.date}`, { anchor: cx + 200 > right ? 'end' : 'start', weight: 'bold', sizePx: FONT_SMALL_PX }));
    }
  });

  const notes: string[] = [];
  if (!forecast.firstToRunOut) {
    notes.push(
      forecast.projection
        ? `Nothing runs out by ${calendarDate(forecast.startDate, forecast.horizonMs)}; projected (${forecast.projection.basis}): ${forecast.projection.resource} of ${forecast.projection.name} around ${forecast.projection.date}.`
        : `Nothing runs out by ${calendarDate(forecast.startDate, forecast.horizonMs)}, and nothing is on a rising trend.`,
    );
  }
  if (hidden > 0) notes.push(`${hidden} less urgent resource(s) not drawn; the tables list every one.`);
  notes.forEach((note, i) => parts.push(text(16, bottom + 52 + i * 16, clip(note, 150), { sizePx: FONT_SMALL_PX, fill: PALETTE.muted })));
  const heightPx = bottom + 52 + notes.length * 16 + 4;
  return svgDocument('forecast', widthPx, heightPx, title, `${drawn.length} of ${measured.length} resources from ${forecast.startDate}, with the 0.75 and 0.85 thresholds and exhaustion markers.`, parts.join('\n'));
}
