/**
 * The HTML reports in a real browser, offline: `cloudplane plan|simulate|drill --format html`
 * writes a file; Chromium opens it from disk with every network request refused, and each chart
 * the command promises is drawn with a size on the page. A screenshot of each report lands in
 * test-output/browser/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, ROOT, SCREENSHOTS } from './support.js';

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'cloudplane-reports-'));
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeReport(name: string, args: string[]): string {
  const out = join(dir, `${name}.html`);
  const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), ...args, '--format', 'html', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  // 1 is a finding (something runs out, a failure strands VMs), not a failure to write the report.
  expect([0, 1], run.stderr).toContain(run.status);
  return out;
}

interface DrawnChart {
  chart: string;
  widthPx: number;
  heightPx: number;
  marks: number;
}

/** Opens the file with the network cut off; answers the charts as drawn and what was asked of the network. */
async function openOffline(file: string, screenshot: string): Promise<{ charts: DrawnChart[]; fetched: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, offline: true });
  const page = await context.newPage();
  const fetched: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    fetched.push(url);
    return route.abort();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(pathToFileURL(file).href);
  const charts = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const chart = [...svg.classList].find((c) => c.startsWith('chart-'))!.slice('chart-'.length);
      return { chart, widthPx: Math.round(box.width), heightPx: Math.round(box.height), marks: svg.querySelectorAll('rect, path, line, circle').length };
    }),
  );
  await page.screenshot({ path: join(SCREENSHOTS, screenshot), fullPage: true });
  await context.close();
  return { charts, fetched, errors };
}

function expectDrawn(charts: DrawnChart[], names: string[]): void {
  expect(charts.map((c) => c.chart)).toEqual(names);
  for (const c of charts) {
    expect(c.widthPx, c.chart).toBeGreaterThan(300);
    expect(c.heightPx, c.chart).toBeGreaterThan(100);
    expect(c.marks, c.chart).toBeGreaterThan(10);
  }
}

describe('an HTML report opened offline in Chromium', () => {
  it('of a plan draws the topology, capacity, IP space and VLAN charts and fetches nothing', async () => {
    const file = writeReport('plan', ['plan', join(ROOT, 'scenarios', 'large-redundant.yaml')]);
    const { charts, fetched, errors } = await openOffline(file, 'report-plan.png');
    expectDrawn(charts, ['topology', 'capacity', 'ip-space', 'vlan']);
    expect(fetched).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('of a simulation draws the forecast and the capacity at the end, and fetches nothing', async () => {
    const file = writeReport('simulate', ['simulate', join(ROOT, 'scenarios', 'large-redundant.yaml'), '--horizon', '90d']);
    const { charts, fetched, errors } = await openOffline(file, 'report-simulate.png');
    expectDrawn(charts, ['forecast', 'capacity']);
    expect(fetched).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('of a drill draws the impact of each failure and the capacity, and fetches nothing', async () => {
    const file = writeReport('drill', ['drill', join(ROOT, 'scenarios', 'drills', 'no-headroom.yaml'), '--n-minus-1']);
    const { charts, fetched, errors } = await openOffline(file, 'report-drill.png');
    expectDrawn(charts, ['drill', 'capacity']);
    expect(fetched).toEqual([]);
    expect(errors).toEqual([]);
  });
});
