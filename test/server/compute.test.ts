/**
 * The compute and storage commands over HTTP, each a thin adapter over the core: the whole life
 * of a VM with its exact states and job results (deploy with display name and key pair, reboot,
 * stop, update, scale, start, migrate, destroy, recover, expunge), the hosts a VM could migrate to
 * (findHostsForMigration) and the deprecated synchronous changeServiceForVirtualMachine; volumes created, attached,
 * resized, snapshotted, restored from snapshots, detached by device and deleted; templates made
 * from a stopped VM's root disk and the template filters; SSH key pairs whose public key is
 * checked against the private key with node:crypto; tags and the lists they filter; affinity
 * groups; the offering catalogue; what another account may not see or touch; a resource limit;
 * and the JSON type of every field the new views render.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { OS_CATEGORIES, OS_TYPES } from '../../core/data/os-types.js';
import { virtualMachineView } from '../../server/views/compute.js';
import { hostForMigrationView } from '../../server/views/infrastructure.js';
import { diskOfferingView, serviceOfferingView } from '../../server/views/offerings.js';
import { snapshotView, volumeView } from '../../server/views/storage.js';
import { tagView } from '../../server/views/tags.js';
import { isoView, osCategoryView, osTypeView, templateView } from '../../server/views/templates.js';
import { affinityGroupTypeView, affinityGroupView, sshKeyPairView } from '../../server/views/tenant.js';
import type { View, ViewContext } from '../../server/views/view.js';
import { matchesType, serve, type Served, servedSpec, SignedClient } from './support.js';

type Obj = Record<string, unknown>;

const GIB = 1024 ** 3;
const NOW = '2026-01-01T12:00:00+0000';
const UBUNTU_2204 = OS_TYPES.find((t) => t.description === 'Ubuntu 22.04 LTS')!.id;

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
  offering: (name: string) => string;
  diskOffering: (name: string) => string;
}

async function world(spec = servedSpec()): Promise<World> {
  cloud = await serve({ spec });
  const served = cloud;
  const admin = new SignedClient(served.url, served.admin);
  const state = served.runtime.state;
  const byName = <T extends { id: string; name: string }>(records: Map<string, T>) => (name: string) => [...records.values()].find((r) => r.name === name)!.id;
  return {
    served,
    admin,
    zoneId: [...state.zones.keys()][0]!,
    templateId: [...state.templates.values()].find((t) => t.name === 'ubuntu-22.04')!.id,
    offering: byName(state.serviceOfferings),
    diskOffering: byName(state.diskOfferings),
  };
}

/** A user account made by the admin, with its own keys. */
async function tenant(w: World, name: string): Promise<SignedClient> {
  const account = (await w.admin.ok('createAccount', { username: `${name}-user`, password: 'pw', email: `${name}@example.com`, firstname: name, lastname: 'Doe', account: name, accounttype: '0' })).account as Obj;
  const keys = (await w.admin.ok('registerUserKeys', { id: ((account.user as Obj[])[0]!).id as string })).userkeys as Obj;
  return new SignedClient(w.served.url, { apiKey: keys.apikey as string, secretKey: keys.secretkey as string });
}

/** The finished job of an async reply. */
async function jobOf(client: SignedClient, reply: Obj): Promise<Obj> {
  return client.ok('queryAsyncJobResult', { jobid: reply.jobid as string });
}

/** Runs an async command and returns its job's result object, which must be there. */
async function result(client: SignedClient, command: string, params: Record<string, string>): Promise<Obj> {
  const job = await jobOf(client, await client.ok(command, params));
  expect(job, `${command}: ${JSON.stringify(job.jobresult)}`).toMatchObject({ jobstatus: 1, jobresultcode: 0 });
  return job.jobresult as Obj;
}

