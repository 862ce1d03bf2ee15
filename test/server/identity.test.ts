/**
 * Identity over HTTP: the domain tree with its paths (and renames that move them), what a domain
 * admin and a user may see and do, account updates, states and deletion (its VMs, addresses and
 * networks go and their capacity comes back), users and their keys, a disabled user's 401,
 * custom roles whose rules really decide who may call what, resource limits set with
 * updateResourceLimit and met by a deploy with 535, projects, and the JSON type of every field
 * the identity views render.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { accountView, domainView, projectAccountView, projectView, resourceCountView, resourceLimitView, rolePermissionView, roleView, userView } from '../../server/views/identity.js';
import type { View, ViewContext } from '../../server/views/view.js';
import { matchesType, serve, type Served, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

let cloud: Served | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

interface World {
  served: Served;
  admin: SignedClient;
  zoneId: string;
  templateId: string;
  offeringId: string;
}

async function world(): Promise<World> {
  cloud = await serve();
  const state = cloud.runtime.state;
  return {
    served: cloud,
    admin: new SignedClient(cloud.url, cloud.admin),
    zoneId: [...state.zones.keys()][0]!,
    templateId: [...state.templates.values()].find((t) => t.name === 'ubuntu-22.04')!.id,
    offeringId: [...state.serviceOfferings.values()].find((o) => o.name === 'plain-4g')!.id,
  };
}

/** An account made by the admin (type 0 unless told), with keys for its first user. */
async function account(w: World, name: string, extra: Record<string, string> = {}): Promise<{ client: SignedClient; account: Obj; userId: string }> {
  const created = (await w.admin.ok('createAccount', { username: `${name}-user`, password: `pw-${name}`, email: `${name}@example.com`, firstname: name, lastname: 'Doe', account: name, ...extra })).account as Obj;
  const userId = (created.user as Obj[])[0]!.id as string;
  const keys = (await w.admin.ok('registerUserKeys', { id: userId })).userkeys as Obj;
  return { client: new SignedClient(w.served.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string }), account: created, userId };
}

async function domain(w: World, name: string, parentdomainid?: string): Promise<Obj> {
  return (await w.admin.ok('createDomain', { name, ...(parentdomainid === undefined ? {} : { parentdomainid }) })).domain as Obj;
}

async function jobOf(client: SignedClient, reply: Obj): Promise<Obj> {
  return client.ok('queryAsyncJobResult', { jobid: reply.jobid as string });
}

async function errorOf(client: SignedClient, command: string, params: Record<string, string> = {}): Promise<[number, string]> {
  const r = await client.get(command, params);
  return [r.status, (r.body[`${command.toLowerCase()}response`] as Obj).errortext as string];
}

const names = (list: unknown): string[] => ((list as Obj[] | undefined) ?? []).map((o) => o.name as string);

