/**
 * A restart: the app and the runtime stop, the same SQLite file is opened again, the event log
 * is replayed into an empty state, and the cloud answers as before (same zones, VMs, accounts,
 * jobs and events, same state to the last record). Work under way resumes: a VM caught starting
 * is driven again and its job finishes; a durable timer (the expunge of a destroyed VM) fires at
 * its time; a job that can no longer finish fails with the reason.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotOf } from '../../core/model/snapshot.js';
import type { JobRecord } from '../../server/jobs.js';
import { SqliteStore } from '../../server/store/sqlite.js';
import { type Served, serve, SignedClient, START_MS } from './support.js';

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

describe('a restart', () => {
  it('replays the log into the same cloud: zones, VMs, accounts, jobs, events and keys', async () => {
    cloud = await serve();
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

  it('drives a VM caught starting again, and its job finishes after the restart', async () => {
    cloud = await serve({ drivers: { vmStart: { latencyMs: { minMs: 20_000, maxMs: 20_000 }, failureProbability: 0 }, vmStop: { latencyMs: { minMs: 1_000, maxMs: 1_000 }, failureProbability: 0 } } });
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
    cloud = await serve();
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
    cloud = await serve();
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
    const side = new SqliteStore(cloud.dbPath);
    side.append([{ batch: (await side.lastBatch()) + 1, atMs: START_MS, command: 'startVirtualMachine', actor: { userId: cloud.admin.userId, accountId: cloud.admin.accountId }, events: [], jobs: [orphan], timersAdded: [], timersRemoved: [] }]);
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
