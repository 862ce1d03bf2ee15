/**
 * The served cloud end to end over HTTP, with a client that signs its requests: the bootstrap
 * admin lists the catalogue, deploys a VM, polls the job, lists the VM, stops it and destroys it;
 * a tenant created through the API does the same within its own account; the event log and the
 * job list tell what happened. Drivers answer at once, except in the test that watches a job
 * while it is pending, which moves the manual clock past the VM's start latency.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Served, serve, SignedClient } from './support.js';

let cloud: Served | undefined;

afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

async function adminClient(): Promise<{ served: Served; admin: SignedClient }> {
  cloud = await serve();
  return { served: cloud, admin: new SignedClient(cloud.url, cloud.admin) };
}

type Obj = Record<string, unknown>;

async function ids(admin: SignedClient) {
  const zones = await admin.ok('listZones');
  const offerings = await admin.ok('listServiceOfferings', { name: 'plain-4g' });
  const templates = await admin.ok('listTemplates', { templatefilter: 'featured' });
  return {
    zoneId: ((zones.zone as Obj[])[0]!).id as string,
    offeringId: ((offerings.serviceoffering as Obj[])[0]!).id as string,
    templateId: ((templates.template as Obj[])[0]!).id as string,
  };
}

describe('a signed workflow as the root admin', () => {
  it('lists the zone, pod, cluster, hosts, offerings and template of the scenario', async () => {
    const { admin } = await adminClient();
    const zones = await admin.ok('listZones');
    expect(zones.count).toBe(1);
    expect((zones.zone as Obj[])[0]).toMatchObject({ name: 'z1', networktype: 'Advanced', allocationstate: 'Enabled', securitygroupsenabled: false, localstorageenabled: false, type: 'Core' });
    expect(((await admin.ok('listPods')).pod as Obj[]).map((p) => [p.name, p.gateway, p.netmask, p.startip, p.endip])).toEqual([['p1', '10.0.0.1', '255.255.255.0', ['10.0.0.2'], ['10.0.0.20']]]);
    expect(((await admin.ok('listClusters')).cluster as Obj[]).map((c) => [c.name, c.hypervisortype, c.cpuovercommitratio])).toEqual([['c1', 'KVM', '1']]);
    const hosts = (await admin.ok('listHosts')).host as Obj[];
    expect(hosts.map((h) => [h.name, h.state, h.cpunumber, h.cpuspeed, h.memorytotal, h.ipaddress])).toEqual([
      ['host1', 'Up', 16, 2000, 64 * 1024 ** 3, '10.0.0.101'],
      ['host2', 'Up', 16, 2000, 64 * 1024 ** 3, '10.0.0.102'],
    ]);
    expect(((await admin.ok('listServiceOfferings')).serviceoffering as Obj[]).map((o) => `${o.name} ${o.cpunumber}x${o.cpuspeed} ${o.memory}`)).toEqual(['big 8x2000 32768', 'ha-4g 2x2000 4096', 'plain-4g 2x2000 4096']);
    const templates = await admin.ok('listTemplates', { templatefilter: 'featured' });
    expect(templates.count).toBe(1);
    expect((templates.template as Obj[])[0]).toMatchObject({ name: 'ubuntu-22.04', format: 'QCOW2', hypervisor: 'KVM', size: 2 * 1024 ** 3, isready: true, ispublic: true, isfeatured: true, zonename: 'z1' });
  });

  it('adds a host given by name with the first free address of its pod, and refuses a malformed address', async () => {
    const { admin } = await adminClient();
    const pod = ((await admin.ok('listPods')).pod as Obj[])[0]!;
    const cluster = ((await admin.ok('listClusters')).cluster as Obj[])[0]!;
    const add = (url: string, podid = pod.id as string, clusterid = cluster.id as string) =>
      admin.get('addHost', { zoneid: pod.zoneid as string, podid, clusterid, hypervisor: 'KVM', url, username: 'root', password: 'x' });
    // The pod is 10.0.0.0/24 with gateway .1, system range .2-.20 and hosts at .101 and .102.
    for (const url of ['http://kvm-03.example.com', 'kvm-04']) expect((await add(url)).status).toBe(200);
    const hosts = (await admin.ok('listHosts')).host as Obj[];
    expect(hosts.map((h) => [h.name, h.ipaddress, h.state])).toEqual([
      ['host1', '10.0.0.101', 'Up'],
      ['host2', '10.0.0.102', 'Up'],
      ['kvm-03.example.com', '10.0.0.21', 'Up'],
      ['kvm-04', '10.0.0.22', 'Up'],
    ]);
    const malformed = await add('http://10.0.0.300');
    expect([malformed.status, (malformed.body.addhostresponse as Obj).cserrorcode, (malformed.body.addhostresponse as Obj).errortext])
      .toEqual([530, 4250, 'Unable to add the host: Cannot find the server resources at http://10.0.0.300']);
    const again = await add('http://kvm-04');
    expect([again.status, (again.body.addhostresponse as Obj).errortext]).toEqual([431, expect.stringContaining('a host named "kvm-04" already exists in cluster c1')]);

    // A pod of four addresses: network, gateway, the one system address, broadcast.
    const full = (await admin.ok('createPod', { name: 'p-full', zoneid: pod.zoneid as string, gateway: '10.9.0.1', netmask: '255.255.255.252', startip: '10.9.0.2', endip: '10.9.0.2' })).pod as Obj;
    const fullCluster = ((await admin.ok('addCluster', { clustername: 'c-full', clustertype: 'CloudManaged', hypervisor: 'KVM', podid: full.id as string, zoneid: pod.zoneid as string })).cluster as Obj[])[0]!;
    const none = await add('kvm-05', full.id as string, fullCluster.id as string);
    expect([none.status, (none.body.addhostresponse as Obj).errortext]).toEqual([530, 'Unable to add the host kvm-05: pod p-full has no free address left in 10.9.0.0/30 outside its reserved ranges']);
    expect(((await admin.ok('listHosts')).host as Obj[]).length).toBe(4);
  });

  it('deploys a VM, polls the job to success, lists the VM, stops it and destroys it', async () => {
    const { served, admin } = await adminClient();
    const { zoneId, offeringId, templateId } = await ids(admin);
    const deploy = await admin.post('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: offeringId, templateid: templateId, name: 'web-1' });
    expect(deploy.status).toBe(200);
    const started = deploy.body.deployvirtualmachineresponse as Obj;
    expect(Object.keys(started).sort()).toEqual(['id', 'jobid']);
    expect(typeof started.jobid).toBe('string');
    const job = await admin.ok('queryAsyncJobResult', { jobid: started.jobid as string });
    expect(job).toMatchObject({ jobid: started.jobid, jobstatus: 1, jobresultcode: 0, jobresulttype: 'object', jobinstancetype: 'VirtualMachine', jobinstanceid: started.id, jobprocstatus: 0, created: '2026-01-01T12:00:00+0000', completed: '2026-01-01T12:00:00+0000', cmd: 'org.apache.cloudstack.api.command.user.vm.DeployVMCmd' });
    const vm = (job.jobresult as Obj).virtualmachine as Obj;
    expect(Object.keys(job.jobresult as Obj)).toEqual(['virtualmachine']);
    expect(vm).toMatchObject({ id: started.id, name: 'web-1', state: 'Running', account: 'admin', zonename: 'z1', serviceofferingname: 'plain-4g', templatename: 'ubuntu-22.04', cpunumber: 2, cpuspeed: 2000, memory: 4096, hostname: 'host1', hypervisor: 'KVM' });
    expect((vm.nic as Obj[]).map((n) => [n.isdefault, n.traffictype, n.type, n.networkname])).toEqual([[true, 'Guest', 'Isolated', 'admin-network']]);

    const listed = await admin.ok('listVirtualMachines', { id: started.id as string });
    expect(listed.count).toBe(1);
    expect((listed.virtualmachine as Obj[])[0]).toMatchObject({ id: started.id, state: 'Running' });

    served.time.advanceBy(60_000);
    const stop = await admin.post('stopVirtualMachine', { id: started.id as string });
    const stopJob = await admin.ok('queryAsyncJobResult', { jobid: (stop.body.stopvirtualmachineresponse as Obj).jobid as string });
    expect(stopJob).toMatchObject({ jobstatus: 1, jobresultcode: 0, created: '2026-01-01T12:01:00+0000' });
    expect(((stopJob.jobresult as Obj).virtualmachine as Obj).state).toBe('Stopped');

    const destroy = await admin.post('destroyVirtualMachine', { id: started.id as string });
    const destroyJob = await admin.ok('queryAsyncJobResult', { jobid: (destroy.body.destroyvirtualmachineresponse as Obj).jobid as string });
    expect(((destroyJob.jobresult as Obj).virtualmachine as Obj).state).toBe('Destroyed');
    // Admins see a destroyed VM until it is expunged; 'Running' finds nothing.
    expect(((await admin.ok('listVirtualMachines')).virtualmachine as Obj[]).map((v) => `${v.name} ${v.state}`)).toEqual(['web-1 Destroyed']);
    expect(await admin.ok('listVirtualMachines', { state: 'Running' })).toEqual({});

    const events = (await admin.ok('listEvents', { type: 'VM.CREATE' })).event as Obj[];
    expect(events.map((e) => [e.type, e.level, e.resourcename, e.username, e.account, e.created])).toEqual([['VM.CREATE', 'INFO', 'web-1', 'admin', 'admin', '2026-01-01T12:00:00+0000']]);
    const vmEvents = ((await admin.ok('listEvents', { resourceid: started.id as string })).event as Obj[]).map((e) => e.type);
    expect(vmEvents).toEqual(['VM.DESTROY', 'VM.STOP', 'VM.START', 'VM.CREATE']);
    const jobs = (await admin.ok('listAsyncJobs')).asyncjobs as Obj[];
    expect(jobs.map((j) => [j.cmd, j.jobstatus])).toEqual([
      ['org.apache.cloudstack.api.command.user.vm.DestroyVMCmd', 1],
      ['org.apache.cloudstack.api.command.user.vm.StopVMCmd', 1],
      ['org.apache.cloudstack.api.command.user.vm.DeployVMCmd', 1],
    ]);
  });

  it('reports a job as pending until the VM has started, then as done', async () => {
    cloud = await serve({ drivers: { vmStart: { latencyMs: { minMs: 30_000, maxMs: 30_000 }, failureProbability: 0 }, vmStop: { latencyMs: { minMs: 10_000, maxMs: 10_000 }, failureProbability: 0 } } });
    const admin = new SignedClient(cloud.url, cloud.admin);
    cloud.time.advanceBy(60_000); // the system VMs start
    const { zoneId, offeringId, templateId } = await ids(admin);
    const deploy = await admin.ok('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: offeringId, templateid: templateId });
    const pending = await admin.ok('queryAsyncJobResult', { jobid: deploy.jobid as string });
    expect(pending).toMatchObject({ jobstatus: 0, jobresultcode: 0, jobinstanceid: deploy.id });
    expect(pending).not.toHaveProperty('jobresult');
    expect(pending).not.toHaveProperty('completed');
    expect(((await admin.ok('listVirtualMachines')).virtualmachine as Obj[])[0]!.state).toBe('Starting');
    cloud.time.advanceBy(29_999);
    expect((await admin.ok('queryAsyncJobResult', { jobid: deploy.jobid as string })).jobstatus).toBe(0);
    cloud.time.advanceBy(1);
    const done = await admin.ok('queryAsyncJobResult', { jobid: deploy.jobid as string });
    expect(done).toMatchObject({ jobstatus: 1, created: '2026-01-01T12:01:00+0000', completed: '2026-01-01T12:01:30+0000' });
  });

  it('fails the job of a deploy the cloud has no room for, with the reason', async () => {
    const { admin } = await adminClient();
    const { zoneId, templateId } = await ids(admin);
    const big = ((await admin.ok('listServiceOfferings', { name: 'big' })).serviceoffering as Obj[])[0]!.id as string;
    for (let i = 0; i < 4; i++) expect((await admin.post('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: big, templateid: templateId })).status).toBe(200);
    const fifth = await admin.ok('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: big, templateid: templateId });
    expect(Object.keys(fifth)).toEqual(['jobid']);
    const job = await admin.ok('queryAsyncJobResult', { jobid: fifth.jobid as string });
    expect(job).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresulttype: 'object' });
    expect((job.jobresult as Obj).errorcode).toBe(533);
    expect((job.jobresult as Obj).errortext).toBe('Unable to create a deployment for the VM (8 x 2000 MHz and 32,768 MiB) in zone z1: no host fits; removed: 1 cluster over the 0.85 CPU disable threshold');
  });
});

describe('a tenant of the cloud', () => {
  it('is created by the admin, gets keys, deploys within its own account and sees only its own VMs', async () => {
    const { admin } = await adminClient();
    const created = await admin.post('createAccount', { username: 'carol', password: 'carol-pw', email: 'carol@example.com', firstname: 'Carol', lastname: 'Doe', account: 'tenant-1', accounttype: '0' });
    expect(created.status).toBe(200);
    const account = (created.body.createaccountresponse as Obj).account as Obj;
    expect(account).toMatchObject({ name: 'tenant-1', accounttype: 0, roletype: 'User', rolename: 'User', state: 'enabled', domain: 'ROOT', vmtotal: 0, vmlimit: '20', vmavailable: '20', created: '2026-01-01T12:00:00+0000' });
    const carol = (account.user as Obj[])[0]!;
    expect(carol).toMatchObject({ username: 'carol', firstname: 'Carol', email: 'carol@example.com', accounttype: 0, state: 'enabled', account: 'tenant-1' });
    const keys = (await admin.ok('registerUserKeys', { id: carol.id as string })).userkeys as Obj;
    expect(Object.keys(keys).sort()).toEqual(['apikey', 'secretkey']);
    expect((keys.apikey as string).length).toBe(86);
    const tenant = new SignedClient(cloud!.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });

    const { zoneId, offeringId, templateId } = await ids(tenant);
    await admin.ok('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: offeringId, templateid: templateId, name: 'admins-vm' });
    const deploy = await tenant.ok('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: offeringId, templateid: templateId, name: 'carols-vm' });
    const result = ((await tenant.ok('queryAsyncJobResult', { jobid: deploy.jobid as string })).jobresult as Obj).virtualmachine as Obj;
    expect(result).toMatchObject({ name: 'carols-vm', account: 'tenant-1', state: 'Running' });
    expect(result).not.toHaveProperty('hostid');
    expect(((await tenant.ok('listVirtualMachines', { listall: 'true' })).virtualmachine as Obj[]).map((v) => v.name)).toEqual(['carols-vm']);
    expect(((await admin.ok('listVirtualMachines')).virtualmachine as Obj[]).map((v) => v.name)).toEqual(['admins-vm']);
    expect(((await admin.ok('listVirtualMachines', { listall: 'true' })).virtualmachine as Obj[]).map((v) => v.name)).toEqual(['admins-vm', 'carols-vm']);

    const denied = await tenant.get('listHosts');
    expect(denied.status).toBe(401);
    expect(denied.body.listhostsresponse).toEqual({ uuidList: [], errorcode: 401, errortext: "The given command 'listHosts' either does not exist, is not available for user." });
    const adminVm = ((await admin.ok('listVirtualMachines')).virtualmachine as Obj[])[0]!;
    const stopOther = await tenant.get('stopVirtualMachine', { id: adminVm.id as string });
    expect(stopOther.status).toBe(531);
    expect(stopOther.body.stopvirtualmachineresponse).toEqual({ uuidList: [], errorcode: 531, cserrorcode: 4365, errortext: 'the caller may not act on virtual machine admins-vm' });
    expect(((await tenant.ok('listAccounts')).account as Obj[]).map((a) => a.name)).toEqual(['tenant-1']);
    expect(((await admin.ok('listAccounts')).account as Obj[]).map((a) => a.name)).toEqual(['alice', 'bob', 'admin', 'tenant-1']);
    const user = (await admin.ok('getUser', { userapikey: keys.apikey as string })).user as Obj;
    expect(user).toMatchObject({ username: 'carol', account: 'tenant-1', domain: 'ROOT', apikey: keys.apikey });
    expect(user).not.toHaveProperty('secretkey');
  });
});

describe('a domain admin', () => {
  it('manages and sees its domain subtree only', async () => {
    const { admin } = await adminClient();
    const sales = ((await admin.ok('createDomain', { name: 'sales' })).domain as Obj).id as string;
    const emea = ((await admin.ok('createDomain', { name: 'emea', parentdomainid: sales })).domain as Obj).id as string;
    const boss = (await admin.ok('createAccount', { username: 'hal', password: 'pw', email: 'h@example.com', firstname: 'H', lastname: 'A', account: 'sales-admins', accounttype: '2', domainid: sales })).account as Obj;
    expect(boss).toMatchObject({ accounttype: 2, roletype: 'DomainAdmin', domain: 'sales', domainpath: 'ROOT/sales' });
    const keys = (await admin.ok('registerUserKeys', { id: ((boss.user as Obj[])[0]!).id as string })).userkeys as Obj;
    const hal = new SignedClient(cloud!.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });

    const rep = await hal.ok('createAccount', { username: 'ida', password: 'pw', email: 'i@example.com', firstname: 'I', lastname: 'D', account: 'emea-reps', domainid: emea });
    expect((rep.account as Obj).domainpath).toBe('ROOT/sales/emea');
    const outside = await hal.get('createAccount', { username: 'jo', password: 'pw', email: 'j@example.com', firstname: 'J', lastname: 'O', account: 'root-reps', domainid: 'ROOT' });
    expect([outside.status, (outside.body.createaccountresponse as Obj).errortext]).toEqual([531, 'the caller may not create accounts in domain ROOT']);

    const { zoneId, offeringId, templateId } = await ids(admin);
    await admin.ok('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: offeringId, templateid: templateId, name: 'root-vm' });
    await hal.ok('deployVirtualMachine', { zoneid: zoneId, serviceofferingid: offeringId, templateid: templateId, name: 'emea-vm', account: 'emea-reps', domainid: emea });
    expect(((await hal.ok('listVirtualMachines', { listall: 'true' })).virtualmachine as Obj[]).map((v) => `${v.name} ${v.account}`)).toEqual(['emea-vm emea-reps']);
    expect(await hal.ok('listVirtualMachines')).toEqual({});
    expect(((await hal.ok('listAccounts')).account as Obj[]).map((a) => a.name)).toEqual(['sales-admins', 'emea-reps']);
    expect(((await hal.ok('listDomains')).domain as Obj[]).map((d) => d.path)).toEqual(['ROOT/sales']);
    expect(((await hal.ok('listDomains', { listall: 'true' })).domain as Obj[]).map((d) => d.path)).toEqual(['ROOT/sales', 'ROOT/sales/emea']);
    expect(((await admin.ok('listDomains', { listall: 'true' })).domain as Obj[]).map((d) => `${d.path} ${d.level} ${d.haschild}`)).toEqual(['ROOT 0 true', 'ROOT/sales 1 true', 'ROOT/sales/emea 2 false']);
    const denied = await hal.get('listAccounts', { domainid: 'ROOT' });
    expect([denied.status, (denied.body.listaccountsresponse as Obj).errortext]).toEqual([531, 'Account sales-admins does not have permission to access domain ROOT']);
    expect(((await hal.ok('listAccounts', { domainid: emea })).account as Obj[]).map((a) => a.name)).toEqual(['emea-reps']);
    expect(((await hal.ok('listAccounts', { domainid: sales, isrecursive: 'true' })).account as Obj[]).map((a) => a.name)).toEqual(['sales-admins', 'emea-reps']);
  });
});
