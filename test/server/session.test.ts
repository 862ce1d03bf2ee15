/**
 * Login sessions the way CloudMonkey uses them: POST login with username, password and domain
 * path; the session key from the `sessionkey` cookie; later calls with the `sessionkey`
 * parameter and the cookie jar; logout ends the session. No signature anywhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_CALLER } from '../../core/ports.js';
import { formEncode, rawGet, rawPost, type Served, serve, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

let cloud: Served | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

/** The cookies a reply sets, by name, with their attributes as sent. */
function setCookies(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headers.getSetCookie()) out[line.slice(0, line.indexOf('='))] = line;
  return out;
}

function cookieValue(line: string): string {
  return line.slice(line.indexOf('=') + 1, line.indexOf(';'));
}

async function login(served: Served, fields: Record<string, string>) {
  return rawPost(served.url, formEncode({ command: 'login', response: 'json', ...fields }));
}

describe('a session', () => {
  it('opens with login, carries calls with the sessionkey parameter and cookie, and ends with logout', async () => {
    cloud = await serve();
    const r = await login(cloud, { username: 'admin', password: cloud.admin.password, domain: '/' });
    expect(r.status).toBe(200);
    const cookies = setCookies(r.headers);
    expect(Object.keys(cookies).sort()).toEqual(['JSESSIONID', 'sessionkey']);
    expect(cookies.sessionkey).toMatch(/^sessionkey=[A-Za-z0-9_-]{27}; Path=\/client; HttpOnly$/);
    expect(cookies.JSESSIONID).toMatch(/^JSESSIONID=[0-9A-F]{32}; Path=\/client; HttpOnly$/);
    const body = r.body.loginresponse as Obj;
    const key = cookieValue(cookies.sessionkey!);
    expect(body).toEqual({
      timeout: 1800,
      sessionkey: key,
      username: 'admin',
      userid: cloud.admin.userId,
      domainid: 'ROOT',
      account: 'admin',
      firstname: 'Admin',
      lastname: 'User',
      type: '1',
      registered: 'false',
      is2faenabled: 'false',
      is2faverified: 'true',
    });

    const jar = `JSESSIONID=${cookieValue(cookies.JSESSIONID!)}; sessionkey=${key}`;
    const zones = await rawGet(cloud.url, `command=listZones&response=json&sessionkey=${encodeURIComponent(key)}`, { cookie: jar });
    expect([zones.status, (zones.body.listzonesresponse as Obj).count]).toEqual([200, 1]);
    // The cookie alone carries the session too.
    expect((await rawGet(cloud.url, 'command=listZones&response=json', { cookie: jar })).status).toBe(200);

    const out = await rawGet(cloud.url, `command=logout&response=json&sessionkey=${encodeURIComponent(key)}`, { cookie: jar });
    expect([out.status, out.body]).toEqual([200, { logoutresponse: { description: 'success' } }]);
    expect(setCookies(out.headers).sessionkey).toBe('sessionkey=; Path=/client; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly');
    const after = await rawGet(cloud.url, `command=listZones&response=json&sessionkey=${encodeURIComponent(key)}`, { cookie: jar });
    expect([after.status, after.body]).toEqual([401, { listzonesresponse: { uuidList: [], errorcode: 401, errortext: 'unable to verify user credentials' } }]);
  });

  it('refuses a sessionkey parameter that differs from the cookie, and ends that session', async () => {
    cloud = await serve();
    const key = cookieValue(setCookies((await login(cloud, { username: 'admin', password: cloud.admin.password })).headers).sessionkey!);
    const mixed = await rawGet(cloud.url, 'command=listZones&response=json&sessionkey=forged', { cookie: `sessionkey=${key}` });
    expect(mixed.status).toBe(401);
    expect((await rawGet(cloud.url, `command=listZones&response=json&sessionkey=${encodeURIComponent(key)}`)).status).toBe(200);
  });

  it('expires after 30 minutes without a request', async () => {
    cloud = await serve();
    const key = cookieValue(setCookies((await login(cloud, { username: 'admin', password: cloud.admin.password })).headers).sessionkey!);
    cloud.time.advanceBy(29 * 60_000);
    expect((await rawGet(cloud.url, `command=listZones&response=json&sessionkey=${encodeURIComponent(key)}`)).status).toBe(200);
    cloud.time.advanceBy(30 * 60_000 + 1);
    expect((await rawGet(cloud.url, `command=listZones&response=json&sessionkey=${encodeURIComponent(key)}`)).status).toBe(401);
  });

  it('is refused for a wrong password, an unknown user or domain, and a disabled user, with one answer', async () => {
    cloud = await serve();
    const admin = new SignedClient(cloud.url, cloud.admin);
    await admin.ok('createDomain', { name: 'sales' });
    const sales = ((await admin.ok('listDomains', { listall: 'true', name: 'sales' })).domain as Obj[])[0]!;
    await admin.ok('createAccount', { username: 'erin', password: 'erin-pw', email: 'e@example.com', firstname: 'E', lastname: 'R', account: 'sales-1', domainid: sales.id as string });
    expect((await login(cloud, { username: 'erin', password: 'erin-pw', domain: '/sales' })).status).toBe(200);
    expect((await login(cloud, { username: 'erin', password: 'erin-pw', domainid: sales.id as string })).status).toBe(200);
    const refusals = await Promise.all([
      login(cloud, { username: 'erin', password: 'wrong', domain: '/sales' }),
      login(cloud, { username: 'erin', password: 'erin-pw' }),
      login(cloud, { username: 'erin', password: 'erin-pw', domain: '/nowhere' }),
    ]);
    expect(refusals.map((r) => [r.status, (r.body.loginresponse as Obj).errortext])).toEqual([
      [401, `Failed to authenticate user erin in domain ${sales.id as string}; please provide valid credentials`],
      [401, 'Failed to authenticate user erin in domain ROOT; please provide valid credentials'],
      [401, 'Failed to authenticate user erin in domain /nowhere; please provide valid credentials'],
    ]);
    const erin = [...cloud.runtime.state.users.values()].find((u) => u.username === 'erin')!;
    expect(cloud.runtime.submit({ type: 'disableUser', id: erin.id }, SYSTEM_CALLER).ok).toBe(true);
    expect((await login(cloud, { username: 'erin', password: 'erin-pw', domain: '/sales' })).status).toBe(401);
  });

  it('stops a signed user whose account is disabled', async () => {
    cloud = await serve();
    const admin = new SignedClient(cloud.url, cloud.admin);
    const created = await admin.ok('createAccount', { username: 'fay', password: 'pw', email: 'f@example.com', firstname: 'F', lastname: 'Y', account: 'fays' });
    const account = created.account as Obj;
    const keys = (await admin.ok('registerUserKeys', { id: ((account.user as Obj[])[0]!).id as string })).userkeys as Obj;
    const fay = new SignedClient(cloud.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });
    expect((await fay.get('listZones')).status).toBe(200);
    cloud.runtime.submit({ type: 'disableAccount', id: account.id as string }, SYSTEM_CALLER);
    expect((await fay.get('listZones')).status).toBe(401);
  });
});
