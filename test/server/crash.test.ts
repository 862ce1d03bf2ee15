/**
 * The server killed with SIGKILL in the middle of a burst of 200 deploys from 32 clients, on
 * either store: every
 * job a client saw finished is still there after the restart, the rebuilt state passes the
 * simulator's invariant checkers (no address, VLAN or host capacity held twice, holds matching
 * VMs), and the restarted server goes on deploying.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { IMMEDIATE_DRIVERS } from '../../server/drivers.js';
import { ServerRuntime } from '../../server/runtime.js';
import { MysqlStore } from '../../server/store/mysql.js';
import { ManualTime } from '../../server/time.js';
import { addressProblems, allHoldProblems, antiAffinityProblems, capacityProblems } from '../../simulator/invariants.js';
import { type ServeProcess, startServe } from './process.js';
import { reopenStore, SignedClient, testMysqlServerUrl } from './support.js';

type Obj = Record<string, unknown>;

const SCENARIO = fileURLToPath(new URL('../fixtures/burst-cloud.yaml', import.meta.url));
const DEPLOYS = 200;
const CLIENTS = 32;
/** The kill comes once this many deploys were sent: the rest of the burst meets a dead server. */
const KILL_AFTER_SENT = 120;

let server: ServeProcess | undefined;
let dir: string | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function deployArgs(admin: SignedClient): Promise<Record<string, string>> {
  const zone = ((await admin.ok('listZones')).zone as Obj[])[0]!.id as string;
  const offering = ((await admin.ok('listServiceOfferings', { name: 'small' })).serviceoffering as Obj[])[0]!.id as string;
  const template = ((await admin.ok('listTemplates', { templatefilter: 'featured', name: 'ubuntu-22.04' })).template as Obj[])[0]!.id as string;
  return { zoneid: zone, serviceofferingid: offering, templateid: template };
}

describe.each(['sqlite', 'mysql'] as const)('SIGKILL in the middle of a burst of deploys, %s store', (kind) => {
  it('loses no finished job and holds nothing twice after the restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudplane-crash-'));
    const db = kind === 'sqlite' ? join(dir, 'cloud.db') : `${testMysqlServerUrl()}cloudplane_crash_${process.pid}_${Date.now().toString(36)}`;
    const adminKeys = join(dir, 'admin-keys');
    server = await startServe({ db, adminKeys, scenario: SCENARIO, drivers: 'immediate' });
    const admin = new SignedClient(server.url, server.keys);
    const args = await deployArgs(admin);

    const finished = new Map<string, string>(); // job id -> VM id, for jobs a client saw succeed
    let sent = 0;
    let refusedAfterKill = 0;
    let killing: Promise<void> | undefined;
    const client = async (): Promise<void> => {
      while (sent < DEPLOYS) {
        const i = sent++;
        if (i === KILL_AFTER_SENT) killing = server!.kill();
        try {
          const deploy = await admin.ok('deployVirtualMachine', { ...args, name: `burst-${i}` });
          for (;;) {
            const job = await admin.ok('queryAsyncJobResult', { jobid: deploy.jobid as string });
            if (job.jobstatus === 1) {
              finished.set(deploy.jobid as string, deploy.id as string);
              break;
            }
            if (job.jobstatus === 2) throw new Error(`deploy ${i} failed: ${JSON.stringify(job.jobresult)}`);
          }
        } catch (error) {
          // Only a dead server may refuse: anything else is a bug.
          if (killing === undefined) throw error;
          refusedAfterKill++;
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    await killing;
    expect(finished.size).toBeGreaterThanOrEqual(KILL_AFTER_SENT - CLIENTS);
    expect(refusedAfterKill).toBeGreaterThanOrEqual(DEPLOYS - KILL_AFTER_SENT);

    // The database as the killed process left it, rebuilt in this process.
    const store = await reopenStore(db);
    const time = new ManualTime(Date.now());
    const runtime = await ServerRuntime.load({ store, clock: time, scheduler: time, drivers: IMMEDIATE_DRIVERS, seed: 1 });
    for (const [jobId, vmId] of finished) {
      expect(runtime.jobs.get(jobId)?.status, `job ${jobId}`).toBe(1);
      expect(runtime.state.vms.get(vmId)?.state, `VM ${vmId}`).toBe('Running');
    }
    const state = runtime.state;
    expect([...capacityProblems(state), ...allHoldProblems(state), ...addressProblems(state), ...antiAffinityProblems(state)]).toEqual([]);
    const userVms = [...state.vms.values()].filter((vm) => vm.kind === 'User');
    await runtime.close();

    // The restarted server shows the same VMs and goes on deploying without collisions.
    server = await startServe({ db, adminKeys, drivers: 'immediate' });
    const again = new SignedClient(server.url, server.keys);
    const listed = await again.ok('listVirtualMachines', { listall: 'true', pagesize: '-1' });
    expect(listed.count).toBe(userVms.length);
    const after = await again.ok('deployVirtualMachine', { ...args, name: 'after-crash' });
    const job = await again.ok('queryAsyncJobResult', { jobid: after.jobid as string });
    expect(job.jobstatus).toBe(1);
    const ips = ((await again.ok('listVirtualMachines', { listall: 'true', pagesize: '-1' })).virtualmachine as Obj[]).map((vm) => ((vm.nic as Obj[])[0]!).ipaddress);
    expect(new Set(ips).size).toBe(ips.length);
    if (store instanceof MysqlStore) await store.dropDatabase();
    await store.close();
  });
});
