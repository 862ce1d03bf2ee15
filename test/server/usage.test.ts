/**
 * Usage over HTTP: listUsageRecords cuts each resource's billable time into daily windows
 * (usage.stats.job.aggregation.range), running and allocated VM time apart, volumes with their
 * size, public addresses with their source NAT flag; filters by type, usage id and account;
 * refuses bad ranges; keeps a tenant out; and rebuilds the same records after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Served, serve, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

const HOUR_MS = 3_600_000;

let cloud: Served | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function setUp() {
  cloud = await serve();
  const state = cloud.runtime.state;
  const admin = new SignedClient(cloud.url, cloud.admin);
  const ids = {
    zoneid: [...state.zones.keys()][0]!,
    templateid: [...state.templates.values()].find((t) => t.name === 'ubuntu-22.04')!.id,
    serviceofferingid: [...state.serviceOfferings.values()].find((o) => o.name === 'plain-4g')!.id,
  };
  return { served: cloud, admin, ids };
}

async function finished(client: SignedClient, reply: Obj): Promise<Obj> {
  const job = await client.ok('queryAsyncJobResult', { jobid: reply.jobid as string });
  expect(job.jobstatus).toBe(1);
  return job.jobresult as Obj;
}

function lines(records: Obj[] | undefined): string[] {
  return (records ?? []).map((r) => `${r.usagetype} ${r.name} ${r.startdate}..${r.enddate} ${r.usage} ${r.rawusage}`);
}

describe('listUsageRecords', () => {
  it('cuts running and allocated time into daily windows, and ends each at stop, destroy or release', async () => {
    const { served, admin, ids } = await setUp();
    // Deployed at 2026-01-01 12:00 UTC, stopped 36 h later, destroyed 12 h after that.
    const vm = (await finished(admin, await admin.ok('deployVirtualMachine', { ...ids, name: 'web' }))).virtualmachine as Obj;
    served.time.advanceBy(36 * HOUR_MS);
    await finished(admin, await admin.ok('stopVirtualMachine', { id: vm.id as string }));
    served.time.advanceBy(12 * HOUR_MS);
    await finished(admin, await admin.ok('destroyVirtualMachine', { id: vm.id as string }));

    const running = (await admin.ok('listUsageRecords', { startdate: '2026-01-01', enddate: '2026-01-03', type: '1' })).usagerecord as Obj[];
    expect(lines(running)).toEqual([
      '1 web 2026-01-01T00:00:00+0000..2026-01-01T23:59:59+0000 12 Hrs 12',
      '1 web 2026-01-02T00:00:00+0000..2026-01-02T23:59:59+0000 24 Hrs 24',
    ]);
    expect(running[0]).toMatchObject({ virtualmachineid: vm.id, usageid: vm.id, offeringid: ids.serviceofferingid, templateid: ids.templateid, type: 'KVM', cpunumber: 2, memory: 4096, accountid: served.admin.accountId, zoneid: ids.zoneid });
    expect(running[0]!.description).toBe(`web running time (ServiceOffering: ${ids.serviceofferingid}) (Template: ${ids.templateid})`);

    // Allocated until the destroy at 2026-01-03 12:00; the range stops at the present.
    const allocated = (await admin.ok('listUsageRecords', { startdate: '2026-01-01', enddate: '2026-01-05', type: '2' })).usagerecord as Obj[];
    expect(lines(allocated).map((l) => l.split(' ').slice(-3).join(' '))).toEqual(['12 Hrs 12', '24 Hrs 24', '12 Hrs 12']);

    // The root volume is still there (it goes at expunge): billed up to now, with its size.
    const volumes = (await admin.ok('listUsageRecords', { startdate: '2026-01-03', enddate: '2026-01-03', type: '6' })).usagerecord as Obj[];
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toMatchObject({ usagetype: 6, usage: '12 Hrs', type: 'ROOT', virtualmachineid: vm.id, enddate: '2026-01-03T11:59:59+0000' });
    expect(volumes[0]!.size).toBeGreaterThan(0);

    // A window shorter than the day: part of an hour, with the hours as CloudStack writes them.
    const partial = (await admin.ok('listUsageRecords', { startdate: '2026-01-02 10:00:00', enddate: '2026-01-02 10:09:00', type: '1' })).usagerecord as Obj[];
    expect(lines(partial)).toEqual(['1 web 2026-01-02T10:00:00+0000..2026-01-02T10:09:00+0000 0.15 Hrs 0.15']);
  });

  it('bills public addresses with their source NAT flag and filters by usage id and account', async () => {
    const { served, admin, ids } = await setUp();
    const created = (await admin.ok('createAccount', { username: 'dora', password: 'pw-dora', email: 'd@example.com', firstname: 'D', lastname: 'T', account: 'dora-co', accounttype: '0' })).account as Obj;
    const keys = (await admin.ok('registerUserKeys', { id: ((created.user as Obj[])[0]!).id as string })).userkeys as Obj;
    const dora = new SignedClient(served.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });
    const offering = ((await dora.ok('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })).networkoffering as Obj[])[0]!;
    const network = (await dora.ok('createNetwork', { name: 'dora-net', displaytext: 'd', networkofferingid: offering.id as string, zoneid: ids.zoneid })).network as Obj;
    await finished(dora, await dora.ok('deployVirtualMachine', { ...ids, networkids: network.id as string, name: 'dora-vm' }));
    const ip = (await finished(dora, await dora.ok('associateIpAddress', { networkid: network.id as string }))).ipaddress as Obj;
    served.time.advanceBy(6 * HOUR_MS);
    await finished(dora, await dora.ok('disassociateIpAddress', { id: ip.id as string }));
    served.time.advanceBy(6 * HOUR_MS);

    const addresses = (await admin.ok('listUsageRecords', { startdate: '2026-01-01', enddate: '2026-01-02', type: '3', account: 'dora-co' })).usagerecord as Obj[];
    expect(addresses.map((r) => `${r.issourcenat} ${r.usage}`).sort()).toEqual(['false 6 Hrs', 'true 12 Hrs']);
    const one = (await admin.ok('listUsageRecords', { startdate: '2026-01-01', enddate: '2026-01-02', type: '3', usageid: ip.id as string })).usagerecord as Obj[];
    expect(one.map((r) => [r.name, r.description, r.networkid])).toEqual([[ip.ipaddress, `IPAddress: ${ip.ipaddress as string}`, network.id]]);
    // The network itself is billed to its owner; the admin's own VM is not dora's.
    const doras = (await admin.ok('listUsageRecords', { startdate: '2026-01-01', enddate: '2026-01-02', accountid: created.id as string })).usagerecord as Obj[];
    expect(new Set(doras.map((r) => r.account))).toEqual(new Set(['dora-co']));
    expect(new Set(doras.map((r) => r.usagetype))).toEqual(new Set([1, 2, 3, 6, 30]));

    // A tenant may not read usage, as in CloudStack.
    const refused = await dora.get('listUsageRecords', { startdate: '2026-01-01', enddate: '2026-01-02' });
    expect(refused.status).toBe(401);

    // After a restart the replayed log gives the same records.
    const before = await admin.ok('listUsageRecords', { startdate: '2026-01-01', enddate: '2026-01-02' });
    cloud = await served.restart();
    const again = new SignedClient(cloud.url, cloud.admin);
    expect(await again.ok('listUsageRecords', { startdate: '2026-01-01', enddate: '2026-01-02' })).toEqual(before);
  });

  it('refuses a missing or reversed range, a usage id without its type, and an unknown type', async () => {
    const { admin } = await setUp();
    const error = async (params: Record<string, string>) => {
      const r = await admin.get('listUsageRecords', params);
      return [r.status, (r.body.listusagerecordsresponse as Obj).errortext];
    };
    expect(await error({ startdate: '2026-01-01' })).toEqual([431, 'Unable to execute API command listusagerecords due to missing parameter enddate']);
    expect((await error({ startdate: '2026-01-03', enddate: '2026-01-01' }))[0]).toBe(431);
    expect(await error({ startdate: '2026-01-01', enddate: '2026-01-02', usageid: 'x' })).toEqual([431, 'Usageid must be specified together with usageType']);
    expect(await error({ startdate: '2026-01-01', enddate: '2026-01-02', type: '99' })).toEqual([431, 'Unsupported usage type: 99']);
  });

  it('lists the usage types with their numbers', async () => {
    const { admin } = await setUp();
    const types = (await admin.ok('listUsageTypes')).usagetype as Obj[];
    expect(types.slice(0, 3)).toEqual([
      { usagetypeid: 1, name: 'RUNNING_VM', description: 'Running Vm Usage' },
      { usagetypeid: 2, name: 'ALLOCATED_VM', description: 'Allocated Vm Usage' },
      { usagetypeid: 3, name: 'IP_ADDRESS', description: 'IP Address Usage' },
    ]);
    expect(types.map((t) => t.usagetypeid)).toContain(31);
  });
});