async function deploy(w: World, client: SignedClient, params: Record<string, string> = {}): Promise<Obj> {
  const r = await result(client, 'deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: w.offering('plain-4g'), templateid: w.templateId, ...params });
  return r.virtualmachine as Obj;
}

async function errorOf(client: SignedClient, command: string, params: Record<string, string>): Promise<[number, string]> {
  const r = await client.get(command, params);
  return [r.status, (r.body[`${command.toLowerCase()}response`] as Obj).errortext as string];
}

describe('the life of a VM', () => {
  it('goes through every state with the job results CloudStack gives', async () => {
    const w = await world();
    const keypair = (await w.admin.ok('createSSHKeyPair', { name: 'ops' })).keypair as Obj;
    const deployed = await w.admin.ok('deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: w.offering('plain-4g'), templateid: w.templateId, name: 'web-1', displayname: 'Web one', keypair: 'ops' });
    const deployJob = await jobOf(w.admin, deployed);
    expect(deployJob).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobinstancetype: 'VirtualMachine', jobinstanceid: deployed.id });
    const vm = (deployJob.jobresult as Obj).virtualmachine as Obj;
    expect(vm).toMatchObject({ id: deployed.id, name: 'web-1', displayname: 'Web one', keypairs: 'ops', state: 'Running', hostname: 'host1', tags: [], created: NOW });
    expect(keypair.name).toBe('ops');
    const id = vm.id as string;

    const reboot = await jobOf(w.admin, await w.admin.ok('rebootVirtualMachine', { id }));
    expect(reboot).toMatchObject({ jobstatus: 1, jobinstancetype: 'VirtualMachine', jobinstanceid: id, cmd: 'org.apache.cloudstack.api.command.user.vm.RebootVMCmd' });
    expect(Object.keys(reboot.jobresult as Obj)).toEqual(['virtualmachine']);
    expect(((reboot.jobresult as Obj).virtualmachine as Obj).state).toBe('Running');

    expect(await errorOf(w.admin, 'updateVirtualMachine', { id, name: 'web-2' })).toEqual([431, 'virtual machine web-1 is Running; its name can be changed only while it is stopped']);
    expect(((await result(w.admin, 'stopVirtualMachine', { id })).virtualmachine as Obj).state).toBe('Stopped');
    const updated = (await w.admin.ok('updateVirtualMachine', { id, name: 'web-2', displayname: 'Web two' })).virtualmachine as Obj;
    expect(updated).toMatchObject({ id, name: 'web-2', displayname: 'Web two', state: 'Stopped', haenable: false });
    expect(await errorOf(w.admin, 'updateVirtualMachine', { id, haenable: 'true' })).toEqual([431, "Can't enable ha for the vm as it's created from the Service offering having HA disabled (plain-4g)"]);

    const scaled = (await result(w.admin, 'scaleVirtualMachine', { id, serviceofferingid: w.offering('big') })).virtualmachine as Obj;
    expect(scaled).toMatchObject({ serviceofferingname: 'big', cpunumber: 8, cpuspeed: 2000, memory: 32768, state: 'Stopped' });
    expect(((await result(w.admin, 'startVirtualMachine', { id })).virtualmachine as Obj)).toMatchObject({ state: 'Running', hostname: 'host1' });

    const migrated = await jobOf(w.admin, await w.admin.ok('migrateVirtualMachine', { virtualmachineid: id }));
    expect(migrated).toMatchObject({ jobstatus: 1, cmd: 'org.apache.cloudstack.api.command.admin.vm.MigrateVMCmd' });
    expect(((migrated.jobresult as Obj).virtualmachine as Obj)).toMatchObject({ state: 'Running', hostname: 'host2' });

    expect(((await result(w.admin, 'destroyVirtualMachine', { id })).virtualmachine as Obj).state).toBe('Destroyed');
    const recovered = (await w.admin.ok('recoverVirtualMachine', { id })).virtualmachine as Obj;
    expect(recovered).toMatchObject({ id, name: 'web-2', state: 'Stopped' });
    expect(await errorOf(w.admin, 'recoverVirtualMachine', { id })).toEqual([431, 'virtual machine web-2 is Stopped; only a destroyed VM that is not yet expunged can be recovered']);

    const gone = await result(w.admin, 'destroyVirtualMachine', { id, expunge: 'true' });
    expect((gone.virtualmachine as Obj).state).toBe('Expunging');
    expect(await w.admin.ok('listVirtualMachines', { id })).toEqual({});

    const other = await deploy(w, w.admin, { name: 'web-3' });
    await result(w.admin, 'destroyVirtualMachine', { id: other.id as string });
    const expunged = await jobOf(w.admin, await w.admin.ok('expungeVirtualMachine', { id: other.id as string }));
    expect(expunged).toMatchObject({ jobstatus: 1, jobresult: { success: true }, jobinstanceid: other.id });
    expect(w.served.runtime.state.vms.has(other.id as string)).toBe(false);
    expect(((await w.admin.ok('listEvents', { resourceid: id })).event as Obj[]).map((e) => e.type)).toEqual(['VM.EXPUNGE', 'VM.DESTROY', 'VM.DESTROY', 'VM.MIGRATE', 'VM.START', 'VM.STOP', 'VM.REBOOT', 'VM.START', 'VM.CREATE']);
  });

  it('refuses a key pair the account does not have, and a running VM\'s volumes moving', async () => {
    const w = await world();
    expect(await errorOf(w.admin, 'deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: w.offering('plain-4g'), templateid: w.templateId, keypair: 'nope' })).toEqual([431, "A key pair with name 'nope' was not found for account admin"]);
    const vm = await deploy(w, w.admin);
    const pool = [...w.served.runtime.state.storagePools.keys()][0]!;
    expect(await errorOf(w.admin, 'migrateVirtualMachine', { virtualmachineid: vm.id as string, storageid: pool })).toEqual([431, `virtual machine ${vm.name as string} is Running; only a stopped VM's volumes can move to another pool (give hostid to move a running VM)`]);
  });
});

describe('changeServiceForVirtualMachine', () => {
  it('changes a stopped VM\'s offering at once and answers the VM, as the deprecated command did', async () => {
    const w = await world();
    const vm = await deploy(w, w.admin, { name: 'resized' });
    const id = vm.id as string;
    expect(await errorOf(w.admin, 'changeServiceForVirtualMachine', { id, serviceofferingid: w.offering('big') })).toEqual([431, 'virtual machine resized is running; stop it to scale it (dynamic scaling needs VMware or XenServer and enable.dynamic.scale.vm)']);
    await result(w.admin, 'stopVirtualMachine', { id });
    const changed = await w.admin.ok('changeServiceForVirtualMachine', { id, serviceofferingid: w.offering('big') });
    expect(Object.keys(changed)).toEqual(['virtualmachine']);
    expect(changed.virtualmachine).toMatchObject({ id, serviceofferingname: 'big', cpunumber: 8, cpuspeed: 2000, memory: 32768, state: 'Stopped' });
    expect(await errorOf(w.admin, 'changeServiceForVirtualMachine', { id, serviceofferingid: w.offering('big') })).toEqual([431, 'Not upgrading vm resized since it already has the requested service offering (big)']);
    const carol = await tenant(w, 'carol');
    expect((await errorOf(carol, 'changeServiceForVirtualMachine', { id, serviceofferingid: w.offering('big') }))[0]).toBe(531);
    expect(((await result(w.admin, 'startVirtualMachine', { id })).virtualmachine as Obj)).toMatchObject({ state: 'Running', cpunumber: 8 });
  });
});

describe('findHostsForMigration', () => {
  it('lists the other hosts of the cluster, flagged with whether migrate would move the VM there', async () => {
    const w = await world();
    const vm = await deploy(w, w.admin, { name: 'mover' });
    expect(vm.hostname).toBe('host1');
    const hosts = async () => ((await w.admin.ok('findHostsForMigration', { virtualmachineid: vm.id as string })).host as Obj[]);
    const found = await hosts();
    expect(found.map((h) => [h.name, h.suitableformigration, h.requiresStorageMotion])).toEqual([['host2', true, false]]);
    // Every field of listHosts, with the types the view declares.
    const listed = ((await w.admin.ok('listHosts', { name: 'host2' })).host as Obj[])[0]!;
    expect(found[0]).toMatchObject(listed);
    for (const spec of hostForMigrationView.specs) {
      const value = found[0]![spec.name];
      if (value !== undefined) expect(matchesType(spec.type, value), `${spec.name}: ${JSON.stringify(value)}`).toBe(true);
    }
    expect(await w.admin.ok('findHostsForMigration', { virtualmachineid: vm.id as string, keyword: 'nope' })).toEqual({});

    // What migrate would refuse is not suitable: a disabled host.
    const host2 = listed.id as string;
    await w.admin.ok('updateHost', { id: host2, allocationstate: 'Disable' });
    expect((await hosts()).map((h) => [h.name, h.suitableformigration])).toEqual([['host2', false]]);
    const refused = await jobOf(w.admin, await w.admin.ok('migrateVirtualMachine', { virtualmachineid: vm.id as string, hostid: host2 }));
    expect(refused).toMatchObject({ jobstatus: 2, jobresult: { errorcode: 533 } });
    await w.admin.ok('updateHost', { id: host2, allocationstate: 'Enable' });
    expect((await hosts()).map((h) => [h.name, h.suitableformigration])).toEqual([['host2', true]]);
    // Asking takes nothing: the VM still moves there.
    expect(((await result(w.admin, 'migrateVirtualMachine', { virtualmachineid: vm.id as string, hostid: host2 })).virtualmachine as Obj).hostname).toBe('host2');
    expect((await hosts()).map((h) => [h.name, h.suitableformigration])).toEqual([['host1', true]]);

    // A stopped VM cannot be live-migrated; a user may not call the command at all (401, as for any admin command).
    await result(w.admin, 'stopVirtualMachine', { id: vm.id as string });
    expect(await errorOf(w.admin, 'findHostsForMigration', { virtualmachineid: vm.id as string })).toEqual([431, 'virtual machine mover is Stopped; only a running VM can be migrated']);
    const carol = await tenant(w, 'carol');
    expect((await carol.get('findHostsForMigration', { virtualmachineid: vm.id as string })).status).toBe(401);
  });
});

describe('volumes and snapshots', () => {
  it('are created, attached, resized, snapshotted, restored, detached by device and deleted', async () => {
    const w = await world();
    const carol = await tenant(w, 'carol');
    const vm = await deploy(w, carol, { name: 'app' });
    const created = await carol.ok('createVolume', { zoneid: w.zoneId, diskofferingid: w.diskOffering('data-50'), name: 'data' });
    expect(Object.keys(created).sort()).toEqual(['id', 'jobid']);
    const createJob = await jobOf(carol, created);
    expect(createJob).toMatchObject({ jobstatus: 1, jobinstancetype: 'Volume', jobinstanceid: created.id, cmd: 'org.apache.cloudstack.api.command.user.volume.CreateVolumeCmd' });
    expect((createJob.jobresult as Obj).volume).toMatchObject({ id: created.id, name: 'data', type: 'DATADISK', state: 'Allocated', size: 50 * GIB, account: 'carol', diskofferingname: 'data-50', zonename: 'z1', destroyed: false, tags: [] });
    expect((createJob.jobresult as Obj).volume).not.toHaveProperty('storageid');

    const attached = (await result(carol, 'attachVolume', { id: created.id as string, virtualmachineid: vm.id as string })).volume as Obj;
    expect(attached).toMatchObject({ state: 'Ready', virtualmachineid: vm.id, vmname: 'app', vmstate: 'Running', deviceid: 1, storagetype: 'shared' });
    expect(((await result(carol, 'resizeVolume', { id: created.id as string, size: '80' })).volume as Obj).size).toBe(80 * GIB);
    expect(((await carol.ok('listVolumes', { virtualmachineid: vm.id as string })).volume as Obj[]).map((v) => `${v.type} ${v.deviceid} ${(v.size as number) / GIB}`)).toEqual(['ROOT 0 10', 'DATADISK 1 80']);

    const snap = await carol.ok('createSnapshot', { volumeid: created.id as string, name: 'before' });
    const snapshot = ((await jobOf(carol, snap)).jobresult as Obj).snapshot as Obj;
    expect(snapshot).toMatchObject({ id: snap.id, name: 'before', state: 'BackedUp', volumeid: created.id, volumename: 'data', volumetype: 'DATADISK', physicalsize: 80 * GIB, revertable: true, snapshottype: 'MANUAL' });
    const restoredId = (await carol.ok('createVolume', { snapshotid: snap.id as string, name: 'restored' })).id as string;
    expect(((await carol.ok('listVolumes', { id: restoredId })).volume as Obj[])[0]).toMatchObject({ name: 'restored', size: 80 * GIB, snapshotid: snap.id, state: 'Allocated', diskofferingname: 'data-50', zonename: 'z1' });

    expect(await errorOf(carol, 'deleteVolume', { id: created.id as string })).toEqual([431, 'Please specify a volume that is not attached to any VM. (volume data is attached to app; detach it first)']);
    const detached = (await result(carol, 'detachVolume', { virtualmachineid: vm.id as string, deviceid: '1' })).volume as Obj;
    expect(detached).toMatchObject({ id: created.id, state: 'Ready' });
    expect(detached).not.toHaveProperty('virtualmachineid');

    await result(carol, 'stopVirtualMachine', { id: vm.id as string });
    const reverted = await jobOf(carol, await carol.ok('revertSnapshot', { id: snap.id as string }));
    expect(reverted).toMatchObject({ jobstatus: 1, jobinstancetype: 'Snapshot' });
    expect(Object.keys(reverted.jobresult as Obj)).toEqual(['snapshot']);

    expect(await carol.ok('deleteVolume', { id: created.id as string })).toEqual({ success: true });
    expect(await jobOf(carol, await carol.ok('deleteSnapshot', { id: snap.id as string }))).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect(await carol.ok('listSnapshots')).toEqual({});
    expect(((await carol.ok('listVolumes')).volume as Obj[]).map((v) => v.name)).toEqual(['ROOT-app', 'restored']);
  });
});

describe('templates', () => {
  it('are made from a stopped VM\'s root disk and listed under CloudStack\'s filters', async () => {
    const w = await world();
    const carol = await tenant(w, 'carol');
    const dave = await tenant(w, 'dave');
    const vm = await deploy(w, carol, { name: 'golden' });
    const root = ((await carol.ok('listVolumes', { virtualmachineid: vm.id as string, type: 'ROOT' })).volume as Obj[])[0]!;
    const running = await carol.get('createTemplate', { name: 'golden-image', displaytext: 'Golden image', ostypeid: UBUNTU_2204, volumeid: root.id as string });
    expect([running.status, (running.body.createtemplateresponse as Obj).errortext]).toEqual([431, `volume ${root.name as string} is attached to virtual machine golden, which is Running; stop it first`]);
    await result(carol, 'stopVirtualMachine', { id: vm.id as string });
    const created = await carol.ok('createTemplate', { name: 'golden-image', displaytext: 'Golden image', ostypeid: UBUNTU_2204, volumeid: root.id as string });
    expect(Object.keys(created).sort()).toEqual(['id', 'jobid']);
    const job = await jobOf(carol, created);
    expect(job).toMatchObject({ jobstatus: 1, jobinstancetype: 'Template', jobinstanceid: created.id });
    expect((job.jobresult as Obj).template).toMatchObject({ id: created.id, name: 'golden-image', displaytext: 'Golden image', ostypeid: UBUNTU_2204, ostypename: 'Ubuntu 22.04 LTS', format: 'QCOW2', hypervisor: 'KVM', size: 10 * GIB, isready: true, ispublic: false, isfeatured: false, account: 'carol', zonename: 'z1' });

    const names = async (client: SignedClient, filter: string) => (((await client.ok('listTemplates', { templatefilter: filter })).template as Obj[] | undefined) ?? []).map((t) => t.name);
    expect(await names(carol, 'featured')).toEqual(['ubuntu-22.04']);
    expect(await names(carol, 'self')).toEqual(['golden-image']);
    expect(await names(carol, 'selfexecutable')).toEqual(['golden-image']);
    expect(await names(carol, 'executable')).toEqual(['ubuntu-22.04', 'golden-image']);
    expect(await names(carol, 'community')).toEqual([]);
    expect(await names(carol, 'sharedexecutable')).toEqual([]);
    expect(await names(dave, 'executable')).toEqual(['ubuntu-22.04']);
    expect(await errorOf(dave, 'listTemplates', { templatefilter: 'all' })).toEqual([431, 'Only root admin can list all templates (templatefilter=all)']);
    expect(await names(w.admin, 'all')).toEqual(['ubuntu-22.04', 'golden-image']);

    // A VM deploys from it; then it cannot be deleted unless forced.
    const fromGolden = await deploy(w, carol, { templateid: created.id as string, name: 'copy' });
    expect(fromGolden).toMatchObject({ templatename: 'golden-image', templatedisplaytext: 'Golden image', ostypeid: UBUNTU_2204 });
    expect(await errorOf(carol, 'deleteTemplate', { id: created.id as string })).toEqual([431, `Unable to delete template with id: ${created.id as string} because VM instances: [copy] are using it.`]);
    expect(await jobOf(carol, await carol.ok('deleteTemplate', { id: created.id as string, forced: 'true' }))).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect(await names(carol, 'self')).toEqual([]);
  });

  it('are registered from a URL with the list reply, updated, and ISOs too; the OS catalogue lists', async () => {
    const w = await world();
    const registered = await w.admin.ok('registerTemplate', { name: 'debian-12', displaytext: 'Debian 12', format: 'QCOW2', hypervisor: 'kvm', url: 'http://images.example.com/debian-12.qcow2', zoneid: w.zoneId, ispublic: 'true', ostypeid: OS_TYPES[2]!.id });
    expect(registered.count).toBe(1);
    const template = (registered.template as Obj[])[0]!;
    expect(template).toMatchObject({ name: 'debian-12', displaytext: 'Debian 12', hypervisor: 'KVM', ispublic: true, isfeatured: false, size: 2 * GIB, ostypename: 'Debian GNU/Linux 12 (64-bit)', zoneid: w.zoneId, account: 'admin' });
    expect(await errorOf(w.admin, 'registerTemplate', { name: 'x', displaytext: 'x', format: 'QCOW2', hypervisor: 'KVM', url: 'http://x' })).toEqual([431, 'Please specify zoneid or zoneids']);
    const updated = (await w.admin.ok('updateTemplate', { id: template.id as string, displaytext: 'Debian bookworm' })).template as Obj;
    expect(updated).toMatchObject({ name: 'debian-12', displaytext: 'Debian bookworm' });
    const carol = await tenant(w, 'carol');
    expect((((await carol.ok('listTemplates', { templatefilter: 'community' })).template as Obj[])).map((t) => t.name)).toEqual(['debian-12']);

    const iso = (await w.admin.ok('registerIso', { name: 'rescue', displaytext: 'Rescue ISO', url: 'http://images.example.com/rescue.iso', zoneid: w.zoneId })) as Obj;
    expect(iso.count).toBe(1);
    expect((iso.iso as Obj[])[0]).toMatchObject({ name: 'rescue', format: 'ISO', bootable: true, ispublic: false });
    expect(((await w.admin.ok('listIsos')).iso as Obj[]).map((i) => i.name)).toEqual(['rescue']);
    expect(await carol.ok('listIsos', { isofilter: 'executable' })).toEqual({});
    expect(await jobOf(w.admin, await w.admin.ok('deleteIso', { id: (iso.iso as Obj[])[0]!.id as string }))).toMatchObject({ jobstatus: 1, jobinstancetype: 'Iso', jobresult: { success: true } });
    expect(await w.admin.ok('listIsos')).toEqual({});

    const osTypes = await carol.ok('listOsTypes', { oscategoryid: OS_CATEGORIES.find((c) => c.name === 'Ubuntu')!.id });
    expect((osTypes.ostype as Obj[]).map((t) => [t.description, t.oscategoryname])).toEqual([['Ubuntu 20.04 LTS', 'Ubuntu'], ['Ubuntu 22.04 LTS', 'Ubuntu'], ['Ubuntu 24.04 LTS', 'Ubuntu']]);
    expect((await carol.ok('listOsCategories')).count).toBe(OS_CATEGORIES.length);
  });
});

/** The SSH wire encoding: each part with its 32-bit length first. */
function wire(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts.flatMap((part) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length);
    return [length, part];
  }));
}

