/**
 * The network offering catalogue and what it decides, in the core: offerings created Disabled,
 * enabled, renamed and deleted (never a default one, never one a network still uses); networks
 * whose guest type and services come from their offering, refused while it is disabled or when it
 * does not fit a VPC; networks and VPCs renamed; restarts that reconfigure the routers or, with
 * cleanup, replace them; who may do each; and a snapshot of all this restored equal to the replay.
 * Runs on the tiny datacenter (zone z1, Advanced, guest CIDR 10.1.1.0/24, public range
 * 203.0.113.10-20) and the VPC shop of alice (10.10.0.0/16, tiers web and app).
 */
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../core/model/commands.js';
import { restoreState } from '../../../core/model/restore.js';
import { snapshotOf } from '../../../core/model/snapshot.js';
import { DEFAULT_NETWORK_OFFERING_IDS, DEFAULT_VPC_OFFERING_IDS } from '../../../core/model/tenant.js';
import { formatIpv4 } from '../../../core/net/ipv4.js';
import { type TestCloud, testCloud, tinyDatacenter } from '../../support/cloud.js';
import { derivedOf } from '../../support/derived.js';
import { actAsUser, refusal, vpcDatacenter } from './fixtures.js';

const ISOLATED_SERVICES = ['Dhcp', 'Dns', 'SourceNat', 'StaticNat', 'PortForwarding', 'Lb', 'Firewall', 'UserData', 'Gateway'];

function setUp(spec = tinyDatacenter()) {
  const cloud = testCloud(spec);
  const zoneId = cloud.idOf('zone', 'z1');
  const alice = cloud.idOf('account', 'alice');
  const plain = cloud.idOf('offering', 'plain-4g');
  const createOffering = (name: string, more: Partial<Extract<Command, { type: 'createNetworkOffering' }>> = {}): string => {
    cloud.ok({ type: 'createNetworkOffering', name, displayText: `${name} networks`, guestType: 'Isolated', services: ISOLATED_SERVICES, ...more });
    return [...cloud.state.networkOfferings.values()].at(-1)!.id;
  };
  const createNetwork = (name: string, networkOfferingId: string, more: Partial<Extract<Command, { type: 'createNetwork' }>> = {}): string => {
    cloud.ok({ type: 'createNetwork', zoneId, name, guestType: 'Isolated', accountId: alice, networkOfferingId, ...more });
    return cloud.idOf('network', name);
  };
  const deploy = (name: string, networkId: string) => cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: plain, name, networkIds: [networkId] });
  return { cloud, zoneId, alice, createOffering, createNetwork, deploy };
}

/** Routers as "name state host: role=address, ...". */
function routers(cloud: TestCloud): string[] {
  return [...cloud.state.vms.values()]
    .filter((vm) => vm.kind === 'DomainRouter')
    .map((vm) => `${vm.name} ${vm.state} ${cloud.hostName(vm.hostId)}: ${vm.nics.map((n) => `${n.role}=${n.ip === undefined ? '-' : formatIpv4(n.ip)}`).join(', ')}`);
}

