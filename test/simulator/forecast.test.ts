/**
 * Forecasts read from hand-made samples: a catalog of one zone (two clusters, a pool, an image
 * store, a pod, a physical network, public IPs) and five daily samples whose shares are chosen so
 * every crossing date, the first resource to run out and the projection are known exactly.
 */
import { describe, expect, it } from 'vitest';
import { calendarDate, firstCrossingMs, forecast, nearestRank, summarizeRuns, trendSlopePerMs, UNGATED_DISABLE_LEVEL, type Forecast } from '../../simulator/forecast.js';
import type { ResourceCatalog, Sample } from '../../simulator/metrics.js';

const DAY = 86_400_000;

const catalog: ResourceCatalog = {
  zones: [{ id: 'z1', name: 'zone1', publicIpsTotal: 10, publicIpsNotificationThreshold: 0.75 }],
  pods: [{ id: 'p1', name: 'pod1', zoneId: 'z1', reservedIpsTotal: 20, reservedIpsNotificationThreshold: 0.75 }],
  clusters: [
    { id: 'c1', name: 'c1', zoneId: 'z1', podId: 'p1', hosts: 2, cpuCapacityMhz: 10_000, memoryCapacityMiB: 100_000, cpuNotificationThreshold: 0.75, cpuDisableThreshold: 0.85, memoryNotificationThreshold: 0.75, memoryDisableThreshold: 0.85 },
    { id: 'c2', name: 'c2', zoneId: 'z1', podId: 'p1', hosts: 2, cpuCapacityMhz: 10_000, memoryCapacityMiB: 100_000, cpuNotificationThreshold: 0.75, cpuDisableThreshold: 0.9, memoryNotificationThreshold: 0.75, memoryDisableThreshold: 0.85 },
  ],
  physicalNetworks: [{ id: 'n1', name: 'phys1', zoneId: 'z1', isolationMethod: 'VLAN', vnetsTotal: 100, vnetsNotificationThreshold: 0.75 }],
  storagePools: [{ id: 's1', name: 'nfs1', zoneId: 'z1', scope: 'CLUSTER', capacityGiB: 500, overprovisioningFactor: 2, notificationThreshold: 0.75, disableThreshold: 0.85 }],
  imageStores: [{ id: 'i1', name: 'sec1', zoneId: 'z1', capacityGiB: 1000, notificationThreshold: 0.75, disableThreshold: 0.9 }],
  requests: { cpuMhz: { smallest: 100, largest: 500 }, memoryMiB: { smallest: 1000, largest: 4000 }, volumeGiB: { smallest: 10, largest: 50 } },
};

interface Day {
  c1CpuMhz: number;
  c2CpuMhz?: number;
  publicIps: number;
  poolGiB?: number;
  rejected?: Record<string, number>;
}

function sample(day: number, d: Day): Sample {
  const c2 = d.c2CpuMhz ?? 1000;
  const rejected = Object.values(d.rejected ?? {}).reduce((a, b) => a + b, 0);
  return {
    atMs: day * DAY,
    vms: { Running: 10 + day },
    systemVms: {},
    deploys: { accepted: 5, rejected, rejectedByCode: d.rejected ?? {}, rejectedByReason: Object.fromEntries(Object.entries(d.rejected ?? {}).map(([code, n]) => [`reason of ${code}`, n])) },
    refusedWhileManagementDown: 0,
    managementUp: true,
    hostsDown: 0,
    clusters: {
      cpuAllocatedMhz: [d.c1CpuMhz, c2],
      memoryAllocatedMiB: [20_000, 20_000],
      cpuCapacityMhz: [10_000, 10_000],
      memoryCapacityMiB: [100_000, 100_000],
      hostsUp: [2, 2],
    },
    pods: { reservedIpsInUse: [4] },
    physicalNetworks: { vnetsInUse: [30] },
    zones: { publicIpsInUse: [d.publicIps] },
    storagePools: { allocatedGiB: [d.poolGiB ?? 100] },
    imageStores: { usedGiB: [50] },
  };
}

