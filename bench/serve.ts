import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_CALLER } from '../core/ports.js';
import { ROOT_DOMAIN_ID } from '../core/model/state.js';
import { PasswordHasher } from '../server/auth/secrets.js';
import { bootstrapCloud } from '../server/bootstrap.js';
import { IMMEDIATE_DRIVERS } from '../server/drivers.js';
import { SqliteStore } from '../server/store/sqlite.js';
import { ManualTime } from '../server/time.js';
import { generateCloud } from './generate.js';

/**
 * The management server under load, as clients see it: `cloudplane serve` runs in a process of
 * its own on a SQLite file, and 32 clients on loopback sign their calls as CloudStack's clients do.
 *
 * - listVirtualMachines: a cloud of 100,000 VMs is built beforehand through the runtime (the same
 *   path API calls take, without HTTP) and snapshotted, so the server starts from the snapshot;
 *   then 32 clients each ask for pages of 500 and the latency of every call is recorded.
 * - deployVirtualMachine: 32 clients each deploy and poll queryAsyncJobResult until the job is
 *   done; simulated hosts answer at once, so the figure is the server's own cost per job.
 */

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const CLIENTS = 32;

function benchSpec(): ReturnType<typeof generateCloud> {
  const spec = generateCloud({ zones: 1, podsPerZone: 1, clustersPerPod: 10, hostsPerCluster: 16 });
  for (const pod of spec.zones[0]!.pods ?? []) for (const cluster of pod.clusters ?? []) for (const pool of cluster.primaryStorage ?? []) pool.capacityGiB = 200_000;
  spec.offerings = { compute: [{ name: 'tiny', cpuNumber: 1, cpuSpeedMhz: 100, memoryMiB: 256, rootDiskGiB: 1 }] };
  spec.templates = [{ name: 'linux', sizeGiB: 1, hypervisor: 'KVM' }];
  spec.demand = [];
  spec.settings = {
    'max.account.user.vms': -1,
    'max.account.volumes': -1,
    'max.account.cpus': -1,
    'max.account.memory': -1,
    'max.account.primary.storage': -1,
    'max.account.networks': -1,
    'max.account.public.ips': -1,
  };
  return spec;
}

/** Builds a served cloud of `vmCount` running VMs (100 accounts) into `dbPath` and snapshots it. */
async function buildCloud(dbPath: string, vmCount: number): Promise<{ adminKeys: { apiKey: string; secretKey: string }; ids: { zone: string; offering: string; template: string } }> {
  const store = new SqliteStore(dbPath);
  const time = new ManualTime(Date.UTC(2026, 0, 1));
  const { runtime, admin } = await bootstrapCloud({ store, spec: benchSpec(), origin: 'bench', clock: time, scheduler: time, drivers: IMMEDIATE_DRIVERS, seed: 1, passwords: new PasswordHasher({ N: 1024, r: 8, p: 1 }), snapshotEveryBatches: 0 });
  const state = runtime.state;
  const zone = [...state.zones.values()][0]!.id;
  const offering = [...state.serviceOfferings.values()].find((o) => o.name === 'tiny')!.id;
  const template = [...state.templates.values()].find((t) => t.name === 'linux')!.id;
  const accounts: string[] = [];
  for (let a = 0; a < 100; a++) {
    const result = runtime.submit({ type: 'createAccount', name: `tenant${a}`, domainId: ROOT_DOMAIN_ID, accountType: 'User', user: { username: `tenant${a}`, firstName: 'T', lastName: `${a}`, email: `t${a}@example.com`, passwordHash: 'x' } }, SYSTEM_CALLER);
    if (!result.ok) throw new Error(`bench: account: ${result.rejection.message}`);
    const created = result.events.find((e) => e.type === 'accountCreated');
    if (created?.type !== 'accountCreated') throw new Error('bench: no account');
    accounts.push(created.account.id);
  }
  for (let i = 0; i < vmCount; i++) {
    const result = runtime.submit({ type: 'deployVirtualMachine', zoneId: zone, accountId: accounts[i % accounts.length]!, serviceOfferingId: offering, templateId: template, name: `vm-${i}` }, SYSTEM_CALLER);
    if (!result.ok) throw new Error(`bench: deploy ${i}: ${result.rejection.message}`);
  }
  await runtime.saveSnapshot();
  await runtime.close();
  await store.close();
  return { adminKeys: admin, ids: { zone, offering, template } };
}

// ----- a client -----