describe('network offerings', () => {
  it('are created Disabled with CloudStack\'s defaults, then enabled, renamed and retired', () => {
    const { cloud, createOffering } = setUp();
    expect(cloud.state.networkOfferings.size).toBe(6);
    const id = createOffering('web');
    expect(cloud.state.networkOfferings.get(id)).toEqual({
      id, name: 'web', displayText: 'web networks', guestType: 'Isolated', services: ISOLATED_SERVICES, forVpc: false, specifyVlan: false, specifyIpRanges: false,
      persistent: false, conserveMode: true, egressDefaultPolicy: true, availability: 'Optional', isDefault: false, state: 'Disabled',
    });
    cloud.ok({ type: 'updateNetworkOffering', id, state: 'Enabled', name: 'web-2', displayText: 'Web tier' });
    expect(cloud.state.networkOfferings.get(id)).toMatchObject({ name: 'web-2', displayText: 'Web tier', state: 'Enabled' });
    cloud.ok({ type: 'deleteNetworkOffering', id });
    expect(cloud.state.networkOfferings.has(id)).toBe(false);
    expect(refusal(cloud, { type: 'deleteNetworkOffering', id })).toBe(`ENTITY_NOT_FOUND 431 unable to find network offering ${id}`);
    expect(refusal(cloud, { type: 'updateNetworkOffering', id, state: 'Enabled' })).toBe(`ENTITY_NOT_FOUND 431 unable to find network offering ${id}`);
  });

  it('refuse services CloudStack does not know, and services their guest type cannot offer', () => {
    const { cloud } = setUp();
    const base = { type: 'createNetworkOffering' as const, name: 'x', displayText: 'x' };
    expect(refusal(cloud, { ...base, guestType: 'Isolated', services: ['Dhcp', 'Teleport'] })).toBe('INVALID_PARAMETER 431 Invalid service Teleport');
    expect(refusal(cloud, { ...base, guestType: 'Shared', services: ['Dhcp', 'PortForwarding'] })).toBe('INVALID_PARAMETER 431 Service PortForwarding is not supported by shared network offerings');
    expect(refusal(cloud, { ...base, guestType: 'L2', services: ['Dhcp'] })).toBe('INVALID_PARAMETER 431 L2 network offerings offer no services but UserData; got Dhcp');
    expect(refusal(cloud, { ...base, guestType: 'Shared', services: ['SourceNat'] })).toBe('INVALID_PARAMETER 431 SourceNat is offered by isolated networks only, not by Shared networks');
    expect(refusal(cloud, { ...base, guestType: 'Shared', services: ['Dhcp'], forVpc: true })).toBe('INVALID_PARAMETER 431 only offerings of isolated networks can be for VPC tiers');
    expect(refusal(cloud, { ...base, guestType: 'Isolated', services: ['Dhcp'], availability: 'Required' })).toBe('INVALID_PARAMETER 431 Availability can be Required only for networkOfferings of type Isolated with the SourceNat service');
    // Service names are matched without case and kept once, in CloudStack's spelling.
    cloud.ok({ ...base, guestType: 'Isolated', services: ['dhcp', 'DNS', 'Dhcp'] });
    expect([...cloud.state.networkOfferings.values()].at(-1)!.services).toEqual(['Dhcp', 'Dns']);
    expect(cloud.state.networkOfferings.size).toBe(7);
  });

  it('keep the defaults and every offering a network still uses', () => {
    const { cloud, createOffering, createNetwork } = setUp();
    expect(refusal(cloud, { type: 'deleteNetworkOffering', id: DEFAULT_NETWORK_OFFERING_IDS.isolatedSourceNat })).toBe("INVALID_PARAMETER 431 Default network offering can't be deleted");
    const id = createOffering('web', { state: 'Enabled' });
    const networkId = createNetwork('web1', id);
    expect(refusal(cloud, { type: 'deleteNetworkOffering', id })).toBe("INVALID_PARAMETER 431 Can't delete network offering web as its used by 1 networks. To make the network offering unavailable, disable it");
    cloud.ok({ type: 'deleteNetwork', id: networkId });
    cloud.ok({ type: 'deleteNetworkOffering', id });
  });

  it('are changed by root admins only', () => {
    const { cloud, createOffering } = setUp();
    const id = createOffering('web');
    actAsUser(cloud, 'alice');
    expect(refusal(cloud, { type: 'createNetworkOffering', name: 'mine', displayText: 'mine', guestType: 'Isolated' })).toBe('PERMISSION_DENIED 531 only a root admin may change the network offering catalogue');
    expect(refusal(cloud, { type: 'updateNetworkOffering', id, state: 'Enabled' })).toBe('PERMISSION_DENIED 531 only a root admin may change the network offering catalogue');
    expect(refusal(cloud, { type: 'deleteNetworkOffering', id })).toBe('PERMISSION_DENIED 531 only a root admin may change the network offering catalogue');
  });
});

