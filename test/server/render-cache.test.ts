/**
 * The render cache never shows what a fresh render would not: under random operations on VMs
 * and on what their objects show (tags, templates, offerings, hosts), listVirtualMachines
 * answered from the cache equals the same list rendered afresh after the cache is emptied.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachIdIn, RenderCache } from '../../server/views/render-cache.js';
import { type Served, serve, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

let cloud: Served;
let admin: SignedClient;
let ids: { zone: string; offerings: string[]; template: string; hosts: string[] };

beforeAll(async () => {
  cloud = await serve();
  admin = new SignedClient(cloud.url, cloud.admin);
  const first = (r: Obj, key: string): Obj[] => (r[key] as Obj[] | undefined) ?? [];
  ids = {
    zone: first(await admin.ok('listZones'), 'zone')[0]!.id as string,
    offerings: first(await admin.ok('listServiceOfferings'), 'serviceoffering').filter((o) => (o.memory as number) <= 4096).map((o) => o.id as string),
    template: first(await admin.ok('listTemplates', { templatefilter: 'featured' }), 'template')[0]!.id as string,
    hosts: first(await admin.ok('listHosts', { type: 'Routing' }), 'host').map((h) => h.id as string),
  };
});

afterAll(async () => {
  await cloud.close();
});

type Op =
  | { kind: 'deploy'; offering: number }
  | { kind: 'stop' | 'start' | 'destroy' | 'recover' | 'tag' | 'untag' | 'rename' | 'scale' | 'migrate'; vm: number; n: number }
  | { kind: 'template'; n: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('deploy' as const), offering: fc.nat() }),
  fc.record({ kind: fc.constantFrom('stop', 'start', 'destroy', 'recover', 'tag', 'untag', 'rename', 'scale', 'migrate'), vm: fc.nat(), n: fc.nat(99) }),
  fc.record({ kind: fc.constant('template' as const), n: fc.nat(99) }),
);

async function vmIds(): Promise<string[]> {
  const list = await admin.ok('listVirtualMachines', { listall: 'true' });
  return ((list.virtualmachine as Obj[] | undefined) ?? []).map((v) => v.id as string);
}

/** Runs one operation; refusals (a stop of a stopped VM, no capacity) are part of the game. */
async function apply(o: Op): Promise<void> {
  if (o.kind === 'deploy') {
    await admin.get('deployVirtualMachine', { zoneid: ids.zone, templateid: ids.template, serviceofferingid: ids.offerings[o.offering % ids.offerings.length]! });
    return;
  }
  if (o.kind === 'template') {
    await admin.get('updateTemplate', { id: ids.template, displaytext: `image ${o.n}` });
    return;
  }
  const vms = await vmIds();
  if (vms.length === 0) return;
  const id = vms[o.vm % vms.length]!;
  switch (o.kind) {
    case 'stop':
    case 'start':
    case 'recover':
      await admin.get(`${o.kind}VirtualMachine`, { id });
      return;
    case 'destroy':
      await admin.get('destroyVirtualMachine', { id });
      return;
    case 'tag':
      await admin.get('createTags', { resourcetype: 'UserVm', resourceids: id, 'tags[0].key': `k${o.n % 3}`, 'tags[0].value': `v${o.n}` });
      return;
    case 'untag':
      await admin.get('deleteTags', { resourcetype: 'UserVm', resourceids: id, 'tags[0].key': `k${o.n % 3}` });
      return;
    case 'rename':
      await admin.get('updateVirtualMachine', { id, displayname: `shown-${o.n}` });
      return;
    case 'scale':
      await admin.get('scaleVirtualMachine', { id, serviceofferingid: ids.offerings[o.n % ids.offerings.length]! });
      return;
    case 'migrate':
      await admin.get('migrateVirtualMachine', { virtualmachineid: id, hostid: ids.hosts[o.n % ids.hosts.length]! });
      return;
  }
}

/** The list as JSON; `fresh` asks with another (ignored) detail, so no reply kept for the first question can answer it. */
async function listed(fresh = false): Promise<unknown> {
  const reply = await admin.get('listVirtualMachines', { listall: 'true', ...(fresh ? { details: 'all' } : {}) });
  return JSON.parse(reply.text);
}

describe('the render cache', () => {
  it('answers like a fresh render after any sequence of operations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const o of ops) {
          await apply(o);
          const fromCache = await listed();
          cloud.renderCache.clear();
          expect(fromCache).toEqual(await listed(true));
        }
      }),
      { numRuns: 25 },
    );
    expect(cloud.renderCache.hits).toBeGreaterThan(0);
  });

  it('drops exactly the entries whose ids an event names', () => {
    const cache = new RenderCache();
    cache.json('a', () => ['vm-1', 'zone-1'], () => '"a"');
    cache.json('b', () => ['vm-2', 'zone-1'], () => '"b"');
    cache.json('c', () => ['vm-3', 'zone-2'], () => '"c"');
    cache.observe({ type: 'vmStateChanged', vmId: 'vm-2', state: 'Stopped' } as never);
    expect(cache.size).toBe(2);
    cache.observe({ type: 'zoneUpdated', zoneId: 'zone-1' } as never);
    expect(cache.size).toBe(1);
    let rendered = 0;
    expect(cache.json('c', () => [], () => `${++rendered}`)).toBe('"c"');
    expect(rendered).toBe(0);
  });

  it('finds ids at any depth: id fields, …Id fields and …Ids lists', () => {
    const seen: string[] = [];
    forEachIdIn({ type: 'x', vm: { id: 'v', accountId: 'a', nics: [{ networkId: 'n' }], affinityGroupIds: ['g1', 'g2'], name: 'not-an-id' }, tags: [{ id: 't', resourceId: 'r', key: 'k' }] }, (id) => seen.push(id));
    expect(seen.sort()).toEqual(['a', 'g1', 'g2', 'n', 'r', 't', 'v']);
  });
});
