/**
 * Guest networking over HTTP, each command a thin adapter over the core: network offerings
 * created Disabled and enabled; an isolated network with VMs, acquired addresses, port
 * forwarding, firewall and egress rules, static NAT, a load balancer with members added and
 * removed, a rename and a restart with cleanup, then taken down in the order CloudStack needs; a
 * VPC with a tier; security groups and their rules; the refusals of networking.md §4.1 with
 * CloudStack's codes; what another account, and a domain admin outside its subtree, may not see
 * or touch; and the JSON type of every field the networking views render. The served cloud is
 * the tiny datacenter: zone z1 (Advanced, guest CIDR 10.1.1.0/24, guest VLANs 100-199, public
 * range 203.0.113.10-20 of which the two system VMs hold .10 and .11).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK_OFFERING_IDS, DEFAULT_VPC_OFFERING_IDS } from '../../core/model/tenant.js';
import { firewallRuleView, loadBalancerRuleView, networkOfferingView, networkView, portForwardingRuleView, publicIpView, securityGroupView, vpcOfferingView, vpcView } from '../../server/views/network.js';
import type { View, ViewContext } from '../../server/views/view.js';
import { matchesType, serve, type Served, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

const NOW = '2026-01-01T12:00:00+0000';
const SERVICES = 'Dhcp,Dns,SourceNat,StaticNat,PortForwarding,Lb,Firewall,UserData,Gateway';

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
  plain: string;
}

async function world(): Promise<World> {
  cloud = await serve();
  const state = cloud.runtime.state;
  return {
    served: cloud,
    admin: new SignedClient(cloud.url, cloud.admin),
    zoneId: [...state.zones.keys()][0]!,
    templateId: [...state.templates.values()].find((t) => t.name === 'ubuntu-22.04')!.id,
    plain: [...state.serviceOfferings.values()].find((o) => o.name === 'plain-4g')!.id,
  };
}

/** An account made by the admin (a user unless accounttype says otherwise), with its own keys. */
async function tenant(w: World, name: string, more: Record<string, string> = {}): Promise<SignedClient> {
  const account = (await w.admin.ok('createAccount', { username: `${name}-user`, password: 'pw', email: `${name}@example.com`, firstname: name, lastname: 'Doe', account: name, accounttype: '0', ...more })).account as Obj;
  const keys = (await w.admin.ok('registerUserKeys', { id: ((account.user as Obj[])[0]!).id as string })).userkeys as Obj;
  return new SignedClient(w.served.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });
}

async function jobOf(client: SignedClient, reply: Obj): Promise<Obj> {
  return client.ok('queryAsyncJobResult', { jobid: reply.jobid as string });
}

/** Runs an async command that must succeed; returns its job. */
async function job(client: SignedClient, command: string, params: Record<string, string>): Promise<Obj> {
  const done = await jobOf(client, await client.ok(command, params));
  expect(done, `${command}: ${JSON.stringify(done.jobresult)}`).toMatchObject({ jobstatus: 1, jobresultcode: 0 });
  return done;
}

async function result(client: SignedClient, command: string, params: Record<string, string>): Promise<Obj> {
  return (await job(client, command, params)).jobresult as Obj;
}

/** Runs an async command whose job must fail; returns [errorcode, errortext] of its result. */
async function jobFailure(client: SignedClient, command: string, params: Record<string, string>): Promise<[number, string]> {
  const done = await jobOf(client, await client.ok(command, params));
  expect(done).toMatchObject({ jobstatus: 2, jobresultcode: 530 });
  const r = done.jobresult as Obj;
  return [r.errorcode as number, r.errortext as string];
}

async function errorOf(client: SignedClient, command: string, params: Record<string, string> = {}): Promise<[number, string]> {
  const r = await client.get(command, params);
  return [r.status, (r.body[`${command.toLowerCase()}response`] as Obj).errortext as string];
}

async function enabledOffering(w: World, name = 'web-offering'): Promise<string> {
  const offering = (await w.admin.ok('createNetworkOffering', { name, displaytext: 'Web networks', guestiptype: 'Isolated', traffictype: 'Guest', supportedservices: SERVICES })).networkoffering as Obj;
  await w.admin.ok('updateNetworkOffering', { id: offering.id as string, state: 'Enabled' });
  return offering.id as string;
}