async function deploy(w: World, client: SignedClient, name: string): Promise<Obj> {
  return jobOf(client, await client.ok('deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: w.offeringId, templateid: w.templateId, name }));
}

describe('domains', () => {
  it('form a tree with paths; a rename moves the paths below it; listDomainChildren lists children or the whole subtree', async () => {
    const w = await world();
    const corp = await domain(w, 'corp');
    const sales = await domain(w, 'sales', corp.id as string);
    await domain(w, 'emea', sales.id as string);
    expect(sales).toMatchObject({ name: 'sales', path: 'ROOT/corp/sales', level: 2, parentdomainid: corp.id, parentdomainname: 'corp', haschild: false, vmlimit: 'Unlimited', vmtotal: 0 });
    const all = (await w.admin.ok('listDomains', { listall: 'true' })).domain as Obj[];
    expect(all.map((d) => d.path)).toEqual(['ROOT', 'ROOT/corp', 'ROOT/corp/sales', 'ROOT/corp/sales/emea']);

    const renamed = (await w.admin.ok('updateDomain', { id: sales.id as string, name: 'revenue', networkdomain: 'revenue.example.com' })).domain as Obj;
    expect(renamed).toMatchObject({ name: 'revenue', path: 'ROOT/corp/revenue', networkdomain: 'revenue.example.com' });
    const children = (await w.admin.ok('listDomainChildren', { id: corp.id as string })).domain as Obj[];
    expect(children.map((d) => d.path)).toEqual(['ROOT/corp/revenue']);
    const below = (await w.admin.ok('listDomainChildren', { id: corp.id as string, isrecursive: 'true' })).domain as Obj[];
    expect(below.map((d) => d.path)).toEqual(['ROOT/corp/revenue', 'ROOT/corp/revenue/emea']);
    expect(await errorOf(w.admin, 'updateDomain', { id: all[0]!.id as string, name: 'TOP' })).toEqual([431, 'ROOT domain can not be edited with a new name']);
  });

  it('is deleted only when empty, or with cleanup together with its accounts', async () => {
    const w = await world();
    const lab = await domain(w, 'lab');
    const ann = await account(w, 'ann', { domainid: lab.id as string });
    const refused = await jobOf(w.admin, await w.admin.ok('deleteDomain', { id: lab.id as string }));
    expect(refused).toMatchObject({
      jobstatus: 2,
      jobresultcode: 530,
      jobresult: { errorcode: 536, errortext: `Delete failed on domain lab (id: ${lab.id}); Please make sure all users and sub domains have been removed from the domain before deleting` },
    });
    const done = await jobOf(w.admin, await w.admin.ok('deleteDomain', { id: lab.id as string, cleanup: 'true' }));
    expect(done).toMatchObject({ jobstatus: 1, jobresult: { success: true }, jobinstancetype: 'Domain' });
    expect((await w.admin.ok('listDomains', { listall: 'true' })).domain).toEqual([expect.objectContaining({ path: 'ROOT' })]);
    expect((await ann.client.get('listZones')).status).toBe(401);
  });
});

describe('scope', () => {
  it('a domain admin sees and manages its subtree only; a user only its own account', async () => {
    const w = await world();
    const corp = await domain(w, 'corp');
    const sales = await domain(w, 'sales', corp.id as string);
    const emea = await domain(w, 'emea', sales.id as string);
    await account(w, 'hq', { domainid: corp.id as string });
    const boss = await account(w, 'boss', { domainid: sales.id as string, accounttype: '2' });
    const seller = await account(w, 'seller', { domainid: emea.id as string });
    const peer = await account(w, 'peer', { domainid: emea.id as string });

    const seen = (await boss.client.ok('listAccounts', { listall: 'true' })).account as Obj[];
    expect(seen.map((a) => `${a.name} ${a.domainpath}`)).toEqual(['boss ROOT/corp/sales', 'seller ROOT/corp/sales/emea', 'peer ROOT/corp/sales/emea']);
    expect(names((await boss.client.ok('listDomains', { listall: 'true' })).domain)).toEqual(['sales', 'emea']);
    expect(await errorOf(boss.client, 'listAccounts', { domainid: corp.id as string })).toEqual([531, `Account boss does not have permission to access domain ${corp.id}`]);
    // The domain admin renames an account below it, but not one above it.
    expect(((await boss.client.ok('updateAccount', { id: seller.account.id as string, newname: 'seller-eu' })).account as Obj).name).toBe('seller-eu');
    const hq = ((await w.admin.ok('listAccounts', { name: 'hq', listall: 'true' })).account as Obj[])[0]!;
    expect(await errorOf(boss.client, 'updateAccount', { id: hq.id as string, newname: 'mine' })).toEqual([531, 'the caller may not manage account hq']);

    expect(names((await seller.client.ok('listAccounts', { listall: 'true' })).account)).toEqual(['seller-eu']);
    expect(((await seller.client.ok('listUsers', { listall: 'true' })).user as Obj[]).map((u) => u.username)).toEqual(['seller-user']);
    const vm = await deploy(w, peer.client, 'peer-vm');
    expect(vm.jobstatus).toBe(1);
    expect(await seller.client.ok('listVirtualMachines', { listall: 'true' })).toEqual({});
    expect(await errorOf(seller.client, 'listVirtualMachines', { account: 'peer', domainid: emea.id as string })).toEqual([531, 'Account seller-eu may not list resources of account peer']);
    // A user may not call the admin commands at all.
    expect(await errorOf(seller.client, 'deleteAccount', { id: peer.account.id as string })).toEqual([401, "The given command 'deleteAccount' either does not exist, is not available for user."]);
  });
});

describe('accounts', () => {
  it('are disabled, locked and enabled again; a disabled account\'s users get 401', async () => {
    const w = await world();
    const carol = await account(w, 'carol');
    const id = carol.account.id as string;
    const disabled = await jobOf(w.admin, await w.admin.ok('disableAccount', { id, lock: 'false' }));
    expect(disabled).toMatchObject({ jobstatus: 1, jobinstancetype: 'Account', jobinstanceid: id, cmd: 'org.apache.cloudstack.api.command.admin.account.DisableAccountCmd' });
    expect(((disabled.jobresult as Obj).account as Obj).state).toBe('disabled');
    const r = await carol.client.get('listZones');
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ listzonesresponse: { uuidList: [], errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' } });
    expect(((await w.admin.ok('enableAccount', { id })).account as Obj).state).toBe('enabled');
    expect((await carol.client.get('listZones')).status).toBe(200);
    const locked = (await w.admin.ok('lockAccount', { account: 'carol', domainid: carol.account.domainid as string })).account as Obj;
    expect(locked.state).toBe('locked');
    expect((await carol.client.get('listZones')).status).toBe(401);
  });

  it('are deleted with their VMs, addresses and networks, and the capacity and addresses come back', async () => {
    const w = await world();
    const carol = await account(w, 'carol');
    const hostsBefore = ((await w.admin.ok('listHosts', { type: 'Routing' })).host as Obj[]).map((h) => `${h.name} ${h.cpuallocatedvalue}`);
    const ipsBefore = ((await w.admin.ok('listPublicIpAddresses', { listall: 'true' })).publicipaddress as Obj[]).length;
    expect((await deploy(w, carol.client, 'web')).jobstatus).toBe(1);
    const network = ((await carol.client.ok('listNetworks')).network as Obj[]).find((n) => n.type === 'Isolated')!;
    const extra = await jobOf(carol.client, await carol.client.ok('associateIpAddress', { networkid: network.id as string }));
    expect(extra.jobstatus).toBe(1);
    expect(((await w.admin.ok('listPublicIpAddresses', { listall: 'true' })).publicipaddress as Obj[]).length).toBe(ipsBefore + 2);

    const deleted = await jobOf(w.admin, await w.admin.ok('deleteAccount', { id: carol.account.id as string }));
    expect(deleted).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresult: { success: true }, jobinstancetype: 'Account', jobinstanceid: carol.account.id });
    expect(names((await w.admin.ok('listAccounts', { listall: 'true' })).account)).toEqual(['alice', 'bob', 'admin']);
    expect(await w.admin.ok('listVirtualMachines', { listall: 'true' })).toEqual({});
    expect(((await w.admin.ok('listPublicIpAddresses', { listall: 'true' })).publicipaddress as Obj[]).length).toBe(ipsBefore);
    expect(((await w.admin.ok('listHosts', { type: 'Routing' })).host as Obj[]).map((h) => `${h.name} ${h.cpuallocatedvalue}`)).toEqual(hostsBefore);
    expect((await carol.client.get('listZones')).status).toBe(401);
    const types = ((await w.admin.ok('listEvents', { listall: 'true', type: 'ACCOUNT.DELETE' })).event as Obj[]).map((e) => e.description);
    expect(types).toEqual(['Deleted account carol']);
  });

  it('list their limits and totals as cloudstack-go reads them', async () => {
    const w = await world();
    const carol = await account(w, 'carol');
    await deploy(w, carol.client, 'web');
    const listed = ((await carol.client.ok('listAccounts')).account as Obj[])[0]!;
    expect(listed).toMatchObject({
      name: 'carol', accounttype: 0, state: 'enabled',
      vmlimit: '20', vmtotal: 1, vmavailable: '19', vmrunning: 1, vmstopped: 0,
      cpulimit: 'Unlimited', cputotal: 2, memorytotal: 4096,
      iplimit: '20', iptotal: 1, networklimit: '20', networktotal: 1, volumetotal: 1,
      projectlimit: '10', projecttotal: 0, projectavailable: '10',
      secondarystoragelimit: 'Unlimited', secondarystoragetotal: 0,
    });
    const admin = ((await w.admin.ok('listAccounts', { name: 'admin' })).account as Obj[])[0]!;
    expect(admin).toMatchObject({ accounttype: 1, vmlimit: 'Unlimited', vmavailable: 'Unlimited' });
  });
});

describe('users', () => {
  it('are updated, locked, enabled, given keys, and deleted; a disabled user gets 401', async () => {
    const w = await world();
    const carol = await account(w, 'carol');
    const updated = (await w.admin.ok('updateUser', { id: carol.userId, firstname: 'Caroline', email: 'caroline@example.com', timezone: 'Europe/Paris' })).user as Obj;
    expect(updated).toMatchObject({ username: 'carol-user', firstname: 'Caroline', email: 'caroline@example.com', timezone: 'Europe/Paris', account: 'carol' });
    expect(await errorOf(carol.client, 'updateUser', { id: carol.userId, password: 'new' })).toEqual([431, 'To set a new password the current password must be provided.']);
    expect(await errorOf(carol.client, 'updateUser', { id: carol.userId, password: 'new', currentpassword: 'wrong' })).toEqual([431, 'Current password is incorrect.']);
    expect(((await carol.client.ok('updateUser', { id: carol.userId, password: 'new', currentpassword: 'pw-carol' })).user as Obj).id).toBe(carol.userId);

    const keys = (await carol.client.ok('getUserKeys', { id: carol.userId })).userkeys as Obj;
    expect(Object.keys(keys).sort()).toEqual(['apikey', 'apikeyaccess', 'secretkey']);
    const dave = await account(w, 'dave');
    expect(await errorOf(dave.client, 'getUserKeys', { id: carol.userId })).toEqual([431, `Unable to find user by id ${carol.userId}`]);

    const disabled = await jobOf(w.admin, await w.admin.ok('disableUser', { id: carol.userId }));
    expect(disabled).toMatchObject({ jobstatus: 1, jobinstancetype: 'User', jobresult: { user: expect.objectContaining({ id: carol.userId, state: 'disabled' }) } });
    const refused = await carol.client.get('listZones');
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ listzonesresponse: { uuidList: [], errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' } });
    expect(refused.headers.get('x-description')).toBe('unable to verify user credentials and/or request signature');
    expect(((await w.admin.ok('enableUser', { id: carol.userId })).user as Obj).state).toBe('enabled');
    expect(((await w.admin.ok('lockUser', { id: carol.userId })).user as Obj).state).toBe('locked');
    expect((await carol.client.get('listZones')).status).toBe(401);
    const second = (await w.admin.ok('createUser', { account: 'carol', username: 'carol2', password: 'p', email: 'c2@example.com', firstname: 'C', lastname: 'Two' })).user as Obj;
    expect(await w.admin.ok('deleteUser', { id: second.id as string })).toEqual({ success: true });
    expect(((await w.admin.ok('listUsers', { account: 'carol' })).user as Obj[]).map((u) => u.username)).toEqual(['carol-user']);
  });
});

describe('roles', () => {
  it('decide who may call what: a User role without deployVirtualMachine gets 401 on it, and the rules can change', async () => {
    const w = await world();
    const role = (await w.admin.ok('createRole', { name: 'no-deploy', type: 'User', description: 'everything but deploys' })).role as Obj;
    expect(role).toMatchObject({ name: 'no-deploy', type: 'User', isdefault: false, ispublic: true });
    const rule = (await w.admin.ok('createRolePermission', { roleid: role.id as string, rule: 'deployVirtualMachine', permission: 'deny', description: 'no new VMs' })).rolepermission as Obj;
    expect(rule).toMatchObject({ roleid: role.id, rolename: 'no-deploy', rule: 'deployVirtualMachine', permission: 'deny', description: 'no new VMs' });
    const erin = await account(w, 'erin', { roleid: role.id as string });
    expect(erin.account).toMatchObject({ rolename: 'no-deploy', roletype: 'User', accounttype: 0 });
    expect(await errorOf(erin.client, 'deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: w.offeringId, templateid: w.templateId })).toEqual([
      401,
      "The given command 'deployVirtualMachine' either does not exist, is not available for user.",
    ]);
    expect((await erin.client.get('listVirtualMachines')).status).toBe(200);
    expect(names((await erin.client.ok('listApis', { name: 'deployVirtualMachine' })).api)).toEqual([]);

    const allow = (await w.admin.ok('createRolePermission', { roleid: role.id as string, rule: 'deploy*', permission: 'allow' })).rolepermission as Obj;
    expect(await w.admin.ok('updateRolePermission', { roleid: role.id as string, ruleorder: `${allow.id},${rule.id}` })).toEqual({ success: true });
    expect(((await w.admin.ok('listRolePermissions', { roleid: role.id as string })).rolepermission as Obj[]).map((r) => `${r.rule} ${r.permission}`)).toEqual(['deploy* allow', 'deployVirtualMachine deny']);
    expect((await deploy(w, erin.client, 'allowed')).jobstatus).toBe(1);
    expect(await w.admin.ok('updateRolePermission', { roleid: role.id as string, ruleid: allow.id as string, permission: 'deny' })).toEqual({ success: true });
    expect((await erin.client.get('deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: w.offeringId, templateid: w.templateId })).status).toBe(401);
    expect(await w.admin.ok('deleteRolePermission', { id: allow.id as string })).toEqual({ success: true });
    expect(await w.admin.ok('deleteRolePermission', { id: rule.id as string })).toEqual({ success: true });
    expect((await deploy(w, erin.client, 'again')).jobstatus).toBe(1);

    expect(((await w.admin.ok('updateRole', { id: role.id as string, description: 'deploys again' })).role as Obj).description).toBe('deploys again');
    expect(await errorOf(w.admin, 'deleteRole', { id: role.id as string })).toEqual([531, "Found accounts which have role in use, won't delete role"]);
    const defaults = ((await w.admin.ok('listRoles', { name: 'User' })).role as Obj[])[0]!;
    expect(await errorOf(w.admin, 'deleteRole', { id: defaults.id as string })).toEqual([531, 'Default roles cannot be deleted']);
    const spare = (await w.admin.ok('createRole', { name: 'spare', roleid: role.id as string })).role as Obj;
    expect(await w.admin.ok('deleteRole', { id: spare.id as string })).toEqual({ success: true });
    expect(names((await w.admin.ok('listRoles')).role)).toEqual(['Root Admin', 'Resource Admin', 'Domain Admin', 'User', 'no-deploy']);
  });
});

describe('resource limits', () => {
  it('are set with updateResourceLimit, listed by type number, recounted, and a deploy past one fails with 535', async () => {
    const w = await world();
    const carol = await account(w, 'carol');
    const domainid = carol.account.domainid as string;
    const set = (await w.admin.ok('updateResourceLimit', { resourcetype: '0', max: '1', account: 'carol', domainid })).resourcelimit as Obj;
    expect(set).toEqual({ account: 'carol', domainid, domain: 'ROOT', domainpath: 'ROOT', resourcetype: '0', resourcetypename: 'user_vm', max: 1 });
    const limits = (await carol.client.ok('listResourceLimits')).resourcelimit as Obj[];
    expect(limits.map((l) => `${l.resourcetype} ${l.resourcetypename} ${l.max}`)).toEqual([
      '0 user_vm 1', '1 public_ip 20', '2 volume 20', '3 snapshot 20', '4 template 20', '5 project 10',
      '6 network 20', '7 vpc 20', '8 cpu -1', '9 memory -1', '10 primary_storage -1', '11 secondary_storage -1',
    ]);
    expect(((await carol.client.ok('listResourceLimits', { resourcetype: '5' })).resourcelimit as Obj[]).map((l) => l.max)).toEqual([10]);

    expect((await deploy(w, carol.client, 'one')).jobstatus).toBe(1);
    const refused = await deploy(w, carol.client, 'two');
    expect(refused).toMatchObject({
      jobstatus: 2,
      jobresultcode: 530,
      jobresult: { errorcode: 535, errortext: "Maximum number of resources of type 'user_vm' for account carol has been exceeded: it holds 1 user VM, asks for 1 more, and its limit is 1" },
    });
    expect(await errorOf(carol.client, 'updateResourceLimit', { resourcetype: '0', max: '5', account: 'carol', domainid })).toEqual([401, "The given command 'updateResourceLimit' either does not exist, is not available for user."]);
    expect(await errorOf(w.admin, 'updateResourceLimit', { resourcetype: '12', max: '5', account: 'carol', domainid })).toEqual([431, 'Please specify valid resource type']);
    expect(await errorOf(w.admin, 'updateResourceLimit', { resourcetype: '0', max: '-3', account: 'carol', domainid })).toEqual([431, "Please specify either '-1' for an infinite limit, or a limit that is at least '0'."]);

    const counts = (await w.admin.ok('updateResourceCount', { domainid, account: 'carol' })).resourcecount as Obj[];
    expect(counts.filter((c) => (c.resourcecount as number) > 0).map((c) => `${c.resourcetype} ${c.resourcetypename} ${c.resourcecount}`)).toEqual([
      '0 user_vm 1', '1 public_ip 1', '2 volume 1', '6 network 1', '8 cpu 2', '9 memory 4096', '10 primary_storage 10',
    ]);

    const lab = await domain(w, 'lab');
    const domainLimit = (await w.admin.ok('updateResourceLimit', { resourcetype: '8', max: '4', domainid: lab.id as string })).resourcelimit as Obj;
    expect(domainLimit).toMatchObject({ domainid: lab.id, domain: 'lab', domainpath: 'ROOT/lab', resourcetype: '8', resourcetypename: 'cpu', max: 4 });
    expect(domainLimit.account).toBeUndefined();
    const ann = await account(w, 'ann', { domainid: lab.id as string });
    expect((await deploy(w, ann.client, 'a1')).jobstatus).toBe(1);
    expect((await deploy(w, ann.client, 'a2')).jobstatus).toBe(1);
    expect((await deploy(w, ann.client, 'a3')).jobresult).toEqual({
      errorcode: 535,
      errortext: `Maximum number of resources of type 'cpu' for domain id=${lab.id} has been exceeded: its accounts hold 4 vCPUs, ann asks for 2 more, and the domain's limit is 4`,
    });
    const listedLab = ((await w.admin.ok('listDomains', { id: lab.id as string })).domain as Obj[])[0]!;
    expect(listedLab).toMatchObject({ cpulimit: '4', cputotal: 4, cpuavailable: '0', vmtotal: 2 });
  });
});

describe('projects', () => {
  it('are created by an account, joined by another, listed with their members, and deleted', async () => {
    const w = await world();
    const carol = await account(w, 'carol');
    await account(w, 'dave');
    const started = await carol.client.ok('createProject', { name: 'apollo', displaytext: 'Moon shot' });
    const created = await jobOf(carol.client, started);
    expect(created).toMatchObject({ jobstatus: 1, jobinstancetype: 'Project', jobinstanceid: started.id });
    const project = (created.jobresult as Obj).project as Obj;
    expect(project).toMatchObject({ id: started.id, name: 'apollo', displaytext: 'Moon shot', domain: 'ROOT', state: 'Active', owner: [{ account: 'carol', accountid: carol.account.id }], vmlimit: '20' });
    const added = await jobOf(carol.client, await carol.client.ok('addAccountToProject', { projectid: project.id as string, account: 'dave' }));
    expect(added).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    const members = (await carol.client.ok('listProjectAccounts', { projectid: project.id as string })).projectaccount as Obj[];
    expect(members.map((m) => `${m.account} ${m.role}`)).toEqual(['carol Admin', 'dave Regular']);
    expect(names((await w.admin.ok('listProjects', { listall: 'true' })).project)).toEqual(['apollo']);
    expect(await w.admin.ok('listProjects')).toEqual({});
    expect(((await carol.client.ok('listAccounts')).account as Obj[])[0]).toMatchObject({ projecttotal: 1, projectavailable: '9' });
    const gone = await jobOf(carol.client, await carol.client.ok('deleteProject', { id: project.id as string }));
    expect(gone).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect(await carol.client.ok('listProjects')).toEqual({});
  });
});

describe('views', () => {
  it('render every field with the JSON type it declares', async () => {
    const w = await world();
    const carol = await account(w, 'carol');
    await deploy(w, carol.client, 'web');
    await w.admin.ok('createRole', { name: 'r', type: 'User' });
    const role = [...w.served.runtime.state.roles.values()].at(-1)!;
    await w.admin.ok('createRolePermission', { roleid: role.id, rule: 'list*', permission: 'allow' });
    await jobOf(carol.client, await carol.client.ok('createProject', { name: 'p', displaytext: 'p' }));
    const state = w.served.runtime.state;
    const ctx: ViewContext = { state, activity: w.served.runtime.activity, caller: undefined };
    const project = [...state.projects.values()][0]!;
    const samples: [string, View<never>, unknown[]][] = [
      ['account', accountView as View<never>, [...state.accounts.values()].filter((a) => a.id !== 'system')],
      ['domain', domainView as View<never>, [...state.domains.values()]],
      ['user', userView as View<never>, [...state.users.values()]],
      ['role', roleView as View<never>, [...state.roles.values()]],
      ['rolepermission', rolePermissionView as View<never>, role.permissions],
      ['project', projectView as View<never>, [project]],
      ['projectaccount', projectAccountView as View<never>, project.members.map((m) => ({ project, ...m }))],
      ['resourcelimit', resourceLimitView as View<never>, [{ type: 'secondary_storage', max: -1, accountId: carol.account.id, domainId: 'ROOT' }]],
      ['resourcecount', resourceCountView as View<never>, [{ type: 'cpu', count: 2, domainId: 'ROOT' }]],
    ];
    const wrong: string[] = [];
    for (const [name, view, records] of samples) {
      expect(records.length, name).toBeGreaterThan(0);
      for (const record of records) {
        const rendered = view.render(record as never, ctx);
        for (const spec of view.specs) {
          const value = rendered[spec.name];
          if (value !== undefined && !matchesType(spec.type, value)) wrong.push(`${name}.${spec.name}: ${spec.type} but ${JSON.stringify(value)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
