/**
 * The API envelope over HTTP: list shapes (count is the total; {} when nothing matches; {count}
 * past the last page), pagination rules, XML when no format is asked for, every kind of error
 * with its HTTP status, cserrorcode and X-Description header, authentication failures, the
 * listApis shape cmk needs, listCapabilities, and the JSON type of every field the views render
 * against the type they declare.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { defaultRegistry } from '../../server/commands/index.js';
import { ANY_ROLE, defineCommand } from '../../server/registry/command.js';
import { accountView, domainView, userView } from '../../server/views/identity.js';
import { virtualMachineView } from '../../server/views/compute.js';
import { clusterView, hostView, podView, serviceOfferingView, templateView, zoneView } from '../../server/views/infrastructure.js';
import { networkView } from '../../server/views/network.js';
import { asyncJobView, eventView } from '../../server/views/activity.js';
import type { View, ViewContext } from '../../server/views/view.js';
import { formEncode, matchesType, rawGet, rawPost, referenceSignature, serve, type Served, SignedClient } from './support.js';

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

describe('lists', () => {
  it('give count as the total and pages of pagesize items', async () => {
    const page1 = await admin.ok('listServiceOfferings', { page: '1', pagesize: '2' });
    expect(page1.count).toBe(3);
    expect((page1.serviceoffering as Obj[]).map((o) => o.name)).toEqual(['big', 'ha-4g']);
    expect(((await admin.ok('listServiceOfferings', { page: '2', pagesize: '2' })).serviceoffering as Obj[]).map((o) => o.name)).toEqual(['plain-4g']);
  });

  it('answer {count} past the last page and {} when nothing matches', async () => {
    expect(await admin.ok('listServiceOfferings', { page: '3', pagesize: '2' })).toEqual({ count: 3 });
    expect(await admin.ok('listServiceOfferings', { name: 'no-such-offering' })).toEqual({});
    expect(await admin.ok('listServiceOfferings', { keyword: '4G' })).toMatchObject({ count: 2 });
  });

  it('take pagesize -1 for everything, and refuse pages and sizes out of range', async () => {
    expect((await admin.ok('listServiceOfferings', { pagesize: '-1' })).count).toBe(3);
    const errors = await Promise.all([
      admin.get('listServiceOfferings', { page: '1', pagesize: '501' }),
      admin.get('listServiceOfferings', { page: '1', pagesize: '-1' }),
      admin.get('listServiceOfferings', { page: '0', pagesize: '10' }),
      admin.get('listServiceOfferings', { pagesize: '0' }),
    ]);
    expect(errors.map((r) => [r.status, (r.body.listserviceofferingsresponse as Obj).errortext])).toEqual([
      [431, "Page size can't exceed max allowed page size value: 500"],
      [431, "Can't specify page parameter when pagesize is -1 (Unlimited)"],
      [431, "Page can't be less than 1"],
      [431, "Page size can't be less than 1; use -1 for unlimited"],
    ]);
  });
});

describe('formats', () => {
  it('answer JSON with a JSON content type when asked, with exactly one top-level key', async () => {
    const r = await admin.get('listZones');
    expect(r.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(Object.keys(r.body)).toEqual(['listzonesresponse']);
  });

  it('answer XML when no format is asked for, lists as repeated elements', async () => {
    const params = { command: 'listHosts', apiKey: cloud.admin.apiKey };
    const r = await rawGet(cloud.url, formEncode({ ...params, signature: referenceSignature(params, cloud.admin.secretKey) }));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
    expect(r.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<listhostsresponse cloud-stack-version="4\.20\.0\.0"><count>2<\/count><host><id>[0-9a-f-]{36}<\/id><name>host1<\/name>/);
    expect(r.text.match(/<host>/g)).toHaveLength(2);
  });
});

describe('errors', () => {
  it('name a missing parameter with 431, cserrorcode 9999 and the text in X-Description', async () => {
    const r = await admin.get('listTemplates');
    expect(r.status).toBe(431);
    expect(r.body).toEqual({ listtemplatesresponse: { uuidList: [], errorcode: 431, cserrorcode: 9999, errortext: 'Unable to execute API command listtemplates due to missing parameter templatefilter' } });
    expect(r.headers.get('x-description')).toBe('Unable to execute API command listtemplates due to missing parameter templatefilter');
  });

  it('pass a refusal of the core on with its CloudStack code', async () => {
    const r = await admin.get('createDomain', { name: 'bad name', parentdomainid: 'no-such-domain' });
    expect(r.status).toBe(431);
    expect(r.body.createdomainresponse).toEqual({ uuidList: [], errorcode: 431, cserrorcode: 4350, errortext: 'domain no-such-domain does not exist' });
  });

  it('answer an unknown command with 432 under errorresponse, and a missing command too', async () => {
    const unknown = await admin.get('listUnicorns');
    expect(unknown.status).toBe(432);
    expect(unknown.body).toEqual({ errorresponse: { uuidList: [], errorcode: 432, errortext: 'Unknown API command: listUnicorns' } });
    const params = { response: 'json', apiKey: cloud.admin.apiKey };
    const none = await rawGet(cloud.url, formEncode({ ...params, signature: referenceSignature(params, cloud.admin.secretKey) }));
    expect([none.status, (none.body.errorresponse as Obj).errortext]).toEqual([432, 'no command was given (the command parameter)']);
  });

  it('refuse control characters with 431 before anything else', async () => {
    const r = await rawGet(cloud.url, 'command=listZones&response=json&name=a%01b');
    expect(r.status).toBe(431);
    expect(r.body.listzonesresponse).toEqual({ uuidList: [], errorcode: 431, errortext: 'Received value containing control characters for parameter name' });
  });

  it('refuse requests without credentials, with a wrong signature or an unknown key with 401', async () => {
    const expected = { uuidList: [], errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' };
    const none = await rawGet(cloud.url, 'command=listZones&response=json');
    expect([none.status, none.body]).toEqual([401, { listzonesresponse: { uuidList: [], errorcode: 401, errortext: 'unable to verify user credentials' } }]);
    const signed = admin.signed('listZones');
    const tampered = await rawGet(cloud.url, formEncode({ ...signed, name: 'z1' }));
    expect([tampered.status, tampered.body.listzonesresponse]).toEqual([401, expected]);
    const stranger = new SignedClient(cloud.url, { apiKey: 'nobody', secretKey: 'x' });
    expect((await stranger.get('listZones')).status).toBe(401);
    const noSignature = await rawGet(cloud.url, `command=listZones&response=json&apiKey=${encodeURIComponent(cloud.admin.apiKey)}`);
    expect(noSignature.status).toBe(401);
  });

  it('check expires only with signatureVersion 3, and refuse a past or missing one', async () => {
    const future = { signatureVersion: '3', expires: '2026-01-01T12:10:00+0000' };
    expect((await admin.get('listZones', future)).status).toBe(200);
    expect((await admin.get('listZones', { signatureversion: '3', expires: '2026-01-01T12:10:00Z' })).status).toBe(200);
    expect((await admin.get('listZones', { signatureVersion: '3', expires: '2026-01-01T11:59:59+0000' })).status).toBe(401);
    expect((await admin.get('listZones', { signatureVersion: '3' })).status).toBe(401);
    expect((await admin.get('listZones', { signatureVersion: '3', expires: 'soon' })).status).toBe(401);
    // Without version 3 an expires in the past is only a parameter.
    expect((await admin.get('listZones', { expires: '2000-01-01T00:00:00Z' })).status).toBe(200);
  });

  it('accept POST with every parameter, signature included, in the form body', async () => {
    const r = await admin.post('listZones', { name: 'z1' });
    expect([r.status, (r.body.listzonesresponse as Obj).count]).toEqual([200, 1]);
  });

  it('answer other methods with 405 and other paths with 404', async () => {
    expect((await fetch(cloud.url, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(cloud.url.replace('/client/api', '/client/other'))).status).toBe(404);
  });

  it('answer an unexpected failure of a handler with a generic 530, never a stack trace', async () => {
    const broken = defineCommand({
      name: 'listBroken',
      description: 'fails',
      isAsync: false,
      params: {},
      responseObject: 'broken',
      response: [],
      roles: ANY_ROLE,
      handle() {
        throw new Error('a bug at line 42');
      },
    });
    const logged: string[] = [];
    const app = createApp({ runtime: cloud.runtime, registry: defaultRegistry().add(broken), log: (line) => logged.push(line) });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/client/api`;
      const r = await new SignedClient(url, cloud.admin).get('listBroken');
      expect(r.status).toBe(530);
      expect(r.body).toEqual({ listbrokenresponse: { uuidList: [], errorcode: 530, cserrorcode: 4250, errortext: 'Internal error executing command, please contact your system administrator' } });
      expect(r.text).not.toContain('line 42');
      expect(logged.join('\n')).toContain('a bug at line 42');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('listApis', () => {
  it('has the strict shape cmk sync parses, for every command of the registry', async () => {
    const r = await admin.ok('listApis', { listall: 'true' });
    const apis = r.api as Obj[];
    expect(r.count).toBe(defaultRegistry().all().length);
    for (const api of apis) {
      expect([typeof api.name, typeof api.description, typeof api.isasync, Array.isArray(api.params), Array.isArray(api.response)]).toEqual(['string', 'string', 'boolean', true, true]);
      for (const p of api.params as Obj[]) {
        expect([typeof p.name, typeof p.description, typeof p.type, typeof p.required]).toEqual(['string', 'string', 'string', 'boolean']);
        expect(['uuid', 'string', 'boolean', 'integer', 'long', 'short', 'float', 'date', 'tzdate', 'list', 'map', 'object']).toContain(p.type);
      }
      for (const f of api.response as Obj[]) expect([typeof f.name, typeof f.description, typeof f.type]).toEqual(['string', 'string', 'string']);
    }
    const deploy = apis.find((a) => a.name === 'deployVirtualMachine')!;
    expect(deploy.isasync).toBe(true);
    expect((deploy.params as Obj[]).filter((p) => p.required).map((p) => p.name)).toEqual(['serviceofferingid', 'templateid', 'zoneid']);
  });

  it('lists only what the caller may call, and one API by name', async () => {
    const created = await admin.ok('createAccount', { username: 'dave', password: 'pw', email: 'd@example.com', firstname: 'D', lastname: 'E', account: 'apis-tenant' });
    const userId = (((created.account as Obj).user as Obj[])[0]!).id as string;
    const keys = (await admin.ok('registerUserKeys', { id: userId })).userkeys as Obj;
    const tenant = new SignedClient(cloud.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });
    const names = ((await tenant.ok('listApis')).api as Obj[]).map((a) => a.name);
    expect(names).toContain('deployVirtualMachine');
    expect(names).not.toContain('listHosts');
    expect(names).not.toContain('createAccount');
    expect(((await tenant.ok('listApis', { name: 'listzones' })).api as Obj[]).map((a) => a.name)).toEqual(['listZones']);
  });
});

describe('listCapabilities', () => {
  it('is one object under capability, with typed fields', async () => {
    const capability = (await admin.ok('listCapabilities')).capability as Obj;
    expect(capability).toMatchObject({ cloudstackversion: '4.20.0.0', dynamicrolesenabled: true, securitygroupsenabled: false, apilimitinterval: 1, apilimitmax: 25, supportELB: 'false' });
  });
});

describe('views', () => {
  it('render every field with the JSON type it declares', async () => {
    await admin.ok('deployVirtualMachine', { zoneid: [...cloud.runtime.state.zones.keys()][0]!, serviceofferingid: [...cloud.runtime.state.serviceOfferings.values()].find((o) => o.name === 'plain-4g')!.id, templateid: [...cloud.runtime.state.templates.keys()][0]! });
    const state = cloud.runtime.state;
    const ctx: ViewContext = { state, activity: cloud.runtime.activity, caller: { accountId: cloud.admin.accountId, userId: cloud.admin.userId, role: 'RootAdmin', domainId: 'ROOT' } };
    const checks: [string, View<never>, unknown[]][] = [
      ['zone', zoneView as View<never>, [...state.zones.values()]],
      ['pod', podView as View<never>, [...state.pods.values()]],
      ['cluster', clusterView as View<never>, [...state.clusters.values()]],
      ['host', hostView as View<never>, [...state.hosts.values()]],
      ['serviceoffering', serviceOfferingView as View<never>, [...state.serviceOfferings.values()]],
      ['template', templateView as View<never>, [...state.templates.values()].map((template) => ({ template, zoneId: template.zoneIds[0] }))],
      ['network', networkView as View<never>, [...state.networks.values()]],
      ['virtualmachine', virtualMachineView as View<never>, [...state.vms.values()]],
      ['account', accountView as View<never>, [...state.accounts.values()]],
      ['user', userView as View<never>, [...state.users.values()]],
      ['domain', domainView as View<never>, [...state.domains.values()]],
      ['event', eventView as View<never>, cloud.runtime.activity.events],
      ['asyncjob', asyncJobView as View<never>, [...cloud.runtime.jobs.all()]],
    ];
    const wrong: string[] = [];
    for (const [name, view, records] of checks) {
      expect(records.length, name).toBeGreaterThan(0);
      for (const record of records) {
        const rendered = view.render(record as never, ctx);
        for (const spec of view.specs) {
          const value = rendered[spec.name];
          if (value !== undefined && !matchesType(spec.type, value)) wrong.push(`${name}.${spec.name}: declared ${spec.type}, got ${JSON.stringify(value)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('async replies', () => {
  it('start a job with {jobid} only, or {id, jobid} for an async create', async () => {
    const vm = [...cloud.runtime.state.vms.values()].find((v) => v.kind === 'User')!;
    const stop = await admin.get('stopVirtualMachine', { id: vm.id });
    expect(Object.keys(stop.body.stopvirtualmachineresponse as Obj)).toEqual(['jobid']);
    const start = await rawPost(cloud.url, formEncode(admin.signed('startVirtualMachine', { id: vm.id })));
    expect(Object.keys(start.body.startvirtualmachineresponse as Obj)).toEqual(['jobid']);
  });
});
