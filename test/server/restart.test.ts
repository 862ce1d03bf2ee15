/**
 * A restart: the app and the runtime stop, the same store (a SQLite file, or a MariaDB database)
 * is opened again, the latest snapshot is restored and the event log after it replayed, and the cloud answers as before (same zones, VMs, accounts,
 * jobs and events, same state to the last record). Work under way resumes: a VM caught starting
 * is driven again and its job finishes; a durable timer (the expunge of a destroyed VM) fires at
 * its time; a job that can no longer finish fails with the reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotOf } from '../../core/model/snapshot.js';
import type { JobRecord } from '../../server/jobs.js';
import { reopenStore, type Served, serve, SignedClient, START_MS } from './support.js';

type Obj = Record<string, unknown>;

let cloud: Served | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function deployArgs(admin: SignedClient): Promise<Record<string, string>> {
  const zone = ((await admin.ok('listZones')).zone as Obj[])[0]!.id as string;
  const offering = ((await admin.ok('listServiceOfferings', { name: 'plain-4g' })).serviceoffering as Obj[])[0]!.id as string;
  const template = ((await admin.ok('listTemplates', { templatefilter: 'featured' })).template as Obj[])[0]!.id as string;
  return { zoneid: zone, serviceofferingid: offering, templateid: template };
}

describe.each(['sqlite', 'mysql'] as const)('a restart on a %s store', (store) => {
  it('replays the log into the same cloud: zones, VMs, accounts, jobs, events and keys', async () => {
    cloud = await serve({ store });
    let admin = new SignedClient(cloud.url, cloud.admin);
    const args = await deployArgs(admin);
    const first = await admin.ok('deployVirtualMachine', { ...args, name: 'keep-1' });
    cloud.time.advanceBy(5_000);
    await admin.ok('deployVirtualMachine', { ...args, name: 'keep-2' });
    await admin.ok('stopVirtualMachine', { id: first.id as string });
    await admin.ok('createAccount', { username: 'gus', password: 'pw', email: 'g@example.com', firstname: 'G', lastname: 'U', account: 'gus-co' });
    const views = async (client: SignedClient) => ({
      zones: await client.ok('listZones'),
      vms: await client.ok('listVirtualMachines', { listall: 'true' }),
      accounts: await client.ok('listAccounts'),
      users: await client.ok('listUsers'),
      jobs: await client.ok('listAsyncJobs'),
      events: await client.ok('listEvents', { listall: 'true' }),
    });
    const before = await views(admin);
    const stateBefore = snapshotOf(cloud.runtime.state);
    const lastBatch = await cloud.store.lastBatch();

    cloud = await cloud.restart();
    admin = new SignedClient(cloud.url, cloud.admin);
    expect(snapshotOf(cloud.runtime.state)).toEqual(stateBefore);
    expect(await cloud.store.lastBatch()).toBe(lastBatch);
    expect(await views(admin)).toEqual(before);
    expect(((before.vms.virtualmachine as Obj[]).map((v) => `${v.name} ${v.state} ${v.created}`))).toEqual(['keep-1 Stopped 2026-01-01T12:00:00+0000', 'keep-2 Running 2026-01-01T12:00:05+0000']);
    expect((before.jobs.asyncjobs as Obj[]).map((j) => j.jobstatus)).toEqual([1, 1, 1]);
    // The cloud goes on from where it was: new ids do not collide with replayed ones.
    const again = await admin.ok('deployVirtualMachine', { ...args, name: 'after-restart' });
    expect((before.vms.virtualmachine as Obj[]).map((v) => v.id)).not.toContain(again.id);
    expect(((await admin.ok('listVirtualMachines')).virtualmachine as Obj[]).map((v) => v.name)).toEqual(['keep-1', 'keep-2', 'after-restart']);
  });

  it('starts from the latest snapshot and replays only the batches after it', async () => {
    cloud = await serve({ store, snapshotEveryBatches: 4 });
    let admin = new SignedClient(cloud.url, cloud.admin);
    const args = await deployArgs(admin);
    for (const name of ['snap-1', 'snap-2', 'snap-3']) await admin.ok('deployVirtualMachine', { ...args, name });
    await admin.ok('stopVirtualMachine', { id: ((await admin.ok('listVirtualMachines', { name: 'snap-2' })).virtualmachine as Obj[])[0]!.id as string });
    await cloud.runtime.idle();
    // Written on its own every 4 batches.
    const automatic = await cloud.store.latestSnapshot();
    expect(automatic!.uptoBatch).toBeGreaterThanOrEqual(4);
    await cloud.runtime.saveSnapshot();
    const uptoBatch = await cloud.store.lastBatch();
    expect((await cloud.store.latestSnapshot())!.uptoBatch).toBe(uptoBatch);
    // A batch after the snapshot: the restart must replay it.
    await admin.ok('createAccount', { username: 'late', password: 'pw', email: 'l@example.com', firstname: 'L', lastname: 'A', account: 'late-co' });
    await cloud.runtime.idle();
    expect(await cloud.store.lastBatch()).toBeGreaterThan(uptoBatch);
    const stateBefore = snapshotOf(cloud.runtime.state);
    const vmsBefore = await admin.ok('listVirtualMachines');

    cloud = await cloud.restart();
    admin = new SignedClient(cloud.url, cloud.admin);
    expect(snapshotOf(cloud.runtime.state)).toEqual(stateBefore);
    expect(await admin.ok('listVirtualMachines')).toEqual(vmsBefore);
    expect(((await admin.ok('listAccounts', { name: 'late-co' })).account as Obj[]).map((a) => a.name)).toEqual(['late-co']);
    expect(((vmsBefore.virtualmachine as Obj[]).map((v) => `${v.name} ${v.state}`))).toEqual(['snap-1 Running', 'snap-2 Stopped', 'snap-3 Running']);
  });

  it('drives a VM caught starting again, and its job finishes after the restart', async () => {
    cloud = await serve({ store, drivers: { vmStart: { latencyMs: { minMs: 20_000, maxMs: 20_000 }, failureProbability: 0 }, vmStop: { latencyMs: { minMs: 1_000, maxMs: 1_000 }, failureProbability: 0 } } });
    let admin = new SignedClient(cloud.url, cloud.admin);
    cloud.time.advanceBy(60_000);
    const deploy = await admin.ok('deployVirtualMachine', await deployArgs(admin));
    cloud.time.advanceBy(10_000);
    expect((await admin.ok('queryAsyncJobResult', { jobid: deploy.jobid as string })).jobstatus).toBe(0);

    cloud = await cloud.restart();
    admin = new SignedClient(cloud.url, cloud.admin);
    expect((await admin.ok('queryAsyncJobResult', { jobid: deploy.jobid as string })).jobstatus).toBe(0);
    cloud.time.advanceBy(20_000);
    const job = await admin.ok('queryAsyncJobResult', { jobid: deploy.jobid as string });
    expect(job).toMatchObject({ jobstatus: 1, jobresultcode: 0, completed: '2026-01-01T12:01:30+0000' });
    expect(((job.jobresult as Obj).virtualmachine as Obj).state).toBe('Running');
  });

  it('keeps the timers of the core: a destroyed VM is expunged a day later, across the restart', async () => {
    cloud = await serve({ store });
    let admin = new SignedClient(cloud.url, cloud.admin);
    const deploy = await admin.ok('deployVirtualMachine', await deployArgs(admin));
    await admin.ok('destroyVirtualMachine', { id: deploy.id as string });
    cloud = await cloud.restart();
    admin = new SignedClient(cloud.url, cloud.admin);
    cloud.time.advanceBy(86_400_000 - 1);
    expect(((await admin.ok('listVirtualMachines')).virtualmachine as Obj[]).map((v) => v.state)).toEqual(['Destroyed']);
    cloud.time.advanceBy(1);
    expect(await admin.ok('listVirtualMachines')).toEqual({});
    expect(((await admin.ok('listEvents', { type: 'VM.EXPUNGE' })).event as Obj[]).map((e) => e.created)).toEqual(['2026-01-02T12:00:00+0000']);
  });

  it('fails, with the reason, a job that can no longer finish', async () => {
    cloud = await serve({ store });
    const admin = new SignedClient(cloud.url, cloud.admin);
    const deploy = await admin.ok('deployVirtualMachine', await deployArgs(admin));
    await admin.ok('stopVirtualMachine', { id: deploy.id as string });
    // A start job that was pending when the server went down, its VM stopped since: nothing will start it.
    const orphan: JobRecord = {
      id: '11111111-2222-4333-8444-555555555555',
      apiName: 'startVirtualMachine',
      cmdClass: 'org.apache.cloudstack.api.command.user.vm.StartVMCmd',
      accountId: cloud.admin.accountId,
      userId: cloud.admin.userId,
      domainId: 'ROOT',
      instanceType: 'VirtualMachine',
      instanceId: deploy.id as string,
      status: 0,
      resultCode: 0,
      createdMs: START_MS,
      responseObject: 'virtualmachine',
      awaiting: { kind: 'vm', vmId: deploy.id as string, success: ['Running'], failure: ['Error'], goneIs: 'failure', errorCode: 533 },
    };
    await cloud.runtime.idle();
    const side = await reopenStore(cloud.dbPath);
    await side.append([{ batch: (await side.lastBatch()) + 1, atMs: START_MS, command: 'startVirtualMachine', actor: { userId: cloud.admin.userId, accountId: cloud.admin.accountId }, events: [], jobs: [orphan], timersAdded: [], timersRemoved: [] }]);
    await side.close();
    cloud = await cloud.restart();
    const job = await new SignedClient(cloud.url, cloud.admin).ok('queryAsyncJobResult', { jobid: orphan.id });
    expect(job).toMatchObject({
      jobstatus: 2,
      jobresultcode: 530,
      jobresult: { errorcode: 530, errortext: 'the management server restarted while the job ran, and the job cannot finish; run the command again' },
    });
  });
});
