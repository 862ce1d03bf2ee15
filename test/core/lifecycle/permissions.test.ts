/**
 * Who may act on what: a user acts on the resources of their own account only, as in
 * CloudStack, and is refused with PERMISSION_DENIED (531) on another account's VM, volume,
 * public address or rule, leaving it untouched; admin-only operations are refused to users
 * too. Alice and bob each deploy a VM into their default isolated network of the tiny
 * datacenter; alice also holds an extra address with a port forwarding rule and a data volume.
 * Then bob's user tries each command on alice's resources.
 */
import { describe, expect, it } from 'vitest';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';
import { actAsUser, lastAddress, refusal } from './fixtures.js';

function setUp() {
  const cloud = testCloud(tinyDatacenter());
  const zoneId = cloud.idOf('zone', 'z1');
  const alice = cloud.idOf('account', 'alice');
  const bob = cloud.idOf('account', 'bob');
  const offering = cloud.idOf('offering', 'plain-4g');
  cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering, name: 'a1' });
  cloud.ok({ type: 'deployVirtualMachine', zoneId, accountId: bob, serviceOfferingId: offering, name: 'b1' });
  const network = cloud.idOf('network', 'alice-network');
  cloud.ok({ type: 'associateIpAddress', accountId: alice, networkId: network });
  const ip = lastAddress(cloud);
  cloud.ok({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: cloud.vm('a1').id, protocol: 'tcp', publicPort: 22, privatePort: 22 });
  const rule = [...cloud.state.portForwardingRules.values()][0]!;
  cloud.ok({ type: 'createVolume', zoneId, accountId: alice, name: 'alice-data', diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
  const volume = [...cloud.state.volumes.values()].find((v) => v.name === 'alice-data')!;
  cloud.ok({ type: 'attachVolume', id: volume.id, vmId: cloud.vm('a1').id });
  actAsUser(cloud, 'bob');
  return { cloud, zoneId, alice, bob, offering, network, ip, rule, volume };
}

describe("a user and another account's resources", () => {
  it("cannot stop, reboot, scale, destroy or migrate another account's VM", () => {
    const { cloud, offering } = setUp();
    const id = cloud.vm('a1').id;
    for (const type of ['stopVirtualMachine', 'rebootVirtualMachine'] as const) {
      expect(refusal(cloud, { type, id })).toBe('PERMISSION_DENIED 531 the caller may not act on virtual machine a1');
    }
    expect(refusal(cloud, { type: 'scaleVirtualMachine', id, serviceOfferingId: offering })).toBe('PERMISSION_DENIED 531 the caller may not act on virtual machine a1');
    expect(refusal(cloud, { type: 'destroyVirtualMachine', id })).toBe('PERMISSION_DENIED 531 the caller may not act on virtual machine a1');
    expect(refusal(cloud, { type: 'migrateVirtualMachine', id })).toBe('PERMISSION_DENIED 531 the caller may not act on virtual machine a1');
    expect(cloud.vm('a1').state).toBe('Running');
  });

  it("cannot deploy for another account", () => {
    const { cloud, zoneId, alice, offering } = setUp();
    expect(refusal(cloud, { type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: offering })).toBe('PERMISSION_DENIED 531 the caller may not deploy VMs for account alice');
  });

  it("cannot detach, resize, delete, snapshot or attach another account's volume", () => {
    const { cloud, volume } = setUp();
    const denied = 'PERMISSION_DENIED 531 the caller may not act on volume alice-data';
    expect(refusal(cloud, { type: 'detachVolume', id: volume.id })).toBe(denied);
    expect(refusal(cloud, { type: 'resizeVolume', id: volume.id, sizeGiB: 100 })).toBe(denied);
    expect(refusal(cloud, { type: 'deleteVolume', id: volume.id })).toBe(denied);
    expect(refusal(cloud, { type: 'createSnapshot', volumeId: volume.id })).toBe(denied);
    expect(refusal(cloud, { type: 'attachVolume', id: volume.id, vmId: cloud.vm('b1').id })).toBe(denied);
    expect(volume).toMatchObject({ vmId: cloud.vm('a1').id, sizeGiB: 50 });
  });

  it("cannot release, NAT, forward or firewall another account's address, nor acquire one in its network", () => {
    const { cloud, alice, bob, network, ip } = setUp();
    const denied = 'PERMISSION_DENIED 531 the caller may not act on this public IP';
    expect(refusal(cloud, { type: 'disassociateIpAddress', id: ip.id })).toBe(denied);
    expect(refusal(cloud, { type: 'enableStaticNat', ipAddressId: ip.id, vmId: cloud.vm('b1').id })).toBe(denied);
    expect(refusal(cloud, { type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: cloud.vm('b1').id, protocol: 'tcp', publicPort: 80, privatePort: 80 })).toBe(denied);
    expect(refusal(cloud, { type: 'createLoadBalancerRule', ipAddressId: ip.id, name: 'lb', algorithm: 'source', publicPort: 80, privatePort: 80 })).toBe(denied);
    expect(refusal(cloud, { type: 'createFirewallRule', ipAddressId: ip.id, protocol: 'tcp', startPort: 22 })).toBe(denied);
    expect(refusal(cloud, { type: 'associateIpAddress', accountId: alice, networkId: network })).toBe('PERMISSION_DENIED 531 the caller may not acquire addresses for account alice');
    expect(refusal(cloud, { type: 'associateIpAddress', accountId: bob, networkId: network })).toBe('PERMISSION_DENIED 531 the network or VPC belongs to another account');
    expect(cloud.state.publicIps.get(ip.id)!.purposes).toEqual(['PortForwarding']);
  });

  it("cannot delete another account's rules or network, nor add egress rules to it", () => {
    const { cloud, network, rule } = setUp();
    expect(refusal(cloud, { type: 'deletePortForwardingRule', id: rule.id })).toBe('PERMISSION_DENIED 531 the caller may not delete this rule');
    expect(refusal(cloud, { type: 'createEgressFirewallRule', networkId: network, protocol: 'all' })).toBe('PERMISSION_DENIED 531 the caller may not change network alice-network');
    expect(refusal(cloud, { type: 'deleteNetwork', id: network })).toBe('PERMISSION_DENIED 531 the caller may not delete network alice-network');
    expect(cloud.state.portForwardingRules.has(rule.id)).toBe(true);
  });

  it("cannot point its own rules at another account's VM", () => {
    const { cloud, bob } = setUp();
    cloud.ok({ type: 'associateIpAddress', accountId: bob, networkId: cloud.idOf('network', 'bob-network') });
    const own = lastAddress(cloud);
    expect(refusal(cloud, { type: 'createPortForwardingRule', ipAddressId: own.id, vmId: cloud.vm('a1').id, protocol: 'tcp', publicPort: 80, privatePort: 80 })).toBe(
      'INVALID_PARAMETER 431 virtual machine a1 belongs to another account',
    );
    expect(refusal(cloud, { type: 'enableStaticNat', ipAddressId: own.id, vmId: cloud.vm('a1').id })).toBe('INVALID_PARAMETER 431 virtual machine a1 belongs to another account');
    // Its own VM is fine.
    cloud.ok({ type: 'enableStaticNat', ipAddressId: own.id, vmId: cloud.vm('b1').id });
    expect(cloud.state.index.staticNatByVm.get(cloud.vm('b1').id)).toBe(own.id);
  });
});
