/**
 * The refusals of the running cloud, one firing test per code, as an API caller meets them:
 * each test builds the tiny datacenter (two KVM hosts, alice and bob, an L2 network), runs the
 * commands that set the scene through the core with drivers that answer at once, then sends
 * the command that breaks the rule and checks the code, CloudStack's error number and the
 * message, and that nothing changed.
 */
import { describe, expect, it } from 'vitest';
import { testCloud, tinyDatacenter } from '../../support/cloud.js';

function setUp(settings: Record<string, number> = {}) {
  const spec = tinyDatacenter();
  Object.assign(spec.settings!, settings);
  const cloud = testCloud(spec);
  const zoneId = cloud.idOf('zone', 'z1');
  const alice = cloud.idOf('account', 'alice');
  const deploy = (name: string, offering = 'plain-4g', networkIds?: string[]) =>
    cloud.run({ type: 'deployVirtualMachine', zoneId, accountId: alice, serviceOfferingId: cloud.idOf('offering', offering), name, ...(networkIds ? { networkIds } : {}) });
  return { cloud, zoneId, alice, deploy };
}

describe('refusals of the running cloud', () => {
  it('INSUFFICIENT_CAPACITY fires when no host has room for the VM under the cluster CPU disable threshold', () => {
    const { cloud, deploy } = setUp();
    const l2 = [cloud.idOf('network', 'l2')];
    for (const name of ['big1', 'big2', 'big3']) expect(deploy(name, 'big', l2)).toBeUndefined();
    const refused = deploy('big4', 'big', l2);
    expect(refused?.code).toBe('INSUFFICIENT_CAPACITY');
    expect(refused?.errorCode).toBe(533);
    expect(refused?.message).toBe('Unable to create a deployment for the VM (8 x 2000 MHz and 32,768 MiB) in zone z1: no host fits; removed: 1 cluster over the 0.85 CPU disable threshold');
    expect(() => cloud.vm('big4')).toThrow('no VM named big4');
  });

  it('RESOURCE_LIMIT_EXCEEDED fires when an account would hold more public IPs than max.account.public.ips', () => {
    const { cloud, alice, deploy } = setUp({ 'max.account.public.ips': 2 });
    expect(deploy('web1')).toBeUndefined();
    // The network's source NAT address is the first; one more is acquired, a third is refused.
    const networkId = cloud.idOf('network', 'alice-network');
    cloud.ok({ type: 'associateIpAddress', accountId: alice, networkId });
    const refused = cloud.run({ type: 'associateIpAddress', accountId: alice, networkId });
    expect(refused?.code).toBe('RESOURCE_LIMIT_EXCEEDED');
    expect(refused?.errorCode).toBe(535);
    expect(refused?.message).toBe("Maximum number of resources of type 'public_ip' for account alice has been exceeded: it holds 2 public IPs, asks for 1 more, and max.account.public.ips is 2");
    expect(cloud.state.publicIps.size).toBe(2);
  });

  it('PERMISSION_DENIED fires when a user deletes a volume of another account', () => {
    const { cloud, zoneId, alice } = setUp();
    cloud.ok({ type: 'createVolume', zoneId, accountId: alice, name: 'alice-data', diskOfferingId: cloud.idOf('diskOffering', 'data-50') });
    const volume = [...cloud.state.volumes.values()][0]!;
    cloud.ctx.actor = { accountId: cloud.idOf('account', 'bob'), userId: 'bob-user', role: 'User', domainId: 'ROOT' };
    const refused = cloud.run({ type: 'deleteVolume', id: volume.id });
    expect(refused?.code).toBe('PERMISSION_DENIED');
    expect(refused?.errorCode).toBe(531);
    expect(refused?.message).toBe('the caller may not act on volume alice-data');
    expect(cloud.state.volumes.has(volume.id)).toBe(true);
  });

  it('INVALID_STATE fires when a stopped VM is rebooted', () => {
    const { cloud, deploy } = setUp();
    expect(deploy('web1')).toBeUndefined();
    cloud.ok({ type: 'stopVirtualMachine', id: cloud.vm('web1').id });
    const refused = cloud.run({ type: 'rebootVirtualMachine', id: cloud.vm('web1').id });
    expect(refused?.code).toBe('INVALID_STATE');
    expect(refused?.errorCode).toBe(431);
    expect(refused?.message).toBe('virtual machine web1 is Stopped; only a running VM can be rebooted');
    expect(cloud.vm('web1').state).toBe('Stopped');
  });

  it('RESOURCE_IN_USE fires when a network that still has a VM is deleted', () => {
    const { cloud, deploy } = setUp();
    expect(deploy('web1')).toBeUndefined();
    const id = cloud.idOf('network', 'alice-network');
    const refused = cloud.run({ type: 'deleteNetwork', id });
    expect(refused?.code).toBe('RESOURCE_IN_USE');
    expect(refused?.errorCode).toBe(536);
    expect(refused?.message).toBe('network alice-network still has 1 VM(s)');
    expect(cloud.state.networks.get(id)!.state).toBe('Implemented');
  });

  it('NETWORK_RULE_CONFLICT fires when port forwarding is asked on an address with static NAT', () => {
    const { cloud, alice, deploy } = setUp();
    expect(deploy('web1')).toBeUndefined();
    cloud.ok({ type: 'associateIpAddress', accountId: alice, networkId: cloud.idOf('network', 'alice-network') });
    const ip = [...cloud.state.publicIps.values()].at(-1)!;
    cloud.ok({ type: 'enableStaticNat', ipAddressId: ip.id, vmId: cloud.vm('web1').id });
    const refused = cloud.run({ type: 'createPortForwardingRule', ipAddressId: ip.id, vmId: cloud.vm('web1').id, protocol: 'tcp', publicPort: 22, privatePort: 22 });
    expect(refused?.code).toBe('NETWORK_RULE_CONFLICT');
    expect(refused?.errorCode).toBe(537);
    expect(refused?.message).toBe('static NAT is enabled on the address; it takes no port forwarding');
    expect(cloud.state.portForwardingRules.size).toBe(0);
  });

  it('RESOURCE_UNAVAILABLE fires when a VM is deployed while the management server is down', () => {
    const { cloud, deploy } = setUp();
    cloud.ok({ type: 'managementServerDown' });
    const refused = deploy('web1');
    expect(refused?.code).toBe('RESOURCE_UNAVAILABLE');
    expect(refused?.errorCode).toBe(534);
    expect(refused?.message).toBe('the management server is down; running VMs go on, but nothing can be changed until it returns');
    expect(cloud.state.vms.size).toBe(0);
  });
});