describe('networks from offerings', () => {
  it('take their guest type, services and persistence from the offering, and refuse a disabled one', () => {
    const { cloud, zoneId, alice, createOffering, createNetwork } = setUp();
    const id = createOffering('web');
    expect(refusal(cloud, { type: 'createNetwork', zoneId, name: 'web1', guestType: 'Isolated', accountId: alice, networkOfferingId: id })).toBe("INVALID_PARAMETER 431 Can't use specified network offering id as its state is not Enabled");
    cloud.ok({ type: 'updateNetworkOffering', id, state: 'Enabled' });
    const networkId = createNetwork('web1', id, { displayText: 'Web network' });
    expect(cloud.state.networks.get(networkId)).toMatchObject({ guestType: 'Isolated', services: ISOLATED_SERVICES, persistent: false, networkOfferingId: id, displayText: 'Web network', gateway: 0x0a010101, state: 'Allocated' });
    const l2 = createOffering('plain-l2', { guestType: 'L2', services: [], persistent: true, state: 'Enabled' });
    // The offering, not the command, says what the network is.
    const l2Network = createNetwork('l2net', l2, { guestType: 'Isolated' });
    expect(cloud.state.networks.get(l2Network)).toMatchObject({ guestType: 'L2', services: [], persistent: true });
    expect(refusal(cloud, { type: 'createNetwork', zoneId, name: 'x', guestType: 'Isolated', accountId: alice, networkOfferingId: 'no-such' })).toBe('INVALID_PARAMETER 431 Unable to find network offering by specified id');
  });

  it('fit VPC tiers only with an offering for VPCs, and an offering for VPCs only to tiers', () => {
    const { cloud, zoneId, alice } = setUp(vpcDatacenter());
    const vpcId = [...cloud.state.vpcs.values()][0]!.id;
    const tier = { type: 'createNetwork' as const, zoneId, name: 'db', guestType: 'Isolated' as const, accountId: alice, vpcId, gateway: '10.10.3.1', netmask: '255.255.255.0' };
    expect(refusal(cloud, { ...tier, networkOfferingId: DEFAULT_NETWORK_OFFERING_IDS.isolatedSourceNat })).toBe("INVALID_PARAMETER 431 Network offering can't be used for VPC networks");
    expect(refusal(cloud, { type: 'createNetwork', zoneId, name: 'solo', guestType: 'Isolated', accountId: alice, networkOfferingId: DEFAULT_NETWORK_OFFERING_IDS.vpcTier })).toBe('INVALID_PARAMETER 431 Network offering can be used for VPC networks only');
    cloud.ok({ ...tier, networkOfferingId: DEFAULT_NETWORK_OFFERING_IDS.vpcTier });
    expect(cloud.state.networks.get(cloud.idOf('network', 'db'))).toMatchObject({ vpcId, networkOfferingId: DEFAULT_NETWORK_OFFERING_IDS.vpcTier, services: ['Dhcp', 'Dns', 'UserData', 'Lb', 'StaticNat', 'PortForwarding', 'Vpn', 'SourceNat', 'Gateway', 'NetworkACL'] });
  });

  it('are created for another account only by those who may act on it', () => {
    const { cloud, zoneId, alice } = setUp(vpcDatacenter());
    const bob = cloud.idOf('account', 'bob');
    const vpcId = [...cloud.state.vpcs.values()][0]!.id;
    actAsUser(cloud, 'bob');
    expect(refusal(cloud, { type: 'createNetwork', zoneId, name: 'x', guestType: 'Isolated', accountId: alice, networkOfferingId: DEFAULT_NETWORK_OFFERING_IDS.isolatedSourceNat })).toBe('PERMISSION_DENIED 531 the caller may not create networks for account alice');
    expect(refusal(cloud, { type: 'createNetwork', zoneId, name: 'x', guestType: 'Isolated', accountId: bob, vpcId, gateway: '10.10.3.1', netmask: '255.255.255.0', networkOfferingId: DEFAULT_NETWORK_OFFERING_IDS.vpcTier })).toBe('PERMISSION_DENIED 531 the caller may not add tiers to VPC shop');
    expect(refusal(cloud, { type: 'createVPC', zoneId, name: 'v', cidr: '10.20.0.0/16', accountId: alice })).toBe('PERMISSION_DENIED 531 the caller may not create VPCs for account alice');
  });

  it('take the VPC offering\'s redundancy, and refuse an unknown VPC offering', () => {
    const { cloud, zoneId, alice } = setUp();
    cloud.ok({ type: 'createVPC', zoneId, name: 'ha', cidr: '10.20.0.0/16', accountId: alice, vpcOfferingId: DEFAULT_VPC_OFFERING_IDS.redundantVpc, displayText: 'HA shop' });
    expect([...cloud.state.vpcs.values()].at(-1)).toMatchObject({ name: 'ha', redundantRouter: true, vpcOfferingId: DEFAULT_VPC_OFFERING_IDS.redundantVpc, displayText: 'HA shop' });
    expect(refusal(cloud, { type: 'createVPC', zoneId, name: 'x', cidr: '10.30.0.0/16', accountId: alice, vpcOfferingId: 'no-such' })).toBe('INVALID_PARAMETER 431 Unable to find vpc offering in Enabled state by specified id');
  });
});