function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

  constructor(
    private readonly url: URL,
    private readonly keys: { apiKey: string; secretKey: string },
  ) {}

  call(command: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
    const all: Record<string, string> = { ...params, command, response: 'json', apiKey: this.keys.apiKey };
    const query = Object.keys(all)
      .sort()
      .map((k) => `${k}=${encode(all[k]!)}`)
      .join('&');
    const signature = createHmac('sha1', this.keys.secretKey).update(query.toLowerCase()).digest('base64');
    const path = `${this.url.pathname}?${query}&signature=${encode(signature)}`;
    return new Promise((resolve, reject) => {
      const req = request({ host: this.url.hostname, port: this.url.port, path, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

async function startServer(dbPath: string): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, [...(process.env['CLOUDPLANE_BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean), MAIN, 'serve', '--db', dbPath, '--port', '0', '--drivers', 'immediate'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match && output.includes('stop with Ctrl-C')) resolve(new URL(match[1]!));
    });
    child.once('exit', (code) => reject(new Error(`bench: cloudplane serve exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

/**
 * What the machine allows: a bare node:http server (a process of its own, as ours) answering
 * every call with one prebuilt reply of `bytes` bytes, under the same 32 clients.
 */
async function floorOfPage(bytes: number, calls: number): Promise<{ p99Ms: number }> {
  const script = `
    const http = require('node:http');
    const body = Buffer.alloc(${bytes}, 'x');
    const server = http.createServer((req, res) => { res.setHeader('Content-Type', 'application/json'); res.end(body); });
    server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port + '/client/api\\nstop with Ctrl-C'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const url = await new Promise<URL>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(new URL(match[1]!));
    });
  });
  const client = new Client(url, { apiKey: 'k', secretKey: 's' });
  const latencies: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next++ < calls) {
      const start = performance.now();
      await client.call('listVirtualMachines', {});
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  client.close();
  child.kill('SIGTERM');
  latencies.sort((a, b) => a - b);
  return { p99Ms: percentile(latencies, 99) };
}

function percentile(sortedMs: readonly number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)]!;
}

/** A served cloud of `vmCount` VMs in a temporary directory, its server started; `use` runs against it. */
async function withServedCloud<T>(vmCount: number, use: (client: Client, ids: { zone: string; offering: string; template: string }, buildMs: number) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-bench-serve-'));
  const dbPath = join(dir, 'cloud.db');
  try {
    const buildStart = performance.now();
    const built = await buildCloud(dbPath, vmCount);
    const buildMs = performance.now() - buildStart;
    writeFileSync(`${dbPath}.admin-keys`, `apikey=${built.adminKeys.apiKey}\nsecretkey=${built.adminKeys.secretKey}\n`, { mode: 0o600 });
    const server = await startServer(dbPath);
    const client = new Client(server.url, built.adminKeys);
    try {
      return await use(client, built.ids, buildMs);
    } finally {
      client.close();
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ListFigures {
  vms: number;
  buildMs: number;
  calls: number;
  /** The size of one page of 500 VMs. */
  pageBytes: number;
  p50Ms: number;
  p99Ms: number;
  /** The same load on a bare node:http server writing one prebuilt reply of the same size. */
  floorP99Ms: number;
}

/** listVirtualMachines, pages of 500 out of `vmCount`, 32 clients. */
export async function benchListVirtualMachines(vmCount = 100_000, calls = 2_000): Promise<ListFigures> {
  return withServedCloud(vmCount, async (client, _ids, buildMs) => {
    // Warm-up: the JIT, the sockets, and one visit to every page (each VM rendered once).
    const pages = Math.ceil(vmCount / 500);
    let pageBytes = 0;
    for (let page = 1; page <= pages; page++) pageBytes = Buffer.byteLength((await client.call('listVirtualMachines', { listall: 'true', page: String(page), pagesize: '500' })).body);
    const latencies: number[] = [];
    let next = 0;
    const lister = async (): Promise<void> => {
      while (next < calls) {
        const page = (next++ % pages) + 1;
        const start = performance.now();
        const reply = await client.call('listVirtualMachines', { listall: 'true', page: String(page), pagesize: '500' });
        latencies.push(performance.now() - start);
        if (reply.status !== 200 || !reply.body.includes('"count":')) throw new Error(`bench: listVirtualMachines answered ${reply.status}: ${reply.body.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, lister));
    latencies.sort((a, b) => a - b);
    const floor = await floorOfPage(pageBytes, calls);
    return { vms: vmCount, buildMs, calls: latencies.length, pageBytes, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), floorP99Ms: floor.p99Ms };
  });
}

export interface DeployFigures {
  jobs: number;
  jobsPerSecond: number;
  store: string;
}

/** deployVirtualMachine then queryAsyncJobResult until done, 32 clients, on a cloud of `vmCount` VMs. */
export async function benchDeployVirtualMachine(jobs = 6_000, vmCount = 1_000): Promise<DeployFigures> {
  return withServedCloud(vmCount, async (client, ids) => {
    const deploy = async (name: string): Promise<void> => {
      const reply = await client.call('deployVirtualMachine', { zoneid: ids.zone, serviceofferingid: ids.offering, templateid: ids.template, name });
      const jobId = /"jobid":"([^"]+)"/.exec(reply.body)?.[1];
      if (reply.status !== 200 || !jobId) throw new Error(`bench: deployVirtualMachine answered ${reply.status}: ${reply.body.slice(0, 200)}`);
      for (;;) {
        const job = await client.call('queryAsyncJobResult', { jobid: jobId });
        if (job.body.includes('"jobstatus":1')) return;
        if (!job.body.includes('"jobstatus":0')) throw new Error(`bench: deploy job failed: ${job.body.slice(0, 300)}`);
      }
    };
    for (let i = 0; i < 200; i++) await deploy(`warm-${i}`);
    let sent = 0;
    let completed = 0;
    const deployer = async (): Promise<void> => {
      while (sent < jobs) {
        await deploy(`http-${sent++}`);
        completed++;
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, deployer));
    const seconds = (performance.now() - start) / 1000;
    return { jobs: completed, jobsPerSecond: completed / seconds, store: `SQLite (WAL, synchronous=NORMAL), a file in ${tmpdir()}` };
  });
}

// Run alone: node dist/bench/serve.js [VMS]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const which = process.argv[2] ?? 'both';
  if (which !== 'deploy') process.stdout.write(`${JSON.stringify(await benchListVirtualMachines(Number(process.argv[3] ?? 100_000)), null, 2)}\n`);
  if (which !== 'list') process.stdout.write(`${JSON.stringify(await benchDeployVirtualMachine(), null, 2)}\n`);
}
