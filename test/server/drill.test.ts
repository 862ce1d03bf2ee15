/**
 * runDrill, the cloudplane extension the console's drill view calls: a host fails in a copy of
 * the served cloud, the simulator plays HA's answer out, and the reply says which VMs were
 * restarted where and which went down by design; the served cloud itself is not changed. Only
 * the root admin may call it, and a bad target is CloudStack's 431.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isZoneSystemVm, type VmKind } from '../../core/model/compute.js';
import { snapshotOf } from '../../core/model/snapshot.js';
import { type Served, serve, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

let cloud: Served;
let admin: SignedClient;

beforeAll(async () => {
  cloud = await serve();
  admin = new SignedClient(cloud.url, cloud.admin);
});

afterAll(async () => {
  await cloud.close();
});

function idOf<T extends { id: string; name: string }>(records: Iterable<T>, name: string): string {
  return [...records].find((r) => r.name === name)!.id;
}

describe('runDrill', () => {
  it('fails a host in a copy of the cloud: HA VMs restart on the other host, the others go down by design, nothing changes', async () => {
    const state = cloud.runtime.state;
    const zoneid = [...state.zones.keys()][0]!;
    const templateid = [...state.templates.keys()][0]!;
    for (const [name, offering] of [['web-1', 'ha-4g'], ['web-2', 'ha-4g'], ['batch-1', 'plain-4g']] as const) {
      await admin.ok('deployVirtualMachine', { zoneid, templateid, serviceofferingid: idOf(state.serviceOfferings.values(), offering), name });
    }
    const host1 = idOf(state.hosts.values(), 'host1');
    const userVmsOnHost1 = [...state.vms.values()].filter((v) => v.kind === 'User' && v.hostId === host1).map((v) => v.name).sort();
    expect(userVmsOnHost1).toEqual(['batch-1', 'web-1', 'web-2']);
    const before = JSON.stringify(snapshotOf(state));

    const drill = (await admin.ok('runDrill', { targettype: 'host', targetid: host1 })).drill as Obj;
    expect(drill).toMatchObject({ label: 'host host1', targettype: 'host', targetid: host1, targetname: 'host1', repairminutes: 120, settled: true, stranded: [] });
    const restarted = (drill.restarted as Obj[]).filter((r) => r.kind === 'User');
    expect(restarted.map((r) => [r.virtualmachinename, r.fromhost, r.tohost]).sort()).toEqual([
      ['web-1', 'host1', 'host2'],
      ['web-2', 'host1', 'host2'],
    ]);
    expect((drill.downwithoutha as Obj[]).filter((d) => d.kind === 'User').map((d) => [d.virtualmachinename, d.state])).toEqual([['batch-1', 'Stopped']]);
    // The zone's system VMs have no HA: their managers start them again on host2 at their next scan.
    const systemVms = (drill.restarted as Obj[]).filter((r) => isZoneSystemVm(r.kind as VmKind));
    expect(systemVms.map((r) => [r.virtualmachinename, r.fromhost, r.tohost]).sort()).toEqual([
      ['s-z1-1', 'host1', 'host2'],
      ['v-z1-1', 'host1', 'host2'],
    ]);
    expect(drill.replaced).toBe(0);
    expect(drill.vmsaffected as number).toBeGreaterThanOrEqual(3);
    expect(drill.timetorecoverseconds as number).toBeGreaterThan(0);

    expect(JSON.stringify(snapshotOf(cloud.runtime.state))).toBe(before);
    const listed = (await admin.ok('listVirtualMachines', { listall: 'true' })).virtualmachine as Obj[];
    expect(listed.filter((v) => v.state === 'Running').length).toBe(3);
  });

  it('runs a management server drill without a target, and is the same for the same seed', async () => {
    const first = (await admin.ok('runDrill', { targettype: 'management', repairminutes: '5' })).drill as Obj;
    expect(first).toMatchObject({ label: 'the management server', targettype: 'management', repairminutes: 5, settled: true });
    const again = (await admin.ok('runDrill', { targettype: 'management', repairminutes: '5' })).drill as Obj;
    expect(again).toEqual(first);
  });

  it('answers a bad target with 431 and a user with 401', async () => {
    const missing = await admin.get('runDrill', { targettype: 'cluster', targetid: '00000000-0000-4000-8000-000000000000' });
    expect([missing.status, (missing.body.rundrillresponse as Obj).errortext]).toEqual([431, 'Unable to find cluster with id 00000000-0000-4000-8000-000000000000']);
    const noTarget = await admin.get('runDrill', { targettype: 'host' });
    expect([noTarget.status, (noTarget.body.rundrillresponse as Obj).errortext]).toEqual([431, 'Unable to run the drill: targetid is needed for targettype host']);
    const created = (await admin.ok('createAccount', { username: 'dora', password: 'pw', email: 'd@example.com', firstname: 'D', lastname: 'R', account: 'doras' })).account as Obj;
    const keys = (await admin.ok('registerUserKeys', { id: ((created.user as Obj[])[0]!).id as string })).userkeys as Obj;
    const dora = new SignedClient(cloud.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });
    const refused = await dora.get('runDrill', { targettype: 'management' });
    expect([refused.status, (refused.body.rundrillresponse as Obj).errortext]).toEqual([401, "The given command 'runDrill' either does not exist, is not available for user."]);
  });
});
