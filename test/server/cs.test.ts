/**
 * CloudStack's own Python client against `cloudplane serve`, unchanged: Debian's `cs` package,
 * both its `cloudstack` command and its module under /usr/bin/python3 (.ci/services installs
 * it). The server is the real command, started from the shipped small deployment.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServe } from './process.js';

const PYTHON = '/usr/bin/python3';
const CLOUDSTACK = '/usr/bin/cloudstack';
const WORKFLOW = fileURLToPath(new URL('../clients/cs_workflow.py', import.meta.url));

let server: ServeProcess;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CLOUDSTACK)) throw new Error(`${CLOUDSTACK} is missing: install Debian's cs package (.ci/services does)`);
  dir = mkdtempSync(join(tmpdir(), 'cloudplane-cs-'));
  server = await startServe({ db: join(dir, 'cloud.db'), drivers: 'immediate' });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function cloudstack(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, CLOUDSTACK_ENDPOINT: server.url, CLOUDSTACK_KEY: server.keys.apiKey, CLOUDSTACK_SECRET: server.keys.secretKey };
  const result = spawnSync(CLOUDSTACK, args, { env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the cloudstack command', () => {
  it('lists the zones of the shipped scenario with a signed request', () => {
    const listed = cloudstack('listZones');
    expect(listed.stderr).toBe('');
    expect(listed.status).toBe(0);
    const zones = (JSON.parse(listed.stdout) as { zone: { name: string; networktype: string }[] }).zone;
    expect(zones.map((z) => `${z.name} ${z.networktype}`)).toEqual(['zone1 Advanced']);
  });

  it('reports a refused call with CloudStack\'s error and a failing exit status', () => {
    const refused = cloudstack('deployVirtualMachine', 'zoneid=nope');
    expect(refused.status).not.toBe(0);
    expect(JSON.parse(refused.stdout)).toMatchObject({ deployvirtualmachineresponse: { errorcode: 431 } });
  });
});

describe('the cs module', () => {
  it('builds a zone, deploys on an isolated network, forwards a port, and cleans up', () => {
    const result = spawnSync(PYTHON, [WORKFLOW, server.url, server.keys.apiKey, server.keys.secretKey], { encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const seen = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(seen.zone).toEqual({ name: 'cs-zone', pods: ['cs-pod'], clusters: ['cs-cluster'], hosts: ['192.168.100.101', '192.168.100.102'], pools: ['cs-primary'], stores: ['cs-secondary'], vlan: ['198.51.100.10', '198.51.100.99'] });
    expect(seen.account).toEqual({ name: 'alice-co', user: 'alice', byApiKey: 'alice' });
    expect(seen.vms).toEqual(['web-0 Running alice-net', 'web-1 Running alice-net']);
    expect(seen.networks).toEqual(['alice-net Isolated Implemented']);
    // The script sorts the lines; the source NAT address was taken first, at the network's first deploy.
    const sourceNat = (seen.ips as string[]).find((line) => line.endsWith(' sourcenat'));
    expect(sourceNat).toMatch(/^198\.51\.100\.\d+ sourcenat$/);
    expect(seen.ips).toEqual([sourceNat, `${seen.acquiredIp as string} acquired`].sort());
    // CloudStack keeps rule protocols in lower case, whatever case the request used.
    expect(seen.forwards).toEqual(['tcp 2222->22 web-0']);
    expect(seen.firewall).toEqual(['tcp 2222-2222 0.0.0.0/0']);
    expect(seen.volumes).toEqual(['ROOT web-0', 'ROOT web-1']);
    expect(seen.bobSees).toBe(0);
    expect(seen.bobStop).toBe(531);
    expect(seen.stopped).toBe('Stopped');
    expect(seen.destroyed).toBe('Destroyed');
    expect(seen.after).toEqual(['web-0 Stopped']);
  });
});