function mpint(bytes: Buffer): Buffer {
  const trimmed = bytes.subarray(bytes.findIndex((b) => b !== 0));
  return trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}

const md5 = (blob: Buffer) => createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');

/** An OpenSSH RSA public key back into a key node:crypto verifies with. */
function rsaKeyOf(openSsh: string) {
  const blob = Buffer.from(openSsh.split(' ')[1]!, 'base64');
  const parts: Buffer[] = [];
  for (let at = 0; at < blob.length;) {
    const length = blob.readUInt32BE(at);
    parts.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  expect(parts[0]!.toString()).toBe('ssh-rsa');
  const b64 = (b: Buffer) => b.subarray(b[0] === 0 ? 1 : 0).toString('base64url');
  return createPublicKey({ key: { kty: 'RSA', e: b64(parts[1]!), n: b64(parts[2]!) }, format: 'jwk' });
}

describe('SSH key pairs', () => {
  it('are created with a private key whose public half the cloud keeps, registered, listed and deleted', async () => {
    const w = await world();
    const carol = await tenant(w, 'carol');
    const created = (await carol.ok('createSSHKeyPair', { name: 'laptop' })).keypair as Obj;
    expect(Object.keys(created).sort()).toEqual(['account', 'domain', 'domainid', 'fingerprint', 'hasannotations', 'id', 'name', 'privatekey']);
    expect(created).toMatchObject({ name: 'laptop', account: 'carol', domain: 'ROOT' });
    const privateKey = createPrivateKey(created.privatekey as string);
    expect(created.privatekey as string).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(privateKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    const blob = wire(Buffer.from('ssh-rsa'), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url')));
    expect(created.fingerprint).toBe(md5(blob));
    const stored = [...w.served.runtime.state.sshKeyPairs.values()].find((k) => k.id === created.id)!;
    expect(stored.publicKey).toBe(`ssh-rsa ${blob.toString('base64')}`);
    const signature = sign('sha256', Buffer.from('hello'), privateKey);
    expect(verify('sha256', Buffer.from('hello'), rsaKeyOf(stored.publicKey), signature)).toBe(true);
    expect(JSON.stringify(w.served.runtime.state.sshKeyPairs.get(stored.id))).not.toContain('PRIVATE');

    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const edBlob = wire(Buffer.from('ssh-ed25519'), Buffer.from(ed.x!, 'base64url'));
    const registered = (await carol.ok('registerSSHKeyPair', { name: 'desk', publickey: `ssh-ed25519 ${edBlob.toString('base64')} carol@desk` })).keypair as Obj;
    expect(registered).toMatchObject({ name: 'desk', fingerprint: md5(edBlob), account: 'carol' });
    expect(registered).not.toHaveProperty('privatekey');
    expect(await errorOf(carol, 'registerSSHKeyPair', { name: 'bad', publickey: 'ssh-rsa bm90IGEga2V5' })).toEqual([431, 'Public key is invalid']);
    expect(await errorOf(carol, 'createSSHKeyPair', { name: 'desk' })).toEqual([431, "A key pair with name 'desk' already exists."]);

    expect(((await carol.ok('listSSHKeyPairs')).sshkeypair as Obj[]).map((k) => [k.name, k.fingerprint])).toEqual([['laptop', created.fingerprint], ['desk', md5(edBlob)]]);
    expect(await w.admin.ok('listSSHKeyPairs')).toEqual({});
    expect(await carol.ok('deleteSSHKeyPair', { name: 'laptop' })).toEqual({ success: true });
    expect(((await carol.ok('listSSHKeyPairs')).sshkeypair as Obj[]).map((k) => k.name)).toEqual(['desk']);
    expect(await errorOf(carol, 'deleteSSHKeyPair', { name: 'laptop' })).toEqual([431, `A key pair with name 'laptop' does not exist for account carol in specified domain id ROOT`]);
  });
});

describe('tags', () => {
  it('are put on VMs and volumes, shown in their objects, filter their lists and go with them', async () => {
    const w = await world();
    const carol = await tenant(w, 'carol');
    const web = await deploy(w, carol, { name: 'web' });
    const db = await deploy(w, carol, { name: 'db' });
    const job = await jobOf(carol, await carol.ok('createTags', { resourcetype: 'UserVm', resourceids: `${web.id as string},${db.id as string}`, 'tags[0].key': 'env', 'tags[0].value': 'prod', 'tags[1].key': 'tier', 'tags[1].value': 'front' }));
    expect(job).toMatchObject({ jobstatus: 1, jobresult: { success: true }, cmd: 'org.apache.cloudstack.api.command.user.tag.CreateTagsCmd' });
    await result(carol, 'deleteTags', { resourcetype: 'userVm', resourceids: db.id as string, 'tags[0].key': 'tier' });
    const root = ((await carol.ok('listVolumes', { virtualmachineid: db.id as string })).volume as Obj[])[0]!;
    await result(carol, 'createTags', { resourcetype: 'Volume', resourceids: root.id as string, 'tags[0].key': 'backup', 'tags[0].value': 'daily' });

    const listed = (await carol.ok('listVirtualMachines', { 'tags[0].key': 'tier', 'tags[0].value': 'front' })).virtualmachine as Obj[];
    expect(listed.map((v) => v.name)).toEqual(['web']);
    expect(listed[0]!.tags).toEqual([
      { key: 'env', value: 'prod', resourcetype: 'UserVm', resourceid: web.id, account: 'carol', domainid: 'ROOT', domain: 'ROOT', domainpath: 'ROOT' },
      { key: 'tier', value: 'front', resourcetype: 'UserVm', resourceid: web.id, account: 'carol', domainid: 'ROOT', domain: 'ROOT', domainpath: 'ROOT' },
    ]);
    expect(((await carol.ok('listVirtualMachines', { 'tags[0].key': 'env', 'tags[0].value': 'prod' })).virtualmachine as Obj[]).map((v) => v.name)).toEqual(['web', 'db']);
    expect(await carol.ok('listVirtualMachines', { 'tags[0].key': 'env', 'tags[0].value': 'dev' })).toEqual({});
    expect(((await carol.ok('listVolumes', { 'tags[0].key': 'backup', 'tags[0].value': 'daily' })).volume as Obj[]).map((v) => v.id)).toEqual([root.id]);
    expect(((await carol.ok('listTags', { resourcetype: 'UserVm' })).tag as Obj[]).map((t) => `${t.resourceid === web.id ? 'web' : 'db'} ${t.key}=${t.value}`)).toEqual(['web env=prod', 'web tier=front', 'db env=prod']);
    expect(((await carol.ok('listTags', { key: 'backup' })).tag as Obj[]).map((t) => t.resourcetype)).toEqual(['Volume']);

    const dave = await tenant(w, 'dave');
    expect(await errorOf(dave, 'createTags', { resourcetype: 'UserVm', resourceids: web.id as string, 'tags[0].key': 'mine', 'tags[0].value': 'yes' })).toEqual([531, `the caller may not tag UserVm ${web.id as string}`]);
    expect(await dave.ok('listTags')).toEqual({});

    await result(carol, 'destroyVirtualMachine', { id: db.id as string, expunge: 'true' });
    expect(((await carol.ok('listTags')).tag as Obj[]).map((t) => t.key)).toEqual(['env', 'tier']);
  });
});

describe('affinity groups', () => {
  it('are created, hold VMs, change only on a stopped VM, and are deleted when empty', async () => {
    const w = await world();
    const carol = await tenant(w, 'carol');
    expect(((await carol.ok('listAffinityGroupTypes')).affinitygrouptype as Obj[]).map((t) => t.type)).toEqual(['host anti-affinity', 'host affinity', 'non-strict host anti-affinity', 'non-strict host affinity']);
    const created = await carol.ok('createAffinityGroup', { name: 'spread', type: 'host anti-affinity', description: 'one per host' });
    const group = ((await jobOf(carol, created)).jobresult as Obj).affinitygroup as Obj;
    expect(group).toMatchObject({ id: created.id, name: 'spread', type: 'host anti-affinity', description: 'one per host', account: 'carol', virtualmachineIds: [] });
    const pack = ((await result(carol, 'createAffinityGroup', { name: 'pack', type: 'host affinity' })).affinitygroup as Obj).id as string;
    const a = await deploy(w, carol, { name: 'a', affinitygroupids: group.id as string });
    const b = await deploy(w, carol, { name: 'b', affinitygroupids: group.id as string });
    expect([a.hostname, b.hostname]).toEqual([undefined, undefined]);
    const hosts = [a, b].map((vm) => w.served.runtime.state.hosts.get(w.served.runtime.state.vms.get(vm.id as string)!.hostId!)!.name);
    expect(hosts).toEqual(['host1', 'host2']);
    expect((((await carol.ok('listAffinityGroups', { id: group.id as string })).affinitygroup as Obj[])[0]!).virtualmachineIds).toEqual([a.id, b.id]);

    expect(await errorOf(carol, 'updateVMAffinityGroup', { id: a.id as string, affinitygroupids: pack })).toEqual([431, 'virtual machine a is Running; stop it to change its affinity groups']);
    await result(carol, 'stopVirtualMachine', { id: a.id as string });
    const moved = (await result(carol, 'updateVMAffinityGroup', { id: a.id as string, affinitygroupids: pack })).virtualmachine as Obj;
    expect((moved.affinitygroup as Obj[]).map((g) => [g.name, g.type])).toEqual([['pack', 'host affinity']]);

    const busy = await jobOf(carol, await carol.ok('deleteAffinityGroup', { id: group.id as string }));
    expect(busy).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 536, errortext: 'affinity group spread still has 1 VM(s)' } });
    await result(carol, 'destroyVirtualMachine', { id: b.id as string, expunge: 'true' });
    expect(await jobOf(carol, await carol.ok('deleteAffinityGroup', { name: 'spread' }))).toMatchObject({ jobstatus: 1, jobresult: { success: true } });
    expect(((await carol.ok('listAffinityGroups')).affinitygroup as Obj[]).map((g) => g.name)).toEqual(['pack']);
  });
});