/** c1's CPU crosses every level; public IPs fill up on day 4; everything else stays flat. */
const filling: Sample[] = [
  sample(0, { c1CpuMhz: 5000, publicIps: 5 }),
  sample(1, { c1CpuMhz: 7000, publicIps: 6 }),
  sample(2, { c1CpuMhz: 7600, publicIps: 7, rejected: { RESOURCE_LIMIT_EXCEEDED: 2 } }),
  sample(3, { c1CpuMhz: 8200, publicIps: 8, rejected: { INSUFFICIENT_CAPACITY: 1, RESOURCE_LIMIT_EXCEEDED: 1 } }),
  sample(4, { c1CpuMhz: 8500, publicIps: 10, rejected: { INSUFFICIENT_CAPACITY: 3 } }),
];

const series = (f: Forecast, key: string): Forecast['series'][number] => {
  const found = f.series.find((s) => s.key === key);
  expect(found, key).toBeDefined();
  return found!;
};

describe('forecast of hand-made samples', () => {
  const f = forecast({ catalog, samples: filling });

  it('builds one series per resource, zone aggregates first, in a stable order', () => {
    expect(f.series.map((s) => s.key)).toEqual([
      'zone.cpu/zone1/zone1',
      'zone.memory/zone1/zone1',
      'cluster.cpu/zone1/c1',
      'cluster.memory/zone1/c1',
      'cluster.cpu/zone1/c2',
      'cluster.memory/zone1/c2',
      'zone.primaryStorage/zone1/zone1',
      'pool.storage/zone1/nfs1',
      'imageStore.storage/zone1/sec1',
      'pod.reservedIps/zone1/pod1',
      'physicalNetwork.vnets/zone1/phys1',
      'zone.publicIps/zone1/zone1',
    ]);
    expect(f.timesMs).toEqual([0, DAY, 2 * DAY, 3 * DAY, 4 * DAY]);
    expect(f.runningVms).toEqual([10, 11, 12, 13, 14]);
    expect(f.horizonMs).toBe(4 * DAY);
    expect(f.startDate).toBe('2026-01-01');
  });

  it('reads the levels of a gated cluster: the disable threshold less the largest and the smallest request', () => {
    const c1 = series(f, 'cluster.cpu/zone1/c1');
    // 0.85 - 500/10,000 and 0.85 - 100/10,000
    expect(c1.levels).toEqual({ notification: 0.75, disable: 0.8, exhaustion: 0.84 });
    expect(c1.shares).toEqual([0.5, 0.7, 0.76, 0.82, 0.85]);
    expect(c1.capacity).toBe(10_000);
    // c2's own disable threshold (0.9) is used.
    expect(series(f, 'cluster.cpu/zone1/c2').levels).toEqual({ notification: 0.75, disable: 0.85, exhaustion: 0.89 });
  });

  it('dates each threshold crossing by interpolating between samples', () => {
    const c1 = series(f, 'cluster.cpu/zone1/c1');
    // 0.75 lies 5/6 of the way from 0.70 (day 1) to 0.76 (day 2).
    expect(c1.crossings.notification).toEqual({ atMs: 158_400_000, day: 1, date: '2026-01-02' });
    // 0.80 lies 2/3 of the way from 0.76 (day 2) to 0.82 (day 3).
    expect(c1.crossings.disable).toEqual({ atMs: 230_400_000, day: 2, date: '2026-01-03' });
    // 0.84 lies 2/3 of the way from 0.82 (day 3) to 0.85 (day 4).
    expect(c1.crossings.exhaustion).toEqual({ atMs: 316_800_000, day: 3, date: '2026-01-04' });
    expect(c1.peakShare).toBe(0.85);
    expect(c1.lastShare).toBe(0.85);
  });

  it('uses 0.85 as the disable level and 1 as exhaustion for addresses', () => {
    const ips = series(f, 'zone.publicIps/zone1/zone1');
    expect(ips.levels).toEqual({ notification: 0.75, disable: UNGATED_DISABLE_LEVEL, exhaustion: 1 });
    expect(ips.shares).toEqual([0.5, 0.6, 0.7, 0.8, 1]);
    // 0.75 halfway from day 2 to day 3; 0.85 a quarter from day 3 to day 4; 1 on day 4.
    expect(ips.crossings.notification?.atMs).toBe(2.5 * DAY);
    expect(ips.crossings.disable?.atMs).toBe(3.25 * DAY);
    expect(ips.crossings.exhaustion).toEqual({ atMs: 4 * DAY, day: 4, date: '2026-01-05' });
  });

  it('aggregates a zone over its clusters, with capacity-weighted levels', () => {
    const zone = series(f, 'zone.cpu/zone1/zone1');
    expect(zone.capacity).toBe(20_000);
    expect(zone.levels).toEqual({ notification: 0.75, disable: 0.825, exhaustion: 0.865 });
    expect(zone.shares).toEqual([0.3, 0.4, 0.43, 0.46, 0.475]);
    expect(zone.crossings).toEqual({ notification: null, disable: null, exhaustion: null });
  });

  it('measures primary storage against the over-provisioned capacity', () => {
    const pool = series(f, 'pool.storage/zone1/nfs1');
    expect(pool.capacity).toBe(1000);
    expect(pool.levels).toEqual({ notification: 0.75, disable: 0.8, exhaustion: 0.84 });
    expect(pool.shares[0]).toBe(0.1);
    const store = series(f, 'imageStore.storage/zone1/sec1');
    expect(store.levels).toEqual({ notification: 0.75, disable: 0.9, exhaustion: 0.9 });
  });

  it('names the earliest exhaustion as the first to run out', () => {
    expect(f.firstToRunOut).toEqual({ key: 'cluster.cpu/zone1/c1', kind: 'cluster.cpu', zone: 'zone1', name: 'c1', resource: 'allocated CPU', atMs: 316_800_000, day: 3, date: '2026-01-04' });
    expect(f.projection).toBeNull();
  });

  it('counts refused deploys per sample, by code and by reason, most frequent first', () => {
    expect(f.deploys.accepted).toEqual([5, 5, 5, 5, 5]);
    expect(f.deploys.rejected).toEqual([0, 0, 2, 2, 3]);
    expect(f.deploys.rejectedByCode).toEqual({ INSUFFICIENT_CAPACITY: [0, 0, 0, 1, 3], RESOURCE_LIMIT_EXCEEDED: [0, 0, 2, 1, 0] });
    expect(Object.keys(f.deploys.rejectedByCode)).toEqual(['INSUFFICIENT_CAPACITY', 'RESOURCE_LIMIT_EXCEEDED']);
    expect(f.deploys.rejectedByReason).toEqual({ 'reason of INSUFFICIENT_CAPACITY': [0, 0, 0, 1, 3], 'reason of RESOURCE_LIMIT_EXCEEDED': [0, 0, 2, 1, 0] });
    expect(f.deploys.totals).toEqual({ accepted: 25, rejected: 7, byCode: { INSUFFICIENT_CAPACITY: 4, RESOURCE_LIMIT_EXCEEDED: 3 }, byReason: { 'reason of INSUFFICIENT_CAPACITY': 4, 'reason of RESOURCE_LIMIT_EXCEEDED': 3 } });
    expect(f.deploys.firstRejection).toEqual({ atMs: 2 * DAY, day: 2, date: '2026-01-03' });
    expect(f.deploys.firstCapacityRefusal).toEqual({ atMs: 3 * DAY, day: 3, date: '2026-01-04' });
  });

  it('counts dates from the start date it is given', () => {
    const march = forecast({ catalog, samples: filling }, { startDate: '2026-02-27' });
    expect(march.firstToRunOut?.date).toBe('2026-03-02');
    expect(calendarDate('2028-02-28', DAY)).toBe('2028-02-29');
    expect(calendarDate('2026-12-31', DAY)).toBe('2027-01-01');
  });

  it('is the same for the same input', () => {
    expect(JSON.stringify(forecast({ catalog, samples: filling }))).toBe(JSON.stringify(f));
  });
});