async function deploy(w: World, client: SignedClient, name: string, networkId: string): Promise<Obj> {
  return (await result(client, 'deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: w.plain, templateid: w.templateId, name, networkids: networkId })).virtualmachine as Obj;
}

async function createNetwork(w: World, client: SignedClient, name: string, offeringId: string, more: Record<string, string> = {}): Promise<Obj> {
  return (await client.ok('createNetwork', { name, networkofferingid: offeringId, zoneid: w.zoneId, ...more })).network as Obj;
}

async function acquire(client: SignedClient, params: Record<string, string>): Promise<Obj> {
  return (await result(client, 'associateIpAddress', params)).ipaddress as Obj;
}

const list = async (client: SignedClient, command: string, key: string, params: Record<string, string> = {}): Promise<Obj[]> => ((await client.ok(command, params))[key] as Obj[] | undefined) ?? [];

describe('network offerings', () => {
  it('are created Disabled, are listed to users once enabled, and refuse networks until then', async () => {
    const w = await world();
    const ann = await tenant(w, 'ann');
    expect((await list(w.admin, 'listNetworkOfferings', 'networkoffering')).map((o) => o.name)).toEqual([
      'DefaultIsolatedNetworkOfferingWithSourceNatService', 'DefaultIsolatedNetworkOffering', 'DefaultSharedNetworkOffering',
      'DefaultSharedNetworkOfferingWithSGService', 'DefaultIsolatedNetworkOfferingForVpcNetworks', 'DefaultL2NetworkOffering',
    ]);
    const created = (await w.admin.ok('createNetworkOffering', { name: 'web-offering', displaytext: 'Web networks', guestiptype: 'Isolated', traffictype: 'Guest', supportedservices: SERVICES, egressdefaultpolicy: 'false' })).networkoffering as Obj;
    expect(created).toMatchObject({ name: 'web-offering', displaytext: 'Web networks', guestiptype: 'Isolated', traffictype: 'Guest', state: 'Disabled', isdefault: false, conservemode: true, egressdefaultpolicy: false, forvpc: false, availability: 'Optional' });
    expect((created.service as Obj[]).map((s) => s.name)).toEqual(SERVICES.split(','));
    expect((created.service as Obj[])[0]).toEqual({ name: 'Dhcp', provider: [{ name: 'VirtualRouter' }], capability: [] });
    const id = created.id as string;
    expect((await list(ann, 'listNetworkOfferings', 'networkoffering', { name: 'web-offering' }))).toEqual([]);
    expect(await errorOf(ann, 'createNetwork', { name: 'web', networkofferingid: id, zoneid: w.zoneId })).toEqual([431, "Can't use specified network offering id as its state is not Enabled"]);
    expect(((await w.admin.ok('updateNetworkOffering', { id, state: 'Enabled', displaytext: 'Web' })).networkoffering as Obj)).toMatchObject({ id, state: 'Enabled', displaytext: 'Web' });
    expect((await list(ann, 'listNetworkOfferings', 'networkoffering', { name: 'web-offering' })).map((o) => o.id)).toEqual([id]);
    expect((await list(ann, 'listNetworkOfferings', 'networkoffering', { forvpc: 'true' })).map((o) => o.id)).toEqual([DEFAULT_NETWORK_OFFERING_IDS.vpcTier]);
    expect(await errorOf(ann, 'createNetworkOffering', { name: 'x', displaytext: 'x', guestiptype: 'Isolated', traffictype: 'Guest' })).toEqual([401, "The given command 'createNetworkOffering' either does not exist, is not available for user."]);
    expect(await errorOf(w.admin, 'createNetworkOffering', { name: 'x', displaytext: 'x', guestiptype: 'Isolated' })).toEqual([431, 'Unable to execute API command createnetworkoffering due to missing parameter traffictype']);
    expect(await errorOf(w.admin, 'deleteNetworkOffering', { id: DEFAULT_NETWORK_OFFERING_IDS.isolatedSourceNat })).toEqual([431, "Default network offering can't be deleted"]);
    expect(await w.admin.ok('deleteNetworkOffering', { id })).toEqual({ success: true });
    expect(await list(w.admin, 'listNetworkOfferings', 'networkoffering', { id })).toEqual([]);
  });
});

describe('an isolated network', () => {
  it('carries VMs, addresses, NAT, firewall and load balancer rules, and is taken down in order', async () => {
    const w = await world();
    const ann = await tenant(w, 'ann');
    const offeringId = await enabledOffering(w);

    const network = await createNetwork(w, ann, 'web', offeringId, { displaytext: 'Web network' });
    expect(network).toMatchObject({ name: 'web', displaytext: 'Web network', type: 'Isolated', state: 'Allocated', cidr: '10.1.1.0/24', gateway: '10.1.1.1', netmask: '255.255.255.0', networkofferingid: offeringId, networkofferingname: 'web-offering', account: 'ann', acltype: 'Account', created: NOW });
    const networkId = network.id as string;
    const vm1 = await deploy(w, ann, 'vm1', networkId);
    const vm2 = await deploy(w, ann, 'vm2', networkId);
    expect([vm1.state, vm2.state]).toEqual(['Running', 'Running']);
    const [listed] = await list(ann, 'listNetworks', 'network', { id: networkId });
    expect(listed).toMatchObject({ state: 'Implemented', vlan: '100', broadcasturi: 'vlan://100' });

    const [sourceNat] = await list(ann, 'listPublicIpAddresses', 'publicipaddress');
    expect(sourceNat).toMatchObject({ ipaddress: '203.0.113.12', issourcenat: true, isstaticnat: false, associatednetworkid: networkId, account: 'ann', state: 'Allocated' });
    expect(await errorOf(ann, 'enableStaticNat', { ipaddressid: sourceNat!.id as string, virtualmachineid: vm1.id as string })).toEqual([431, 'the source NAT address cannot be used for static NAT']);

    // An acquired address answers {id, jobid} and its job's result is under "ipaddress".
    const acquired = await ann.ok('associateIpAddress', { networkid: networkId });
    expect(Object.keys(acquired).sort()).toEqual(['id', 'jobid']);
    const acquireJob = await jobOf(ann, acquired);
    expect(acquireJob).toMatchObject({ jobstatus: 1, jobinstancetype: 'IpAddress', jobinstanceid: acquired.id, cmd: 'org.apache.cloudstack.api.command.user.address.AssociateIPAddrCmd' });
    const ip1 = (acquireJob.jobresult as Obj).ipaddress as Obj;
    expect(ip1).toMatchObject({ id: acquired.id, ipaddress: '203.0.113.13', issourcenat: false, associatednetworkid: networkId, associatednetworkname: 'web', allocated: NOW, hasrules: false });

    const forward = await ann.ok('createPortForwardingRule', { ipaddressid: ip1.id as string, protocol: 'tcp', publicport: '2222', privateport: '22', virtualmachineid: vm1.id as string });
    const pfJob = await jobOf(ann, forward);
    expect(pfJob).toMatchObject({ jobstatus: 1, jobinstancetype: 'FirewallRule', jobinstanceid: forward.id });
    const pf = (pfJob.jobresult as Obj).portforwardingrule as Obj;
    expect(pf).toEqual({
      id: forward.id, ipaddressid: ip1.id, ipaddress: '203.0.113.13', protocol: 'tcp', publicport: '2222', publicendport: '2222', privateport: '22', privateendport: '22',
      virtualmachineid: vm1.id, virtualmachinename: 'vm1', virtualmachinedisplayname: 'vm1', vmguestip: (vm1.nic as Obj[])[0]!.ipaddress, cidrlist: '0.0.0.0/0',
      networkid: networkId, state: 'Active', fordisplay: true, tags: [],
    });
    const firewall = (await result(ann, 'createFirewallRule', { ipaddressid: ip1.id as string, protocol: 'tcp', startport: '2222', endport: '2222', cidrlist: '198.51.100.0/24' })).firewallrule as Obj;
    expect(firewall).toMatchObject({ protocol: 'tcp', startport: 2222, endport: 2222, cidrlist: '198.51.100.0/24', ipaddressid: ip1.id, ipaddress: '203.0.113.13', networkid: networkId, traffictype: 'Ingress', state: 'Active' });

    // Static NAT on a second address; that address then takes no port forwarding (537).
    const ip2 = await acquire(ann, { networkid: networkId });
    expect(ip2.ipaddress).toBe('203.0.113.14');
    expect(await ann.ok('enableStaticNat', { ipaddressid: ip2.id as string, virtualmachineid: vm2.id as string })).toEqual({ success: true });
    expect((await list(ann, 'listPublicIpAddresses', 'publicipaddress', { isstaticnat: 'true' })).map((ip) => [ip.ipaddress, ip.virtualmachineid, ip.virtualmachinename, ip.vmipaddress])).toEqual([['203.0.113.14', vm2.id, 'vm2', (vm2.nic as Obj[])[0]!.ipaddress]]);
    expect(await jobFailure(ann, 'createPortForwardingRule', { ipaddressid: ip2.id as string, protocol: 'tcp', publicport: '80', privateport: '80', virtualmachineid: vm2.id as string })).toEqual([537, 'static NAT is enabled on the address; it takes no port forwarding']);
    expect(await errorOf(ann, 'enableStaticNat', { ipaddressid: ip1.id as string, virtualmachineid: vm2.id as string })).toEqual([537, 'the address already serves PortForwarding; static NAT needs the whole address']);

    // A load balancer on the first address: the default offering conserves addresses.
    const created = await ann.ok('createLoadBalancerRule', { publicipid: ip1.id as string, name: 'www', algorithm: 'roundrobin', publicport: '80', privateport: '8080' });
    const lbJob = await jobOf(ann, created);
    expect(Object.keys(lbJob.jobresult as Obj)).toEqual(['loadbalancer']);
    expect((lbJob.jobresult as Obj).loadbalancer).toMatchObject({ id: created.id, name: 'www', algorithm: 'roundrobin', publicport: '80', privateport: '8080', publicip: '203.0.113.13', publicipid: ip1.id, protocol: 'tcp', account: 'ann', zonename: 'z1', state: 'Active' });
    const lbId = created.id as string;
    expect((await job(ann, 'assignToLoadBalancerRule', { id: lbId, virtualmachineids: `${vm1.id as string},${vm2.id as string}` })).jobresult).toEqual({ success: true });
    const members = async (params: Record<string, string> = {}) => (await list(ann, 'listLoadBalancerRuleInstances', 'loadbalancerruleinstance', { id: lbId, ...params })).map((vm) => vm.name);
    expect(await members()).toEqual(['vm1', 'vm2']);
    await job(ann, 'removeFromLoadBalancerRule', { id: lbId, virtualmachineids: vm2.id as string });
    expect(await members()).toEqual(['vm1']);
    expect(await members({ applied: 'false' })).toEqual(['vm2']);
    expect((await list(ann, 'listLoadBalancerRules', 'loadbalancerrule', { virtualmachineid: vm1.id as string })).map((r) => r.name)).toEqual(['www']);

    const egress = (await result(ann, 'createEgressFirewallRule', { networkid: networkId, protocol: 'tcp', startport: '443', cidrlist: '10.1.1.0/24' })).firewallrule as Obj;
    expect(egress).toMatchObject({ networkid: networkId, protocol: 'tcp', startport: 443, endport: 443, cidrlist: '10.1.1.0/24', traffictype: 'Egress' });
    expect((await list(ann, 'listEgressFirewallRules', 'firewallrule')).map((r) => r.id)).toEqual([egress.id]);
    expect((await list(ann, 'listFirewallRules', 'firewallrule')).map((r) => r.id)).toEqual([firewall.id]);
    expect(await errorOf(ann, 'deleteFirewallRule', { id: egress.id as string })).toEqual([431, `Unable to find ${egress.id as string} having purpose Firewall and traffic type Ingress`]);

    // Rename, restart: cleanup replaces the router, which keeps the network's addresses.
    const updateJob = await job(ann, 'updateNetwork', { id: networkId, name: 'front', displaytext: 'Front end' });
    expect(updateJob).toMatchObject({ jobinstancetype: 'Network', jobinstanceid: networkId, cmd: 'org.apache.cloudstack.api.command.user.network.UpdateNetworkCmd' });
    expect((updateJob.jobresult as Obj).network).toMatchObject({ id: networkId, name: 'front', displaytext: 'Front end' });
    const routerOf = () => [...w.served.runtime.state.vms.values()].filter((vm) => vm.kind === 'DomainRouter' && vm.servesId === networkId).map((vm) => ({ id: vm.id, state: vm.state, ips: vm.nics.filter((n) => n.role !== 'control').map((n) => n.ip) }));
    const before = routerOf();
    expect((await job(ann, 'restartNetwork', { id: networkId })).jobresult).toEqual({ success: true });
    expect(routerOf()).toEqual(before);
    expect((await job(ann, 'restartNetwork', { id: networkId, cleanup: 'true' })).jobresult).toEqual({ success: true });
    const after = routerOf();
    expect(after.map((r) => [r.state, r.ips])).toEqual(before.map((r) => [r.state, r.ips]));
    expect(after[0]!.id).not.toBe(before[0]!.id);

    // A network with VMs stays (536, a failed job as CloudStack reports it).
    expect(await jobFailure(ann, 'deleteNetwork', { id: networkId })).toEqual([536, 'network front still has 2 VM(s)']);

    // The order CloudStack needs: rules, static NAT and addresses, VMs, the network, the offering.
    expect(await errorOf(w.admin, 'deleteNetworkOffering', { id: offeringId })).toEqual([431, "Can't delete network offering web-offering as its used by 1 networks. To make the network offering unavailable, disable it"]);
    await job(ann, 'deleteLoadBalancerRule', { id: lbId });
    await job(ann, 'deletePortForwardingRule', { id: pf.id as string });
    await job(ann, 'deleteFirewallRule', { id: firewall.id as string });
    await job(ann, 'deleteEgressFirewallRule', { id: egress.id as string });
    expect((await job(ann, 'disableStaticNat', { ipaddressid: ip2.id as string })).jobresult).toEqual({ success: true });
    await job(ann, 'disassociateIpAddress', { id: ip1.id as string });
    await job(ann, 'disassociateIpAddress', { id: ip2.id as string });
    for (const vm of [vm1, vm2]) await job(ann, 'destroyVirtualMachine', { id: vm.id as string, expunge: 'true' });
    expect((await job(ann, 'deleteNetwork', { id: networkId })).jobresult).toEqual({ success: true });
    // What is left is the zone's L2 network, which serves everyone.
    expect((await list(ann, 'listNetworks', 'network')).map((n) => [n.name, n.acltype])).toEqual([['l2', 'Domain']]);
    expect(await ann.ok('listPublicIpAddresses')).toEqual({});
    expect(await w.admin.ok('deleteNetworkOffering', { id: offeringId })).toEqual({ success: true });
  });
});

describe('a shared network', () => {
  it('is created by the admin with its VLAN and range, serves every account, and takes its range\'s addresses', async () => {
    const w = await world();
    const ann = await tenant(w, 'ann');
    const shared = { name: 'lab', networkofferingid: DEFAULT_NETWORK_OFFERING_IDS.shared, zoneid: w.zoneId, vlan: '400', gateway: '192.168.50.1', netmask: '255.255.255.0', startip: '192.168.50.10', endip: '192.168.50.100' };
    expect(await errorOf(ann, 'createNetwork', shared)).toEqual([431, 'only a root admin may choose the VLAN of a network']);
    const network = (await w.admin.ok('createNetwork', shared)).network as Obj;
    expect(network).toMatchObject({ type: 'Shared', vlan: '400', broadcasturi: 'vlan://400', cidr: '192.168.50.0/24', gateway: '192.168.50.1', acltype: 'Domain', specifyvlan: true, specifyipranges: true, state: 'Setup' });
    expect(network.account).toBeUndefined();
    expect((await list(ann, 'listNetworks', 'network', { type: 'Shared' })).map((n) => n.name)).toEqual(['lab']);
    const vm = await deploy(w, ann, 'lab-1', network.id as string);
    expect((vm.nic as Obj[]).map((n) => [n.networkid, n.gateway])).toEqual([[network.id, '192.168.50.1']]);
  });
});

describe('a VPC', () => {
  it('is created async with a tier, carries a VM and an address, is renamed and restarted, and goes after its tier', async () => {
    const w = await world();
    const ann = await tenant(w, 'ann');
    const created = await ann.ok('createVPC', { name: 'shop', displaytext: 'The shop', cidr: '10.10.0.0/16', vpcofferingid: DEFAULT_VPC_OFFERING_IDS.vpc, zoneid: w.zoneId });
    expect(Object.keys(created).sort()).toEqual(['id', 'jobid']);
    const vpcJob = await jobOf(ann, created);
    expect(vpcJob).toMatchObject({ jobstatus: 1, jobinstancetype: 'Vpc', jobinstanceid: created.id });
    expect((vpcJob.jobresult as Obj).vpc).toMatchObject({ id: created.id, name: 'shop', displaytext: 'The shop', cidr: '10.10.0.0/16', vpcofferingid: DEFAULT_VPC_OFFERING_IDS.vpc, vpcofferingname: 'Default VPC offering', state: 'Enabled', account: 'ann', redundantvpcrouter: false, network: [] });
    const vpcId = created.id as string;
    expect(await errorOf(ann, 'createNetwork', { name: 'web', networkofferingid: DEFAULT_NETWORK_OFFERING_IDS.isolatedSourceNat, zoneid: w.zoneId, vpcid: vpcId, gateway: '10.10.1.1', netmask: '255.255.255.0' })).toEqual([431, "Network offering can't be used for VPC networks"]);
    const tier = await createNetwork(w, ann, 'web', DEFAULT_NETWORK_OFFERING_IDS.vpcTier, { vpcid: vpcId, gateway: '10.10.1.1', netmask: '255.255.255.0', aclid: '00000000-0000-4000-8000-00000000c001' });
    expect(tier).toMatchObject({ vpcid: vpcId, vpcname: 'shop', cidr: '10.10.1.0/24', gateway: '10.10.1.1', networkofferingid: DEFAULT_NETWORK_OFFERING_IDS.vpcTier });
    const vm = await deploy(w, ann, 'shop-1', tier.id as string);
    const [listed] = await list(ann, 'listVPCs', 'vpc');
    expect(((listed!.network as Obj[]).map((n) => [n.name, n.state]))).toEqual([['web', 'Implemented']]);

    const ip = await acquire(ann, { vpcid: vpcId });
    expect(ip).toMatchObject({ vpcid: vpcId, vpcname: 'shop', issourcenat: false, ipaddress: '203.0.113.13' });
    const pf = (await result(ann, 'createPortForwardingRule', { ipaddressid: ip.id as string, protocol: 'tcp', publicport: '443', privateport: '443', virtualmachineid: vm.id as string })).portforwardingrule as Obj;
    expect(pf).toMatchObject({ networkid: tier.id, ipaddress: '203.0.113.13' });

    expect(((await result(ann, 'updateVPC', { id: vpcId, name: 'store' })).vpc as Obj).name).toBe('store');
    expect((await job(ann, 'restartVPC', { id: vpcId, cleanup: 'true' })).jobresult).toEqual({ success: true });
    expect(await jobFailure(ann, 'deleteVPC', { id: vpcId })).toEqual([536, 'VPC store still has 1 tier(s)']);

    await job(ann, 'deletePortForwardingRule', { id: pf.id as string });
    await job(ann, 'disassociateIpAddress', { id: ip.id as string });
    await job(ann, 'destroyVirtualMachine', { id: vm.id as string, expunge: 'true' });
    await job(ann, 'deleteNetwork', { id: tier.id as string });
    expect((await job(ann, 'deleteVPC', { id: vpcId })).jobresult).toEqual({ success: true });
    expect(await ann.ok('listVPCs')).toEqual({});
    expect(await ann.ok('listPublicIpAddresses')).toEqual({});
  });
});

describe('security groups', () => {
  it('gain and lose rules, and an authorize job answers with the new rule only', async () => {
    const w = await world();
    const ann = await tenant(w, 'ann');
    const group = (await ann.ok('createSecurityGroup', { name: 'web', description: 'Web servers' })).securitygroup as Obj;
    expect(group).toMatchObject({ name: 'web', account: 'ann', domain: 'ROOT', ingressrule: [], egressrule: [], virtualmachinecount: 0, virtualmachineids: [] });
    expect(await errorOf(ann, 'createSecurityGroup', { name: 'web' })).toEqual([431, 'Unable to create security group, a group with name web already exists.']);
    const sshJob = await job(ann, 'authorizeSecurityGroupIngress', { securitygroupid: group.id as string, protocol: 'tcp', startport: '22', endport: '22', cidrlist: '198.51.100.0/24' });
    expect(sshJob).toMatchObject({ jobinstancetype: 'SecurityGroup', cmd: 'org.apache.cloudstack.api.command.user.securitygroup.AuthorizeSecurityGroupIngressCmd' });
    const ssh = ((sshJob.jobresult as Obj).securitygroup as Obj);
    expect(ssh).toMatchObject({ id: group.id, name: 'web', egressrule: [] });
    expect(ssh.ingressrule).toEqual([{ ruleid: sshJob.jobinstanceid, protocol: 'tcp', startport: 22, endport: 22, cidr: '198.51.100.0/24', tags: [] }]);
    const http = ((await result(ann, 'authorizeSecurityGroupIngress', { securitygroupname: 'web', protocol: 'tcp', startport: '80', endport: '80' })).securitygroup as Obj).ingressrule as Obj[];
    expect(http.map((r) => [r.startport, r.cidr])).toEqual([[80, '0.0.0.0/0']]);
    const dns = ((await result(ann, 'authorizeSecurityGroupEgress', { securitygroupid: group.id as string, protocol: 'udp', startport: '53', endport: '53', cidrlist: '192.0.2.53/32' })).securitygroup as Obj).egressrule as Obj[];
    expect(dns.map((r) => [r.protocol, r.startport, r.cidr])).toEqual([['udp', 53, '192.0.2.53/32']]);
    const [listed] = await list(ann, 'listSecurityGroups', 'securitygroup', { securitygroupname: 'web' });
    expect((listed!.ingressrule as Obj[]).map((r) => r.startport)).toEqual([22, 80]);
    expect(await errorOf(ann, 'revokeSecurityGroupIngress', { id: dns[0]!.ruleid as string })).toEqual([431, `Unable to find ingress rule with id ${dns[0]!.ruleid as string}`]);
    expect((await job(ann, 'revokeSecurityGroupIngress', { id: sshJob.jobinstanceid as string })).jobresult).toEqual({ success: true });
    await job(ann, 'revokeSecurityGroupEgress', { id: dns[0]!.ruleid as string });
    const [after] = await list(ann, 'listSecurityGroups', 'securitygroup', { id: group.id as string });
    expect([(after!.ingressrule as Obj[]).map((r) => r.startport), after!.egressrule]).toEqual([[80], []]);
    expect(await errorOf(ann, 'deleteSecurityGroup', { name: 'nope' })).toEqual([431, 'Unable to find security group by name nope']);
    expect(await ann.ok('deleteSecurityGroup', { name: 'web' })).toEqual({ success: true });
    expect(await ann.ok('listSecurityGroups')).toEqual({});
  });
});

/** Ann's network with a VM, an address with port forwarding, firewall, load balancing, an egress rule, a static NAT address, a VPC with a tier and a security group. */
async function annsNetworking(w: World, ann: SignedClient) {
  const offeringId = await enabledOffering(w);
  const network = await createNetwork(w, ann, 'web', offeringId);
  const networkId = network.id as string;
  const vm = await deploy(w, ann, 'vm1', networkId);
  const vm2 = await deploy(w, ann, 'vm2', networkId);
  const ip = await acquire(ann, { networkid: networkId });
  const pf = (await result(ann, 'createPortForwardingRule', { ipaddressid: ip.id as string, protocol: 'tcp', publicport: '22', privateport: '22', virtualmachineid: vm.id as string })).portforwardingrule as Obj;
  const firewall = (await result(ann, 'createFirewallRule', { ipaddressid: ip.id as string, protocol: 'icmp', icmptype: '8', icmpcode: '0' })).firewallrule as Obj;
  const lb = (await result(ann, 'createLoadBalancerRule', { publicipid: ip.id as string, name: 'www', algorithm: 'leastconn', publicport: '80', privateport: '80' })).loadbalancer as Obj;
  await job(ann, 'assignToLoadBalancerRule', { id: lb.id as string, virtualmachineids: vm.id as string });
  const egress = (await result(ann, 'createEgressFirewallRule', { networkid: networkId, protocol: 'tcp', startport: '443' })).firewallrule as Obj;
  const natIp = await acquire(ann, { networkid: networkId });
  await ann.ok('enableStaticNat', { ipaddressid: natIp.id as string, virtualmachineid: vm2.id as string });
  const vpc = await jobOf(ann, await ann.ok('createVPC', { name: 'shop', displaytext: 'Shop', cidr: '10.10.0.0/16', vpcofferingid: DEFAULT_VPC_OFFERING_IDS.vpc, zoneid: w.zoneId }));
  const vpcId = ((vpc.jobresult as Obj).vpc as Obj).id as string;
  await createNetwork(w, ann, 'tier', DEFAULT_NETWORK_OFFERING_IDS.vpcTier, { vpcid: vpcId, gateway: '10.10.1.1', netmask: '255.255.255.0' });
  const group = (await ann.ok('createSecurityGroup', { name: 'web' })).securitygroup as Obj;
  const peers = (await ann.ok('createSecurityGroup', { name: 'peers' })).securitygroup as Obj;
  await job(ann, 'authorizeSecurityGroupIngress', { securitygroupid: group.id as string, protocol: 'tcp', startport: '443', endport: '443' });
  await job(ann, 'authorizeSecurityGroupIngress', { securitygroupid: group.id as string, protocol: 'all', 'usersecuritygrouplist[0].account': 'ann', 'usersecuritygrouplist[0].group': 'peers' });
  return { offeringId, networkId, vm, ip, natIp, pf, firewall, lb, egress, vpcId, group, peers };
}

describe('another account', () => {
  it('neither sees nor changes a network, its addresses or its rules', async () => {
    const w = await world();
    const ann = await tenant(w, 'ann');
    const ben = await tenant(w, 'ben');
    const a = await annsNetworking(w, ann);

    expect((await list(ben, 'listNetworks', 'network')).map((n) => n.name)).toEqual(['l2']);
    for (const [command, key, more] of [['listNetworks', 'network', { type: 'Isolated' }], ['listPublicIpAddresses', 'publicipaddress'], ['listPortForwardingRules', 'portforwardingrule'], ['listFirewallRules', 'firewallrule'], ['listEgressFirewallRules', 'firewallrule'], ['listLoadBalancerRules', 'loadbalancerrule'], ['listVPCs', 'vpc'], ['listSecurityGroups', 'securitygroup']] as [string, string, Record<string, string>?][]) {
      expect(await list(ben, command, key, more), command).toEqual([]);
      expect((await list(ann, command, key, more)).length, command).toBeGreaterThan(0);
    }
    expect(await ben.ok('listNetworks', { id: a.networkId })).toEqual({});
    expect(await errorOf(ben, 'listNetworks', { account: 'ann' })).toEqual([531, 'Account ben may not list resources of account ann']);

    const network = 'the caller may not change network web';
    expect(await errorOf(ben, 'updateNetwork', { id: a.networkId, name: 'mine' })).toEqual([531, network]);
    expect(await errorOf(ben, 'restartNetwork', { id: a.networkId })).toEqual([531, network]);
    expect(await errorOf(ben, 'deleteNetwork', { id: a.networkId })).toEqual([531, 'the caller may not delete network web']);
    expect(await errorOf(ben, 'createEgressFirewallRule', { networkid: a.networkId, protocol: 'tcp' })).toEqual([531, network]);
    expect(await errorOf(ben, 'createNetwork', { name: 'x', networkofferingid: a.offeringId, zoneid: w.zoneId, account: 'ann' })).toEqual([531, 'the caller may not create networks for account ann']);
    expect(await errorOf(ben, 'associateIpAddress', { networkid: a.networkId })).toEqual([531, 'the caller may not acquire addresses for account ann']);

    const address = 'the caller may not act on this public IP';
    expect(await errorOf(ben, 'disassociateIpAddress', { id: a.ip.id as string })).toEqual([531, address]);
    expect(await errorOf(ben, 'enableStaticNat', { ipaddressid: a.ip.id as string, virtualmachineid: a.vm.id as string })).toEqual([531, address]);
    expect(await errorOf(ben, 'disableStaticNat', { ipaddressid: a.natIp.id as string })).toEqual([531, address]);
    expect(await errorOf(ben, 'createPortForwardingRule', { ipaddressid: a.ip.id as string, protocol: 'tcp', publicport: '8080', privateport: '80', virtualmachineid: a.vm.id as string })).toEqual([531, address]);
    expect(await errorOf(ben, 'createFirewallRule', { ipaddressid: a.ip.id as string, protocol: 'tcp', startport: '80' })).toEqual([531, address]);
    expect(await errorOf(ben, 'createLoadBalancerRule', { publicipid: a.ip.id as string, name: 'x', algorithm: 'source', publicport: '443', privateport: '443' })).toEqual([531, address]);
    expect(await errorOf(ben, 'assignToLoadBalancerRule', { id: a.lb.id as string, virtualmachineids: a.vm.id as string })).toEqual([531, address]);

    const rule = 'the caller may not delete this rule';
    expect(await errorOf(ben, 'deletePortForwardingRule', { id: a.pf.id as string })).toEqual([531, rule]);
    expect(await errorOf(ben, 'deleteFirewallRule', { id: a.firewall.id as string })).toEqual([531, rule]);
    expect(await errorOf(ben, 'deleteEgressFirewallRule', { id: a.egress.id as string })).toEqual([531, rule]);
    expect(await errorOf(ben, 'deleteLoadBalancerRule', { id: a.lb.id as string })).toEqual([531, rule]);
    expect(await errorOf(ben, 'listLoadBalancerRuleInstances', { id: a.lb.id as string })).toEqual([431, `Unable to find load balancer rule ${a.lb.id as string}`]);

    expect(await errorOf(ben, 'updateVPC', { id: a.vpcId, name: 'mine' })).toEqual([531, 'the caller may not change VPC shop']);
    expect(await errorOf(ben, 'deleteVPC', { id: a.vpcId })).toEqual([531, 'the caller may not delete VPC shop']);
    expect(await errorOf(ben, 'deleteSecurityGroup', { id: a.group.id as string })).toEqual([531, 'the caller may not delete security group web']);
    expect(await errorOf(ben, 'authorizeSecurityGroupIngress', { securitygroupid: a.group.id as string, protocol: 'tcp', startport: '1', endport: '1' })).toEqual([531, 'the caller may not change security group web']);
    expect(await errorOf(ben, 'deleteSecurityGroup', { name: 'web' })).toEqual([431, 'Unable to find security group by name web']);
    // Nothing of ann's changed.
    expect((await list(ann, 'listNetworks', 'network', { id: a.networkId }))[0]).toMatchObject({ name: 'web', state: 'Implemented' });
    expect((await list(ann, 'listPortForwardingRules', 'portforwardingrule')).map((r) => r.id)).toEqual([a.pf.id]);
  });

  it('is within a domain admin\'s reach only inside its subtree', async () => {
    const w = await world();
    const ann = await tenant(w, 'ann');
    const sales = ((await w.admin.ok('createDomain', { name: 'sales' })).domain as Obj).id as string;
    const hal = await tenant(w, 'sales-admins', { domainid: sales, accounttype: '2' });
    const carol = await tenant(w, 'carol', { domainid: sales });
    const offeringId = await enabledOffering(w);
    const carols = await createNetwork(w, carol, 'carols', offeringId);
    const anns = await createNetwork(w, ann, 'anns', offeringId);
    expect((await list(hal, 'listNetworks', 'network')).map((n) => n.name)).toEqual(['l2']);
    expect((await list(hal, 'listNetworks', 'network', { listall: 'true', type: 'Isolated' })).map((n) => `${n.name} ${n.account}`)).toEqual(['carols carol']);
    const mine = await createNetwork(w, hal, 'for-carol', offeringId, { account: 'carol', domainid: sales });
    expect(mine).toMatchObject({ account: 'carol', domainid: sales });
    expect(await errorOf(hal, 'deleteNetwork', { id: anns.id as string })).toEqual([531, 'the caller may not delete network anns']);
    expect((await job(hal, 'updateNetwork', { id: carols.id as string, displaytext: 'Carol\'s' })).jobresult).toMatchObject({ network: { displaytext: 'Carol\'s' } });
    expect((await job(hal, 'deleteNetwork', { id: carols.id as string })).jobresult).toEqual({ success: true });
  });
});

describe('networking views', () => {
  it('render every field with the JSON type it declares', async () => {
    const w = await world();
    const ann = await tenant(w, 'ann');
    await annsNetworking(w, ann);
    const state = w.served.runtime.state;
    const ctx: ViewContext = { state, activity: w.served.runtime.activity, caller: { accountId: w.served.admin.accountId, userId: w.served.admin.userId, role: 'RootAdmin', domainId: 'ROOT' } };
    const checks: [string, View<never>, unknown[]][] = [
      ['network', networkView as View<never>, [...state.networks.values()]],
      ['networkoffering', networkOfferingView as View<never>, [...state.networkOfferings.values()]],
      ['vpc', vpcView as View<never>, [...state.vpcs.values()]],
      ['vpcoffering', vpcOfferingView as View<never>, [...state.vpcOfferings.values()]],
      ['publicipaddress', publicIpView as View<never>, [...state.publicIps.values()]],
      ['portforwardingrule', portForwardingRuleView as View<never>, [...state.portForwardingRules.values()]],
      ['firewallrule', firewallRuleView as View<never>, [...state.firewallRules.values()]],
      ['loadbalancerrule', loadBalancerRuleView as View<never>, [...state.loadBalancerRules.values()]],
      ['securitygroup', securityGroupView as View<never>, [...state.securityGroups.values()]],
    ];
    const wrong: string[] = [];
    const seen = new Set<string>();
    for (const [name, view, records] of checks) {
      expect(records.length, name).toBeGreaterThan(0);
      for (const record of records) {
        const rendered = view.render(record as never, ctx);
        for (const spec of view.specs) {
          const value = rendered[spec.name];
          if (value === undefined) continue;
          seen.add(`${name}.${spec.name}`);
          if (!matchesType(spec.type, value)) wrong.push(`${name}.${spec.name}: declared ${spec.type}, got ${JSON.stringify(value)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // The fields whose types clients trip over were rendered, not left out.
    for (const f of ['portforwardingrule.publicport', 'loadbalancerrule.privateport', 'firewallrule.icmptype', 'firewallrule.startport', 'publicipaddress.allocated', 'publicipaddress.vmipaddress', 'vpc.network', 'securitygroup.ingressrule', 'network.networkofferingconservemode']) expect(seen.has(f), f).toBe(true);
    const group = [...state.securityGroups.values()].find((g) => g.name === 'web')!;
    expect((securityGroupView.render(group, ctx).ingressrule as Obj[]).map((r) => [r.protocol, r.cidr, r.account, r.securitygroupname])).toEqual([['tcp', '0.0.0.0/0', undefined, undefined], ['all', undefined, 'ann', 'peers']]);
  });
});
