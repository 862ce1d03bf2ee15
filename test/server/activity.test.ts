/**
 * Events, alerts and configuration over HTTP: listEvents and its filters (type, level, dates,
 * entry time and duration, keyword), listEventTypes; alerts raised when deploys push a cluster
 * past its CPU notification threshold and addresses push a zone past its public IP threshold,
 * once per crossing, with CloudStack's type numbers and subjects, the same after a restart, and
 * a host going down; listConfigurations globally and per cluster or zone, and updateConfiguration
 * with its value checks, including a cluster's CPU over-provisioning that lets more VMs in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../core/data/settings.js';
import { SYSTEM_CALLER } from '../../core/ports.js';
import { alertView, configurationView, eventTypeView } from '../../server/views/activity.js';
import type { ViewContext } from '../../server/views/view.js';
import { type Served, serve, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

const DAY_MS = 86_400_000;

let cloud: Served | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

interface World {
  served: Served;
  admin: SignedClient;
  zoneId: string;
  clusterId: string;
  templateId: string;
  offeringId: string;
}

async function world(options: { snapshotEveryBatches?: number } = {}): Promise<World> {
  cloud = await serve(options);
  const state = cloud.runtime.state;
  return {
    served: cloud,
    admin: new SignedClient(cloud.url, cloud.admin),
    zoneId: [...state.zones.keys()][0]!,
    clusterId: [...state.clusters.keys()][0]!,
    templateId: [...state.templates.values()].find((t) => t.name === 'ubuntu-22.04')!.id,
    offeringId: [...state.serviceOfferings.values()].find((o) => o.name === 'plain-4g')!.id,
  };
}

async function jobOf(client: SignedClient, reply: Obj): Promise<Obj> {
  return client.ok('queryAsyncJobResult', { jobid: reply.jobid as string });
}

async function deploy(w: World, name: string): Promise<Obj> {
  return jobOf(w.admin, await w.admin.ok('deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: w.offeringId, templateid: w.templateId, name }));
}

async function errorOf(client: SignedClient, command: string, params: Record<string, string> = {}): Promise<[number, string]> {
  const r = await client.get(command, params);
  return [r.status, (r.body[`${command.toLowerCase()}response`] as Obj).errortext as string];
}

/** The allocated share of the cluster's CPU, from listHosts (over-provisioning 1). */
async function cpuShare(w: World): Promise<number> {
  const hosts = (await w.admin.ok('listHosts', { type: 'Routing' })).host as Obj[];
  const allocated = hosts.reduce((sum, h) => sum + (h.cpuallocatedvalue as number), 0);
  const total = hosts.reduce((sum, h) => sum + (h.cpunumber as number) * (h.cpuspeed as number), 0);
  return allocated / total;
}

async function alerts(w: World, params: Record<string, string> = {}): Promise<Obj[]> {
  return ((await w.admin.ok('listAlerts', params)).alert as Obj[] | undefined) ?? [];
}