describe('when nothing runs out within the horizon', () => {
  // Public IPs rise by one a day (0.1 of the range); everything else is flat.
  const rising = [0, 1, 2, 3, 4].map((day) => sample(day, { c1CpuMhz: 5000, publicIps: 2 + day }));
  const f = forecast({ catalog, samples: rising });

  it('says so, and projects the first exhaustion past the horizon from the rising trend', () => {
    expect(f.firstToRunOut).toBeNull();
    const ips = series(f, 'zone.publicIps/zone1/zone1');
    expect(ips.trendPerDay).toBe(0.1);
    // From 0.6 on day 4, 0.1 a day reaches 1 on day 8.
    expect(ips.projectedExhaustion).toEqual({ atMs: 8 * DAY, day: 8, date: '2026-01-09' });
    expect(f.projection).toEqual({ key: 'zone.publicIps/zone1/zone1', kind: 'zone.publicIps', zone: 'zone1', name: 'zone1', resource: 'public IPs', atMs: 8 * DAY, day: 8, date: '2026-01-09', basis: 'linear trend of the second half of the run' });
  });

  it('projects nothing for flat series', () => {
    const c1 = series(f, 'cluster.cpu/zone1/c1');
    expect(c1.trendPerDay).toBe(0);
    expect(c1.projectedExhaustion).toBeNull();
  });

  it('gives no projection when nothing rises', () => {
    const flat = forecast({ catalog, samples: [0, 1, 2].map((day) => sample(day, { c1CpuMhz: 5000, publicIps: 5 })) });
    expect(flat.firstToRunOut).toBeNull();
    expect(flat.projection).toBeNull();
    expect(flat.deploys.firstRejection).toBeNull();
  });

  it('counts an exhaustion after the given horizon as beyond it', () => {
    const short = forecast({ catalog, samples: filling }, { horizonMs: 3 * DAY });
    expect(short.firstToRunOut).toBeNull();
    expect(series(short, 'cluster.cpu/zone1/c1').crossings.exhaustion?.atMs).toBe(316_800_000);
  });
});