describe('offerings', () => {
  it('are created, renamed and retired by the root admin; a retired one stays with its VMs', async () => {
    const w = await world();
    const carol = await tenant(w, 'carol');
    const created = (await w.admin.ok('createServiceOffering', { name: 'medium', displaytext: 'Medium: 4 x 2 GHz, 8 GiB', cpunumber: '4', cpuspeed: '2000', memory: '8192', offerha: 'true' })).serviceoffering as Obj;
    expect(created).toMatchObject({ name: 'medium', displaytext: 'Medium: 4 x 2 GHz, 8 GiB', cpunumber: 4, cpuspeed: 2000, memory: 8192, offerha: true, state: 'Active', created: NOW });
    const vm = await deploy(w, carol, { serviceofferingid: created.id as string, name: 'med' });
    expect(vm).toMatchObject({ serviceofferingname: 'medium', cpunumber: 4, haenable: true });
    const renamed = (await w.admin.ok('updateServiceOffering', { id: created.id as string, name: 'm4', displaytext: 'Four cores' })).serviceoffering as Obj;
    expect(renamed).toMatchObject({ name: 'm4', displaytext: 'Four cores' });
    expect(await w.admin.ok('deleteServiceOffering', { id: created.id as string })).toEqual({ success: true });
    expect(((await carol.ok('listServiceOfferings')).serviceoffering as Obj[]).map((o) => o.name)).toEqual(['big', 'ha-4g', 'plain-4g']);
    expect(((await carol.ok('listVirtualMachines', { id: vm.id as string })).virtualmachine as Obj[])[0]).toMatchObject({ serviceofferingname: 'm4', serviceofferingid: created.id });
    expect(await errorOf(carol, 'deployVirtualMachine', { zoneid: w.zoneId, serviceofferingid: created.id as string, templateid: w.templateId })).toEqual([431, `service offering ${created.id as string} does not exist`]);
    expect(await errorOf(w.admin, 'deleteServiceOffering', { id: created.id as string })).toEqual([431, `Unable to find service offering with id ${created.id as string}`]);
    expect((await carol.get('createServiceOffering', { name: 'x', displaytext: 'x', cpunumber: '1', cpuspeed: '1000', memory: '512' })).status).toBe(401);

    const disk = (await w.admin.ok('createDiskOffering', { name: 'custom', displaytext: 'Any size', customized: 'true' })).diskoffering as Obj;
    expect(disk).toMatchObject({ name: 'custom', displaytext: 'Any size', iscustomized: true, disksize: 0, storagetype: 'shared', state: 'Active' });
    const volume = (await result(carol, 'createVolume', { zoneid: w.zoneId, diskofferingid: disk.id as string, size: '33', name: 'scratch' })).volume as Obj;
    expect(volume).toMatchObject({ size: 33 * GIB, diskofferingname: 'custom', diskofferingdisplaytext: 'Any size' });
    expect(await errorOf(carol, 'createVolume', { zoneid: w.zoneId, diskofferingid: disk.id as string })).toEqual([431, 'disk offering custom is customized: give a positive size']);
    expect(((await w.admin.ok('updateDiskOffering', { id: disk.id as string, displaytext: 'Sized per volume' })).diskoffering as Obj).displaytext).toBe('Sized per volume');
    expect(await w.admin.ok('deleteDiskOffering', { id: disk.id as string })).toEqual({ success: true });
    expect(((await carol.ok('listDiskOfferings')).diskoffering as Obj[]).map((o) => [o.name, o.disksize])).toEqual([['data-50', 50]]);
    expect(((await carol.ok('listVolumes', { id: volume.id as string })).volume as Obj[])[0]!.diskofferingname).toBe('custom');
  });
});

