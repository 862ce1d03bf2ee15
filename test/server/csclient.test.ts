/**
 * The same workflow driven by a real client: npm's csclient 0.6.4, unchanged. It discovers the
 * async commands with listApis, signs with its own qs encoding, pair sort and
 * signatureversion=3 expiry, sends everything by GET, and polls queryAsyncJobResult.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Served, serve } from './support.js';

type Obj = Record<string, unknown>;
type Callback = (error: (Error & { code?: number }) | null, response: Obj) => void;

interface CsClient {
  on(event: 'ready' | 'error', listener: (error?: Error) => void): void;
  execute(command: string, params: Obj, callback: Callback): void;
}

const CloudStackClient = createRequire(import.meta.url)('csclient') as new (options: Obj) => CsClient;

let cloud: Served;
let client: CsClient;

function execute(command: string, params: Obj = {}): Promise<Obj> {
  return new Promise((resolve, reject) => {
    client.execute(command, params, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

beforeAll(async () => {
  // csclient signs with an expiry five minutes after the real clock: the server's clock must agree.
  cloud = await serve({ startMs: Date.now() });
  // pollingTime 1 ms: the drivers answer at once, so the first poll finds the job done.
  client = new CloudStackClient({ apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey, baseUrl: `${cloud.url}?`, pollingTime: 1, singleExecutor: true });
  await new Promise<void>((resolve, reject) => {
    client.on('ready', () => resolve());
    client.on('error', (error) => reject(error));
  });
});

afterAll(async () => {
  await cloud.close();
});

describe('csclient', () => {
  it('deploys a VM, lists it, stops and destroys it', async () => {
    const zones = ((await execute('listZones')).listzonesresponse as Obj).zone as Obj[];
    const offerings = ((await execute('listServiceOfferings', { name: 'plain-4g' })).listserviceofferingsresponse as Obj).serviceoffering as Obj[];
    const templates = ((await execute('listTemplates', { templatefilter: 'executable' })).listtemplatesresponse as Obj).template as Obj[];
    // A map parameter too: csclient writes details[0].cpuNumber in its own bracket style.
    const deployed = (await execute('deployVirtualMachine', { zoneid: zones[0]!.id, serviceofferingid: offerings[0]!.id, templateid: templates[0]!.id, name: 'cs-1', displayname: 'web (one) ~*', details: [{ cpuNumber: '2' }] })) as Obj;
    expect(deployed).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobinstancetype: 'VirtualMachine' });
    const vm = (deployed.jobresult as Obj).virtualmachine as Obj;
    expect(vm).toMatchObject({ name: 'cs-1', state: 'Running' });
    const listed = (await execute('listVirtualMachines', { id: vm.id })).listvirtualmachinesresponse as Obj;
    expect(listed.count).toBe(1);
    const stopped = await execute('stopVirtualMachine', { id: vm.id });
    expect(((stopped.jobresult as Obj).virtualmachine as Obj).state).toBe('Stopped');
    const destroyed = await execute('destroyVirtualMachine', { id: vm.id, expunge: true });
    expect(((destroyed.jobresult as Obj).virtualmachine as Obj).state).toBe('Expunging');
    expect((await execute('listVirtualMachines')).listvirtualmachinesresponse).toEqual({});
  });

  it('builds a zone, deploys on an isolated network, forwards a port, and cleans up', async () => {
    const response = async (command: string, params: Obj = {}): Promise<Obj> => {
      const reply = await execute(command, params);
      // Sync commands answer {<command>response: {...}}; async ones the finished job.
      return (reply[`${command.toLowerCase()}response`] as Obj | undefined) ?? (reply.jobresult as Obj);
    };
    const zone = (await response('createZone', { name: 'csc-zone', networktype: 'Advanced', dns1: '8.8.8.8', internaldns1: '192.168.200.1', guestcidraddress: '10.30.0.0/16' })).zone as Obj;
    const physical = (await response('createPhysicalNetwork', { name: 'csc-physical', zoneid: zone.id, isolationmethods: 'VLAN', vlan: '700-799' })).physicalnetwork as Obj;
    for (const traffictype of ['Management', 'Guest', 'Public']) await response('addTrafficType', { physicalnetworkid: physical.id, traffictype });
    await response('updatePhysicalNetwork', { id: physical.id, state: 'Enabled' });
    const provider = ((await response('listNetworkServiceProviders', { physicalnetworkid: physical.id, name: 'VirtualRouter' })).networkserviceprovider as Obj[])[0]!;
    const element = ((await response('listVirtualRouterElements', { nspid: provider.id })).virtualrouterelement as Obj[])[0]!;
    await response('configureVirtualRouterElement', { id: element.id, enabled: true });
    await response('updateNetworkServiceProvider', { id: provider.id, state: 'Enabled' });
    await response('createVlanIpRange', { zoneid: zone.id, vlan: 'untagged', gateway: '198.51.100.129', netmask: '255.255.255.128', startip: '198.51.100.140', endip: '198.51.100.199', forvirtualnetwork: true });
    const pod = (await response('createPod', { name: 'csc-pod', zoneid: zone.id, gateway: '192.168.200.1', netmask: '255.255.255.0', startip: '192.168.200.10', endip: '192.168.200.49' })).pod as Obj;
    const cluster = ((await response('addCluster', { clustername: 'csc-cluster', clustertype: 'CloudManaged', hypervisor: 'KVM', podid: pod.id, zoneid: zone.id })).cluster as Obj[])[0]!;
    for (const n of [101, 102]) await response('addHost', { hypervisor: 'KVM', zoneid: zone.id, podid: pod.id, clusterid: cluster.id, url: `http://192.168.200.${n}`, username: 'root', password: 'password' });
    await response('createStoragePool', { name: 'csc-primary', zoneid: zone.id, podid: pod.id, clusterid: cluster.id, scope: 'cluster', url: 'nfs://192.168.200.5/export/primary' });
    await response('addImageStore', { provider: 'NFS', name: 'csc-secondary', zoneid: zone.id, url: 'nfs://192.168.200.5/export/secondary' });
    await response('updateZone', { id: zone.id, allocationstate: 'Enabled' });

    const offering = (await response('createServiceOffering', { name: 'csc-small', displaytext: 'small', cpunumber: 1, cpuspeed: 500, memory: 512 })).serviceoffering as Obj;
    const template = ((await response('registerTemplate', { name: 'csc-tpl', displaytext: 'tpl', format: 'QCOW2', hypervisor: 'KVM', url: 'http://images.example/t.qcow2', zoneid: zone.id, ispublic: true })).template as Obj[])[0]!;
    const account = (await response('createAccount', { username: 'carol', password: 'carol-pw', email: 'c@example.com', firstname: 'Carol', lastname: 'T', account: 'carol-co', accounttype: 0 })).account as Obj;
    const keys = (await response('registerUserKeys', { id: ((account.user as Obj[])[0]!).id })).userkeys as Obj;

    // From here on as the tenant, with its own client.
    const tenant = new CloudStackClient({ apiKey: keys.apikey, secretKey: keys.secretkey, baseUrl: `${cloud.url}?`, pollingTime: 1, singleExecutor: true });
    await new Promise<void>((resolve, reject) => {
      tenant.on('ready', () => resolve());
      tenant.on('error', (error) => reject(error));
    });
    const as = async (command: string, params: Obj = {}): Promise<Obj> => {
      const reply = await new Promise<Obj>((resolve, reject) => tenant.execute(command, params, (error, r) => (error ? reject(error) : resolve(r))));
      return (reply[`${command.toLowerCase()}response`] as Obj | undefined) ?? (reply.jobresult as Obj);
    };
    const networkOffering = ((await as('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })).networkoffering as Obj[])[0]!;
    const network = (await as('createNetwork', { name: 'carol-net', displaytext: 'carol', networkofferingid: networkOffering.id, zoneid: zone.id })).network as Obj;
    const vms: Obj[] = [];
    for (const name of ['app-0', 'app-1']) vms.push((await as('deployVirtualMachine', { serviceofferingid: offering.id, templateid: template.id, zoneid: zone.id, networkids: network.id, name })).virtualmachine as Obj);
    const ip = (await as('associateIpAddress', { networkid: network.id })).ipaddress as Obj;
    await as('createPortForwardingRule', { ipaddressid: ip.id, privateport: 80, publicport: 8080, protocol: 'TCP', virtualmachineid: vms[0]!.id });
    await as('createFirewallRule', { ipaddressid: ip.id, protocol: 'TCP', startport: 8080, endport: 8080, cidrlist: '0.0.0.0/0' });

    expect(((await as('listVirtualMachines')).virtualmachine as Obj[]).map((v) => `${v.name} ${v.state}`)).toEqual(['app-0 Running', 'app-1 Running']);
    // The tiny datacenter's L2 network belongs to no account: a domain network of ROOT, which
    // carol's account (in ROOT) may use and so sees, as in CloudStack.
    expect(((await as('listNetworks')).network as Obj[]).map((n) => `${n.name} ${n.state}`).sort()).toEqual(['carol-net Implemented', 'l2 Setup']);
    expect(((await as('listNetworks', { acltype: 'Account' })).network as Obj[]).map((n) => n.name)).toEqual(['carol-net']);
    expect(((await as('listPublicIpAddresses')).publicipaddress as Obj[]).map((i) => i.issourcenat).sort()).toEqual([false, true]);
    expect(((await as('listPortForwardingRules')).portforwardingrule as Obj[]).map((r) => `${r.publicport}->${r.privateport} ${r.virtualmachinename}`)).toEqual(['8080->80 app-0']);
    expect(((await as('listFirewallRules')).firewallrule as Obj[]).map((r) => `${r.protocol} ${r.startport}-${r.endport}`)).toEqual(['tcp 8080-8080']);

    expect(((await as('stopVirtualMachine', { id: vms[0]!.id })).virtualmachine as Obj).state).toBe('Stopped');
    expect(((await as('destroyVirtualMachine', { id: vms[1]!.id })).virtualmachine as Obj).state).toBe('Destroyed');
    expect(((await as('listVirtualMachines')).virtualmachine as Obj[]).map((v) => `${v.name} ${v.state}`)).toEqual(['app-0 Stopped']);
  });

  it('gets CloudStack errors with their code and text', async () => {
    await expect(execute('listTemplates')).rejects.toMatchObject({ code: 431, message: 'Unable to execute API command listtemplates due to missing parameter templatefilter' });
    await expect(execute('startVirtualMachine', { id: 'no-such-vm' })).rejects.toMatchObject({ code: 431, message: 'Unable to find virtual machine with id no-such-vm' });
  });
});