describe('crossings and trends', () => {
  it('dates a series that starts at or above a level at its first sample, and skips gaps', () => {
    expect(firstCrossingMs([0, 10, 20], [0.9, 0.95, 1], 0.75)).toBe(0);
    expect(firstCrossingMs([0, 10, 20, 30], [0.5, null, 0.8, 0.9], 0.75)).toBe(20);
    expect(firstCrossingMs([0, 10], [0.5, 0.6], 0.75)).toBeNull();
    expect(firstCrossingMs([0, 100], [0.5, 1], 0.75)).toBe(50);
  });

  it('fits the trend to the second half of the run only', () => {
    // A ramp to 0.5 by day 2, then flat: the trend of days 2-4 is flat.
    expect(trendSlopePerMs([0, DAY, 2 * DAY, 3 * DAY, 4 * DAY], [0, 0.25, 0.5, 0.5, 0.5])).toBe(0);
    expect(trendSlopePerMs([0, DAY], [0, null])).toBeNull();
  });
});

describe('Monte Carlo summary', () => {
  const runAt = (days: number[]): Forecast => {
    const samples = [0, 1, 2, 3, 4].map((day) => sample(day, { c1CpuMhz: 5000, publicIps: days.includes(day) ? 10 : 5 }));
    return forecast({ catalog, samples });
  };

  it('gives nearest-rank percentiles of exhaustion dates and the share of runs each resource is first', () => {
    // Public IPs run out on day 2, 3 and 4 in three runs; never in the fourth.
    const runs = [runAt([3, 4]), runAt([2, 3, 4]), runAt([]), runAt([4])];
    const mc = summarizeRuns([7, 8, 9, 10], runs);
    expect(mc.seeds).toEqual([7, 8, 9, 10]);
    expect(mc.resources).toHaveLength(1);
    const ips = mc.resources[0]!;
    expect(ips.key).toBe('zone.publicIps/zone1/zone1');
    expect(ips.exhaustedRuns).toBe(3);
    // Sorted: day 2, 3, 4, never. p10 is the 1st of 4 (ceil 0.4), p50 the 2nd, p90 the 4th.
    expect(ips.exhaustion.p10).toEqual({ atMs: 2 * DAY, day: 2, date: '2026-01-03' });
    expect(ips.exhaustion.p50).toEqual({ atMs: 3 * DAY, day: 3, date: '2026-01-04' });
    expect(ips.exhaustion.p90).toBeNull();
    expect(ips.firstRuns).toBe(3);
    expect(ips.firstShare).toBe(0.75);
    expect(mc.noExhaustionRuns).toBe(1);
    expect(mc.noExhaustionShare).toBe(0.25);
    expect(mc.firstCapacityRefusal).toEqual({ p10: null, p50: null, p90: null });
  });

  it('ranks by nearest rank', () => {
    expect(nearestRank([1, 2, 3], 0.1)).toBe(1);
    expect(nearestRank([1, 2, 3], 0.5)).toBe(2);
    expect(nearestRank([1, 2, 3], 0.9)).toBe(3);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank([], 0.5)).toBeUndefined();
  });
});