describe('another account', () => {
  it('cannot see or change the VMs and volumes of an account', async () => {
    const w = await world();
    const carol = await tenant(w, 'carol');
    const dave = await tenant(w, 'dave');
    const vm = await deploy(w, carol, { name: 'private' });
    const volume = (await result(carol, 'createVolume', { zoneid: w.zoneId, diskofferingid: w.diskOffering('data-50'), name: 'secret' })).volume as Obj;
    expect(await dave.ok('listVirtualMachines', { id: vm.id as string })).toEqual({});
    expect(await dave.ok('listVolumes', { id: volume.id as string })).toEqual({});
    expect(await dave.ok('listVolumes', { listall: 'true' })).toEqual({});
    expect(await errorOf(dave, 'listVolumes', { account: 'carol' })).toEqual([531, 'Account dave may not list resources of account carol']);
    expect(await errorOf(dave, 'stopVirtualMachine', { id: vm.id as string })).toEqual([531, 'the caller may not act on virtual machine private']);
    expect(await errorOf(dave, 'updateVirtualMachine', { id: vm.id as string, displayname: 'mine' })).toEqual([531, 'the caller may not act on virtual machine private']);
    expect(await errorOf(dave, 'attachVolume', { id: volume.id as string, virtualmachineid: vm.id as string })).toEqual([531, 'the caller may not act on volume secret']);
    expect(await errorOf(dave, 'deleteVolume', { id: volume.id as string })).toEqual([531, 'the caller may not act on volume secret']);
    expect(await errorOf(dave, 'createSnapshot', { volumeid: volume.id as string })).toEqual([531, 'the caller may not act on volume secret']);
    expect(await errorOf(dave, 'resizeVolume', { id: volume.id as string, size: '100' })).toEqual([531, 'the caller may not act on volume secret']);
    expect(((await carol.ok('listVolumes', { id: volume.id as string })).volume as Obj[])[0]).toMatchObject({ size: 50 * GIB, state: 'Allocated' });
    expect(((await carol.ok('listVirtualMachines')).virtualmachine as Obj[])[0]).toMatchObject({ state: 'Running', displayname: 'private' });
  });
});