describe('listEvents', () => {
  it('filters by type, level, dates, keyword, and entry time with duration', async () => {
    const w = await world();
    expect((await deploy(w, 'first')).jobstatus).toBe(1);
    w.served.time.advanceBy(DAY_MS);
    expect((await deploy(w, 'second')).jobstatus).toBe(1);
    const created = (await w.admin.ok('listEvents', { type: 'VM.CREATE' })).event as Obj[];
    expect(created.map((e) => `${e.description} ${e.created} ${e.level} ${e.resourcetype}`)).toEqual([
      'Successfully created VM second 2026-01-02T12:00:00+0000 INFO VirtualMachine',
      'Successfully created VM first 2026-01-01T12:00:00+0000 INFO VirtualMachine',
    ]);
    const firstDay = (await w.admin.ok('listEvents', { type: 'VM.CREATE', enddate: '2026-01-01' })).event as Obj[];
    expect(firstDay.map((e) => e.description)).toEqual(['Successfully created VM first']);
    const secondDay = (await w.admin.ok('listEvents', { type: 'vm.create', startdate: '2026-01-02' })).event as Obj[];
    expect(secondDay.map((e) => e.description)).toEqual(['Successfully created VM second']);
    expect(((await w.admin.ok('listEvents', { keyword: 'started VM first' })).event as Obj[]).map((e) => e.type)).toEqual(['VM.START']);
    expect(await w.admin.ok('listEvents', { level: 'ERROR' })).toEqual({});
    expect(await w.admin.ok('listEvents', { entrytime: '60', duration: '30' })).toEqual({});
    expect(await errorOf(w.admin, 'listEvents', { entrytime: '30', duration: '60' })).toEqual([431, 'Entry time must be greater than duration']);
    expect(await errorOf(w.admin, 'listEvents', { startdate: '2026-01-02', enddate: '2026-01-01' })).toEqual([431, 'The end date must not be before the start date']);
  });

  it('lists the event types', async () => {
    const w = await world();
    const types = ((await w.admin.ok('listEventTypes')).eventtype as Obj[]).map((t) => t.name);
    expect(types).toContain('VM.CREATE');
    expect(types).toContain('ACCOUNT.DELETE');
    expect(types).toContain('CONFIGURATION.VALUE.EDIT');
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('alerts', () => {
  it('are raised once when deploys push the cluster past 0.75 of its CPU, survive a restart from a snapshot, and re-arm below it', async () => {
    // Snapshots every few batches: the restart starts from one taken between the deploys.
    const w = await world({ snapshotEveryBatches: 5 });
    expect(await w.admin.ok('listAlerts')).toEqual({});
    let crossedAt = 0;
    for (let i = 1; crossedAt === 0; i++) {
      w.served.time.advanceBy(60_000);
      expect((await deploy(w, `vm${i}`)).jobstatus).toBe(1);
      const share = await cpuShare(w);
      const raised = await alerts(w, { type: '1' });
      // No alert at or under the threshold; exactly one from the deploy that crosses it.
      expect(raised.length).toBe(share > 0.75 ? 1 : 0);
      if (share > 0.75) crossedAt = i;
    }
    const [cpu] = await alerts(w);
    expect(cpu).toEqual({
      id: expect.any(String),
      type: 1,
      name: 'ALERT.CPU',
      description: 'System Alert: Low Unallocated CPU in cluster [c1] pod [p1] of availability zone [z1].',
      sent: new Date(Date.UTC(2026, 0, 1, 12, crossedAt)).toISOString().replace('.000Z', '+0000'),
    });
    // Another deploy while over the threshold raises nothing new.
    expect((await deploy(w, 'one-more')).jobstatus).toBe(1);
    expect((await alerts(w)).map((a) => a.id)).toEqual([cpu!.id]);
    expect(await alerts(w, { name: 'ALERT.MEMORY' })).toEqual([]);
    expect(await errorOf(w.admin, 'listAlerts', { type: 'cpu' })).toEqual([431, 'Unable to execute API command listalerts due to invalid value. Invalid parameter type value=cpu due to incorrect long value format']);

    await w.served.runtime.idle();
    expect((await w.served.store.latestSnapshot())!.uptoBatch).toBeGreaterThan(5);
    cloud = await w.served.restart();
    const again = new SignedClient(cloud.url, cloud.admin);
    expect(((await again.ok('listAlerts')).alert as Obj[])).toEqual([cpu]);

    // A higher threshold for the cluster puts it back under; crossing the new one raises a new alert.
    const w2: World = { ...w, served: cloud, admin: again };
    await again.ok('updateConfiguration', { name: 'cluster.cpu.allocated.capacity.notificationthreshold', value: '0.99', clusterid: w.clusterId });
    expect((await alerts(w2)).length).toBe(1);
    await again.ok('updateConfiguration', { name: 'cluster.cpu.allocated.capacity.notificationthreshold', value: '0.5', clusterid: w.clusterId });
    const both = await alerts(w2);
    expect(both.map((a) => a.name)).toEqual(['ALERT.CPU', 'ALERT.CPU']);
    expect(both[0]!.id).not.toBe(cpu!.id);
  });

  it('are raised when a zone runs short of public IPs and when a host goes down', async () => {
    const w = await world();
    expect((await deploy(w, 'web')).jobstatus).toBe(1);
    const network = ((await w.admin.ok('listNetworks')).network as Obj[]).find((n) => n.type === 'Isolated')!;
    const zonePool = w.served.runtime.state.pools.publicByZone.get(w.zoneId)!;
    while (zonePool.allocatedCount / zonePool.capacity <= 0.75) {
      expect(await alerts(w, { type: '4' })).toEqual([]);
      expect((await jobOf(w.admin, await w.admin.ok('associateIpAddress', { networkid: network.id as string }))).jobstatus).toBe(1);
    }
    expect((await alerts(w, { type: '4' })).map((a) => `${a.name} ${a.description}`)).toEqual([
      'ALERT.NETWORK.PUBLICIP System Alert: Number of unallocated virtual network public IPs is low in availability zone [z1].',
    ]);

    const host = [...w.served.runtime.state.hosts.values()].find((h) => h.name === 'host2')!;
    w.served.runtime.submit({ type: 'hostDown', hostId: host.id }, SYSTEM_CALLER);
    expect((await alerts(w, { type: '7' })).map((a) => `${a.name} ${a.description}`)).toEqual([
      `ALERT.COMPUTE.HOST Host is down, name: host2 (id:${host.id}), availability zone: z1, pod: p1`,
    ]);
    expect(((await w.admin.ok('listAlerts', { keyword: 'host2' })).alert as Obj[]).length).toBe(1);
  });

  it('are raised when the secondary storage VM manager cannot bring up its VM', async () => {
    const w = await world();
    const state = w.served.runtime.state;
    // No HA, and a cluster that takes nothing more.
    await w.admin.ok('updateConfiguration', { name: 'vm.ha.enabled', value: 'false' });
    await w.admin.ok('updateConfiguration', { name: 'cluster.cpu.allocated.capacity.disablethreshold', value: '0', clusterid: w.clusterId });
    const ssvm = [...state.vms.values()].find((vm) => vm.kind === 'SecondaryStorageVm')!;
    w.served.runtime.submit({ type: 'hostDown', hostId: ssvm.hostId! }, SYSTEM_CALLER);
    // Two 30-second scans: the first destroys the SSVM it cannot start, the second cannot build one.
    w.served.time.advanceBy(60_000);
    await expect.poll(async () => (await alerts(w, { type: '19' })).length).toBe(1);
    const [alert] = await alerts(w, { type: '19' });
    expect(alert!.name).toBe('ALERT.SERVICE.SSVM');
    expect(alert!.description).toMatch(/^Secondary Storage Vm creation failure in zone \[z1\]\. Error details: cannot start the secondary storage VM of zone z1: /);
    expect(state.vms.has(ssvm.id)).toBe(false);
    // The system VMs' lives are events of their own kinds, as in CloudStack.
    const events = async (type: string) => (((await w.admin.ok('listEvents', { type, listall: 'true' })).event as Obj[] | undefined) ?? []).map((e) => `${e.resourcetype} ${e.description}`);
    expect(await events('SSVM.CREATE')).toEqual(['SystemVm Successfully created secondary storage VM s-z1-1']);
    expect(await events('SSVM.DESTROY')).toEqual([expect.stringMatching(/^SystemVm Successfully destroyed secondary storage VM s-z1-1: the secondary storage VM manager could not start it: /)]);
    expect(await events('PROXY.START')).toEqual(['SystemVm Successfully started console proxy v-z1-1']);
    // The manager keeps trying, one alert a scan.
    w.served.time.advanceBy(30_000);
    await expect.poll(async () => (await alerts(w, { type: '19' })).length).toBe(2);
  });
});

describe('configuration', () => {
  it('lists the settings the core honours with CloudStack\'s fields, globally and per cluster or zone', async () => {
    const w = await world();
    const all = (await w.admin.ok('listConfigurations', { pagesize: '-1' })) as Obj;
    expect(all.count).toBe(SETTINGS.length);
    const [factor] = (await w.admin.ok('listConfigurations', { name: 'cpu.overprovisioning.factor' })).configuration as Obj[];
    expect(factor).toEqual({
      id: SETTINGS.findIndex((s) => s.name === 'cpu.overprovisioning.factor') + 1,
      category: 'Advanced',
      name: 'cpu.overprovisioning.factor',
      value: '1',
      defaultvalue: '1',
      description: 'CPU over-provisioning factor, copied to a cluster when it is created.',
      scope: 'cluster',
      isdynamic: true,
      component: 'ManagementServer',
      group: 'Advanced',
      subgroup: 'cpu',
      type: 'Number',
      displaytext: 'Cpu Overprovisioning Factor',
    });
    const algorithm = ((await w.admin.ok('listConfigurations', { name: 'vm.allocation.algorithm' })).configuration as Obj[])[0]!;
    expect(algorithm).toMatchObject({ value: 'firstfit', defaultvalue: 'random', options: 'random,firstfit,userdispersing,userconcentratedpod_random,userconcentratedpod_firstfit,firstfitleastconsumed', type: 'String' });
    const clusterScoped = ((await w.admin.ok('listConfigurations', { clusterid: w.clusterId })).configuration as Obj[]).map((c) => `${c.name}=${c.value} ${c.scope}`);
    expect(clusterScoped).toEqual([
      'cpu.overprovisioning.factor=1 cluster',
      'mem.overprovisioning.factor=1 cluster',
      'cluster.cpu.allocated.capacity.disablethreshold=0.85 cluster',
      'cluster.memory.allocated.capacity.disablethreshold=0.85 cluster',
      'cluster.cpu.allocated.capacity.notificationthreshold=0.75 cluster',
      'cluster.memory.allocated.capacity.notificationthreshold=0.75 cluster',
      'cluster.storage.capacity.notificationthreshold=0.75 cluster',
      'cluster.storage.allocated.capacity.notificationthreshold=0.75 cluster',
      'max.retries=5 cluster',
      'restart.retry.interval=600 cluster',
    ]);
    const alertCategory = ((await w.admin.ok('listConfigurations', { category: 'alert', zoneid: w.zoneId })).configuration as Obj[]).map((c) => c.name);
    expect(alertCategory).toEqual([
      'pool.storage.capacity.disablethreshold',
      'pool.storage.allocated.capacity.disablethreshold',
      'zone.virtualnetwork.publicip.capacity.notificationthreshold',
      'zone.directnetwork.publicip.capacity.notificationthreshold',
      'pod.privateip.capacity.notificationthreshold',
      'zone.vlan.capacity.notificationthreshold',
      'zone.secstorage.capacity.notificationthreshold',
    ]);
    const user = (await w.admin.ok('createAccount', { username: 'u', password: 'p', email: 'u@example.com', firstname: 'U', lastname: 'U', account: 'u' })).account as Obj;
    const keys = (await w.admin.ok('registerUserKeys', { id: ((user.user as Obj[])[0]!).id as string })).userkeys as Obj;
    const client = new SignedClient(w.served.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });
    expect((await client.get('listConfigurations')).status).toBe(401);
  });

  it('updateConfiguration checks values and scopes, and a cluster\'s CPU over-provisioning lets more VMs in', async () => {
    const w = await world();
    const changed = (await w.admin.ok('updateConfiguration', { name: 'expunge.delay', value: '120' })).configuration as Obj;
    expect(changed).toMatchObject({ name: 'expunge.delay', value: '120', defaultvalue: '86400', scope: 'global' });
    expect(((await w.admin.ok('listConfigurations', { name: 'expunge.delay' })).configuration as Obj[])[0]!.value).toBe('120');
    expect(await errorOf(w.admin, 'updateConfiguration', { name: 'expunge.delay', value: 'soon' })).toEqual([431, 'Please enter a valid value for expunge.delay: it takes a number, got "soon"']);
    expect(await errorOf(w.admin, 'updateConfiguration', { name: 'cluster.cpu.allocated.capacity.notificationthreshold', value: '1.5' })).toEqual([
      431,
      'Please enter a valid value for cluster.cpu.allocated.capacity.notificationthreshold: cluster.cpu.allocated.capacity.notificationthreshold must be at most 1, got 1.5',
    ]);
    expect(await errorOf(w.admin, 'updateConfiguration', { name: 'vm.allocation.algorithm', value: 'best' })).toEqual([
      431,
      'Please enter a valid value for vm.allocation.algorithm: vm.allocation.algorithm must be one of random, firstfit, userdispersing, userconcentratedpod_random, userconcentratedpod_firstfit, firstfitleastconsumed, got "best"',
    ]);
    expect(await errorOf(w.admin, 'updateConfiguration', { name: 'cluster.threshold.enabled', value: 'yes' })).toEqual([431, 'Please enter a valid value for cluster.threshold.enabled: it takes true or false, got "yes"']);
    expect(await errorOf(w.admin, 'updateConfiguration', { name: 'no.such.setting', value: '1' })).toEqual([431, "Config parameter with name no.such.setting doesn't exist"]);
    expect(await errorOf(w.admin, 'updateConfiguration', { name: 'expunge.delay', value: '5', clusterid: w.clusterId })).toEqual([431, 'Invalid scope id provided for the parameter expunge.delay: it is honoured only globally, not per cluster']);
    expect(await errorOf(w.admin, 'updateConfiguration', { name: 'expunge.delay', value: '5', clusterid: w.clusterId, zoneid: w.zoneId })).toEqual([431, 'cannot handle multiple IDs, provide only one ID corresponding to the scope']);

    let deployed = 0;
    for (;;) {
      const job = await deploy(w, `vm${deployed + 1}`);
      if (job.jobstatus !== 1) {
        expect((job.jobresult as Obj).errorcode).toBe(533);
        break;
      }
      deployed++;
    }
    const scoped = (await w.admin.ok('updateConfiguration', { name: 'cpu.overprovisioning.factor', value: '2', clusterid: w.clusterId })).configuration as Obj;
    expect(scoped).toMatchObject({ name: 'cpu.overprovisioning.factor', value: '2', scope: 'cluster' });
    expect(((await w.admin.ok('listConfigurations', { name: 'cpu.overprovisioning.factor' })).configuration as Obj[])[0]!.value).toBe('1');
    expect(((await w.admin.ok('listClusters', { id: w.clusterId })).cluster as Obj[])[0]!.cpuovercommitratio).toBe('2');
    expect((await deploy(w, 'past-the-old-limit')).jobstatus).toBe(1);
    const edits = ((await w.admin.ok('listEvents', { type: 'CONFIGURATION.VALUE.EDIT' })).event as Obj[]).map((e) => e.description);
    expect(edits).toEqual([`Set cpu.overprovisioning.factor to 2 for cluster ${w.clusterId}`, 'Set expunge.delay to 120']);
  });
});

describe('views', () => {
  it('render every field with the JSON type cloudstack-go decodes', async () => {
    const w = await world();
    const ctx: ViewContext = { state: w.served.runtime.state, activity: w.served.runtime.activity, caller: undefined };
    const rows = SETTINGS.map((definition, i) => configurationView.render({ definition, ordinal: i + 1, value: w.served.runtime.state.settings[definition.name] }, ctx));
    for (const row of rows) {
      expect(typeof row.id).toBe('number');
      for (const key of ['category', 'name', 'value', 'defaultvalue', 'description', 'scope', 'component', 'group', 'subgroup', 'type', 'displaytext']) expect(typeof row[key], `${String(row.name)}.${key}`).toBe('string');
      expect(typeof row.isdynamic).toBe('boolean');
    }
    const alert = alertView.render({ id: 'a', type: 1, name: 'ALERT.CPU', description: 'd', sentMs: 0 }, ctx);
    expect(alert).toEqual({ id: 'a', type: 1, name: 'ALERT.CPU', description: 'd', sent: '1970-01-01T00:00:00+0000' });
    expect(eventTypeView.render('VM.CREATE', ctx)).toEqual({ name: 'VM.CREATE' });
  });
});