describe('updating and restarting', () => {
  it('renames networks and VPCs for their owners only', () => {
    const { cloud, createOffering, createNetwork } = setUp(vpcDatacenter());
    const networkId = createNetwork('web1', createOffering('web', { state: 'Enabled' }));
    const vpcId = [...cloud.state.vpcs.values()][0]!.id;
    actAsUser(cloud, 'bob');
    expect(refusal(cloud, { type: 'updateNetwork', id: networkId, name: 'mine' })).toBe('PERMISSION_DENIED 531 the caller may not change network web1');
    expect(refusal(cloud, { type: 'restartNetwork', id: networkId })).toBe('PERMISSION_DENIED 531 the caller may not change network web1');
    expect(refusal(cloud, { type: 'updateVPC', id: vpcId, name: 'mine' })).toBe('PERMISSION_DENIED 531 the caller may not change VPC shop');
    expect(refusal(cloud, { type: 'restartVPC', id: vpcId })).toBe('PERMISSION_DENIED 531 the caller may not change VPC shop');
    actAsUser(cloud, 'alice');
    expect(refusal(cloud, { type: 'updateNetwork', id: networkId, name: ' ' })).toBe('INVALID_PARAMETER 431 the name of a network must not be empty');
    cloud.ok({ type: 'updateNetwork', id: networkId, name: 'front', displayText: 'Front end' });
    cloud.ok({ type: 'updateVPC', id: vpcId, name: 'store', displayText: 'The store' });
    expect(cloud.state.networks.get(networkId)).toMatchObject({ name: 'front', displayText: 'Front end' });
    expect(cloud.state.vpcs.get(vpcId)).toMatchObject({ name: 'store', displayText: 'The store' });
  });

  it('restarts only an implemented network; with cleanup its router is replaced and keeps its addresses', () => {
    const { cloud, createOffering, createNetwork, deploy } = setUp();
    const networkId = createNetwork('web1', createOffering('web', { state: 'Enabled' }));
    expect(refusal(cloud, { type: 'restartNetwork', id: networkId })).toBe('INVALID_PARAMETER 431 Network is not in the right state to be restarted. Correct states are: Implemented, Setup');
    deploy('vm1', networkId);
    const before = routers(cloud);
    expect(before).toEqual(['r-web1 Running host1: guest=10.1.1.1, public=203.0.113.10, control=169.254.0.2']);
    const oldId = [...cloud.state.vms.values()].find((vm) => vm.kind === 'DomainRouter')!.id;
    let from = cloud.events.length;
    cloud.ok({ type: 'restartNetwork', id: networkId });
    expect(cloud.events.slice(from).map((e) => e.type)).toEqual(['networkRestarted']);
    expect(routers(cloud)).toEqual(before);
    from = cloud.events.length;
    cloud.ok({ type: 'restartNetwork', id: networkId, cleanup: true });
    expect(cloud.events.slice(from).map((e) => e.type)).toEqual(['vmStateChanged', 'vmExpunged', 'vmCreated', 'networkRestarted', 'vmStateChanged']);
    expect(routers(cloud)).toEqual(['r-web1 Running host1: guest=10.1.1.1, public=203.0.113.10, control=169.254.0.3']);
    expect(cloud.state.vms.has(oldId)).toBe(false);
    expect(cloud.state.index.liveRoutersByServes.get(networkId)).toBe(1);
  });

  it('restarts a VPC; with cleanup its router comes back with a NIC on every tier', () => {
    const { cloud, zoneId, alice } = setUp(vpcDatacenter());
    const vpcId = [...cloud.state.vpcs.values()][0]!.id;
    const plain = cloud.idOf('offering', 'plain-4g');
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: plain, name: 'w1', networkIds: [cloud.idOf('network', 'web')] });
    cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: plain, name: 'a1', networkIds: [cloud.idOf('network', 'app')] });
    const before = routers(cloud);
    expect(before).toEqual(['r-shop Running host1: guest=10.10.1.1, public=203.0.113.10, control=169.254.0.2, guest=10.10.2.1']);
    cloud.ok({ type: 'restartVPC', id: vpcId, cleanup: true });
    expect(routers(cloud)).toEqual(['r-shop Running host1: guest=10.10.1.1, public=203.0.113.10, guest=10.10.2.1, control=169.254.0.3']);
    const from = cloud.events.length;
    cloud.ok({ type: 'restartVPC', id: vpcId });
    expect(cloud.events.slice(from)).toEqual([{ type: 'vpcRestarted', vpcId, cleanup: false, atMs: 0 }]);
  });
});

describe('a snapshot', () => {
  it('restores the offering catalogue and the renamed networks as the replay built them', () => {
    const { cloud, createOffering, createNetwork, deploy } = setUp();
    const kept = createOffering('web', { state: 'Enabled', networkRateMbps: 200, tags: 'fast' });
    const gone = createOffering('gone');
    cloud.ok({ type: 'updateNetworkOffering', id: kept, displayText: 'Web', availability: 'Required' });
    cloud.ok({ type: 'deleteNetworkOffering', id: gone });
    const networkId = createNetwork('web1', kept);
    deploy('vm1', networkId);
    cloud.ok({ type: 'updateNetwork', id: networkId, name: 'front' });
    cloud.ok({ type: 'restartNetwork', id: networkId, cleanup: true });
    const restored = restoreState(snapshotOf(cloud.state));
    expect(snapshotOf(restored)).toEqual(snapshotOf(cloud.state));
    expect(derivedOf(restored)).toEqual(derivedOf(cloud.state));
    expect([...restored.networkOfferings.keys()]).toEqual([...Object.values(DEFAULT_NETWORK_OFFERING_IDS), kept]);
    expect(restored.networkOfferings.get(kept)).toMatchObject({ displayText: 'Web', availability: 'Required', networkRateMbps: 200, tags: 'fast' });
  });
});