describe('resource limits', () => {
  it('fail the job of a volume past max.account.volumes with CloudStack\'s 535', async () => {
    const spec = servedSpec();
    spec.settings!['max.account.volumes'] = 2;
    const w = await world(spec);
    const carol = await tenant(w, 'carol');
    await deploy(w, carol, { name: 'one' });
    await result(carol, 'createVolume', { zoneid: w.zoneId, diskofferingid: w.diskOffering('data-50'), name: 'second' });
    const third = await carol.ok('createVolume', { zoneid: w.zoneId, diskofferingid: w.diskOffering('data-50'), name: 'third' });
    expect(Object.keys(third)).toEqual(['jobid']);
    expect(await jobOf(carol, third)).toMatchObject({
      jobstatus: 2,
      jobresultcode: 530,
      jobresult: { errorcode: 535, errortext: "Maximum number of resources of type 'volume' for account carol has been exceeded: it holds 2 volumes, asks for 1 more, and max.account.volumes is 2" },
    });
    expect(((await carol.ok('listVolumes')).volume as Obj[]).map((v) => v.name)).toEqual(['ROOT-one', 'second']);
  });
});

describe('views', () => {
  it('render every field with the JSON type it declares', async () => {
    const w = await world();
    const carol = await tenant(w, 'carol');
    await carol.ok('createSSHKeyPair', { name: 'k' });
    const group = ((await result(carol, 'createAffinityGroup', { name: 'g', type: 'host affinity' })).affinitygroup as Obj).id as string;
    const vm = await deploy(w, carol, { keypair: 'k', affinitygroupids: group, displayname: 'Typed' });
    const volume = (await result(carol, 'createVolume', { zoneid: w.zoneId, diskofferingid: w.diskOffering('data-50') })).volume as Obj;
    await result(carol, 'attachVolume', { id: volume.id as string, virtualmachineid: vm.id as string });
    await result(carol, 'createSnapshot', { volumeid: volume.id as string });
    await result(carol, 'createTags', { resourcetype: 'UserVm', resourceids: vm.id as string, 'tags[0].key': 'k', 'tags[0].value': 'v' });
    await w.admin.ok('registerIso', { name: 'iso', displaytext: 'ISO', url: 'http://x/iso', zoneid: w.zoneId });
    const state = w.served.runtime.state;
    const ctx: ViewContext = { state, activity: w.served.runtime.activity, caller: { accountId: w.served.admin.accountId, userId: w.served.admin.userId, role: 'RootAdmin', domainId: 'ROOT' } };
    const images = (iso: boolean) => [...state.templates.values()].filter((t) => (t.format === 'ISO') === iso).map((template) => ({ template, zoneId: template.zoneIds[0]! }));
    const checks: [string, View<never>, unknown[]][] = [
      ['virtualmachine', virtualMachineView as View<never>, [...state.vms.values()]],
      ['volume', volumeView as View<never>, [...state.volumes.values()]],
      ['snapshot', snapshotView as View<never>, [...state.snapshots.values()]],
      ['template', templateView as View<never>, images(false)],
      ['iso', isoView as View<never>, images(true)],
      ['ostype', osTypeView as View<never>, [...OS_TYPES]],
      ['oscategory', osCategoryView as View<never>, [...OS_CATEGORIES]],
      ['serviceoffering', serviceOfferingView as View<never>, [...state.serviceOfferings.values()]],
      ['diskoffering', diskOfferingView as View<never>, [...state.diskOfferings.values()]],
      ['sshkeypair', sshKeyPairView as View<never>, [...state.sshKeyPairs.values()]],
      ['affinitygroup', affinityGroupView as View<never>, [...state.affinityGroups.values()]],
      ['affinitygrouptype', affinityGroupTypeView as View<never>, ['host affinity']],
      ['tag', tagView as View<never>, [...state.tags.values()]],
    ];
    const wrong: string[] = [];
    for (const [name, view, records] of checks) {
      expect(records.length, name).toBeGreaterThan(0);
      for (const record of records) {
        const rendered = view.render(record as never, ctx);
        for (const spec of view.specs) {
          const value = rendered[spec.name];
          if (value !== undefined && !matchesType(spec.type, value)) wrong.push(`${name}.${spec.name}: declared ${spec.type}, got ${JSON.stringify(value)}`);
          // Nested objects (tags, NICs, groups) are checked against their own declarations.
          if (Array.isArray(value) && spec.fields) {
            for (const item of value as Obj[]) {
              if (typeof item !== 'object') continue;
              for (const nested of spec.fields) if (item[nested.name] !== undefined && !matchesType(nested.type, item[nested.name])) wrong.push(`${name}.${spec.name}.${nested.name}: declared ${nested.type}, got ${JSON.stringify(item[nested.name])}`);
            }
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    const rendered = virtualMachineView.render(state.vms.get(vm.id as string)!, ctx);
    expect(rendered).toMatchObject({ displayname: 'Typed', keypairs: 'k', tags: [{ key: 'k', value: 'v' }] });
  });
});
