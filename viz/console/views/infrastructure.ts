import { type Api, type Obj, str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { badge, type Child, form, h, messageOf, type Option, section, showStatus } from '../dom.js';

/**
 * The infrastructure tree: zone → pod → cluster → host, with each cluster's primary storage,
 * zone-wide primary storage and each zone's secondary storage; and the forms that grow it
 * through the API (createZone, createPod, addCluster, addHost, createVlanIpRange). A refused
 * form shows CloudStack's error text; a successful one draws the tree again.
 */

const HYPERVISORS: readonly Option[] = ['KVM', 'VMware', 'XenServer', 'Hyperv', 'LXC', 'Simulator'].map((v) => ({ value: v, label: v }));

interface Inventory {
  zones: Obj[];
  pods: Obj[];
  clusters: Obj[];
  hosts: Obj[];
  pools: Obj[];
  stores: Obj[];
}

function node(label: Child, details: Child, children: Child[], testId?: string): HTMLElement {
  return h('li', { 'data-testid': testId }, h('details', { open: true }, h('summary', null, label, ' ', h('span', { class: 'muted' }, details)), children.length === 0 ? null : h('ul', null, children)));
}

function leaf(label: Child, details: Child, testId?: string): HTMLElement {
  return h('li', { class: 'leaf', 'data-testid': testId }, label, ' ', h('span', { class: 'muted' }, details));
}

function poolLeaf(p: Obj): HTMLElement {
  const totalGiB = Number(p.disksizetotal ?? 0) / 1024 ** 3;
  const usedGiB = Number(p.disksizeallocated ?? 0) / 1024 ** 3;
  return leaf(h('span', { class: 'kind' }, 'primary storage ', h('strong', null, str(p.name))), [`${str(p.type)} ${str(p.scope)} · ${usedGiB.toFixed(0)} of ${totalGiB.toFixed(0)} GiB allocated · `, badge(str(p.state))], `pool-${str(p.name)}`);
}

/** New zones start Disabled, as in CloudStack: the tree offers to enable them (updateZone). */
function allocationToggle(api: Api, zone: Obj, refresh: (notice?: string) => void): HTMLElement {
  const enabled = zone.allocationstate === 'Enabled';
  const status = h('span', { class: 'form-status', role: 'status' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'small',
      onclick: (event) => {
        // The button sits in the zone's summary line: a click must not fold the zone too.
        event.preventDefault();
        button.disabled = true;
        api
          .call('updateZone', { id: str(zone.id), allocationstate: enabled ? 'Disabled' : 'Enabled' })
          .then(() => refresh(`Zone ${str(zone.name)} is ${enabled ? 'disabled' : 'enabled'}.`))
          .catch((error: unknown) => {
            showStatus(status, 'error', messageOf(error));
            button.disabled = false;
          });
      },
    },
    enabled ? 'Disable' : 'Enable',
  );
  return h('span', null, button, ' ', status);
}

function tree(inv: Inventory, api: Api, refresh: (notice?: string) => void): HTMLElement {
  if (inv.zones.length === 0) return h('p', { class: 'empty' }, 'No zones yet: add one below.');
  return h(
    'ul',
    { class: 'tree', 'data-testid': 'infra-tree' },
    inv.zones.map((z) =>
      node(
        [h('span', { class: 'kind' }, 'zone '), h('strong', null, str(z.name))],
        [`${str(z.networktype)} · `, badge(str(z.allocationstate)), ' ', allocationToggle(api, z, refresh)],
        [
          ...inv.pods
            .filter((p) => p.zoneid === z.id)
            .map((p) =>
              node(
                [h('span', { class: 'kind' }, 'pod '), h('strong', null, str(p.name))],
                `${str(p.gateway)}/${str(p.netmask)} · reserved ${str((p.startip as string[] | undefined)?.[0] ?? p.startip)}–${str((p.endip as string[] | undefined)?.[0] ?? p.endip)}`,
                inv.clusters
                  .filter((c) => c.podid === p.id)
                  .map((c) =>
                    node(
                      [h('span', { class: 'kind' }, 'cluster '), h('strong', null, str(c.name))],
                      `${str(c.hypervisortype)} · ${str(c.allocationstate)}`,
                      [
                        ...inv.hosts.filter((hst) => hst.clusterid === c.id).map((hst) => leaf([h('span', { class: 'kind' }, 'host '), h('strong', null, str(hst.name))], [`${str(hst.ipaddress)} · ${str(hst.cpunumber)}×${str(hst.cpuspeed)} MHz · ${Math.round(Number(hst.memorytotal ?? 0) / 1024 ** 3)} GiB · `, badge(str(hst.state)), ' ', badge(str(hst.resourcestate))], `host-${str(hst.name)}`)),
                        ...inv.pools.filter((pool) => pool.clusterid === c.id).map(poolLeaf),
                      ],
                      `cluster-${str(c.name)}`,
                    ),
                  ),
                `pod-${str(p.name)}`,
              ),
            ),
          ...inv.pools.filter((pool) => pool.zoneid === z.id && pool.clusterid === undefined).map(poolLeaf),
          ...inv.stores.filter((s) => s.zoneid === z.id || s.zoneid === undefined).map((s) => leaf(h('span', { class: 'kind' }, 'secondary storage ', h('strong', null, str(s.name))), `${str(s.protocol)} ${str(s.url)}`, `store-${str(s.name)}`)),
        ],
        `zone-${str(z.name)}`,
      ),
    ),
  );
}

export const infrastructureView: ConsoleView = {
  route: 'infrastructure',
  title: 'Infrastructure',
  adminOnly: true,
  async render({ api, refresh }) {
    const [zones, pods, clusters, hosts, pools, stores] = await Promise.all([
      api.list('listZones', 'zone'),
      api.list('listPods', 'pod'),
      api.list('listClusters', 'cluster'),
      api.list('listHosts', 'host', { type: 'Routing' }),
      api.list('listStoragePools', 'storagepool'),
      api.list('listImageStores', 'imagestore'),
    ]);
    const inv: Inventory = { zones, pods, clusters, hosts, pools, stores };
    const zoneOptions = zones.map((z) => ({ value: str(z.id), label: str(z.name) }));
    const zoneName = (id: unknown): string => str(zones.find((z) => z.id === id)?.name);
    const podOptions = pods.map((p) => ({ value: str(p.id), label: `${zoneName(p.zoneid)} / ${str(p.name)}` }));
    const clusterOptions = clusters.map((c) => ({ value: str(c.id), label: `${zoneName(c.zoneid)} / ${str(c.podname)} / ${str(c.name)}` }));
    // The tree is drawn again from the API, so what was added shows where the server put it.
    const done = (what: string): string => {
      refresh(what);
      return what;
    };

    const addZone = form({
      title: 'Add a zone',
      testId: 'add-zone',
      submit: 'Add zone',
      fields: [
        { kind: 'text', name: 'name', label: 'Name', required: true },
        { kind: 'select', name: 'networktype', label: 'Network type', options: [{ value: 'Advanced', label: 'Advanced' }, { value: 'Basic', label: 'Basic' }] },
        { kind: 'text', name: 'dns1', label: 'Public DNS', required: true, placeholder: '8.8.8.8' },
        { kind: 'text', name: 'internaldns1', label: 'Internal DNS', required: true, placeholder: '192.168.10.1' },
        { kind: 'text', name: 'guestcidraddress', label: 'Guest CIDR', placeholder: '10.1.1.0/24', hint: 'Advanced zones: the default CIDR of isolated networks.' },
      ],
      async onSubmit(v) {
        const zone = (await api.call('createZone', v)).zone as Obj;
        return done(`Zone ${str(zone.name)} was added.`);
      },
    });
    const addPod = form({
      title: 'Add a pod',
      testId: 'add-pod',
      submit: 'Add pod',
      fields: [
        { kind: 'select', name: 'zoneid', label: 'Zone', options: zoneOptions, required: true },
        { kind: 'text', name: 'name', label: 'Name', required: true },
        { kind: 'text', name: 'gateway', label: 'Gateway', required: true, placeholder: '192.168.20.1' },
        { kind: 'text', name: 'netmask', label: 'Netmask', required: true, placeholder: '255.255.255.0' },
        { kind: 'text', name: 'startip', label: 'Reserved system IPs from', required: true, placeholder: '192.168.20.10' },
        { kind: 'text', name: 'endip', label: 'to', placeholder: '192.168.20.19' },
      ],
      async onSubmit(v) {
        const pod = (await api.call('createPod', v)).pod as Obj;
        return done(`Pod ${str(pod.name)} was added.`);
      },
    });
    const addCluster = form({
      title: 'Add a cluster',
      testId: 'add-cluster',
      submit: 'Add cluster',
      fields: [
        { kind: 'select', name: 'podid', label: 'Pod', options: podOptions, required: true },
        { kind: 'text', name: 'clustername', label: 'Name', required: true },
        { kind: 'select', name: 'hypervisor', label: 'Hypervisor', options: HYPERVISORS },
      ],
      async onSubmit(v) {
        const pod = pods.find((p) => p.id === v.podid);
        const reply = await api.call('addCluster', { ...v, zoneid: str(pod?.zoneid), clustertype: 'CloudManaged' });
        return done(`Cluster ${str((reply.cluster as Obj[] | undefined)?.[0]?.name ?? v.clustername)} was added.`);
      },
    });
    const addHost = form({
      title: 'Add a host',
      testId: 'add-host',
      submit: 'Add host',
      fields: [
        { kind: 'select', name: 'clusterid', label: 'Cluster', options: clusterOptions, required: true },
        { kind: 'text', name: 'url', label: 'Host address', required: true, placeholder: 'http://192.168.10.101', hint: 'The URL, IP address or host name of the hypervisor host; a host given by name gets the next free address of its pod.' },
        { kind: 'text', name: 'username', label: 'Username', value: 'root' },
        { kind: 'password', name: 'password', label: 'Password' },
      ],
      async onSubmit(v) {
        const cluster = clusters.find((c) => c.id === v.clusterid);
        const reply = await api.call('addHost', { ...v, zoneid: str(cluster?.zoneid), podid: str(cluster?.podid), hypervisor: str(cluster?.hypervisortype) });
        const host = (reply.host as Obj[] | undefined)?.[0];
        return done(`Host ${str(host?.name)} was added to cluster ${str(cluster?.name)}.`);
      },
    });
    const addRange = form({
      title: 'Add a public IP range',
      testId: 'add-ip-range',
      submit: 'Add range',
      fields: [
        { kind: 'select', name: 'zoneid', label: 'Zone', options: zoneOptions, required: true },
        { kind: 'text', name: 'vlan', label: 'VLAN', placeholder: 'untagged', hint: 'A VLAN ID, or untagged.' },
        { kind: 'text', name: 'gateway', label: 'Gateway', required: true },
        { kind: 'text', name: 'netmask', label: 'Netmask', required: true },
        { kind: 'text', name: 'startip', label: 'First IP', required: true },
        { kind: 'text', name: 'endip', label: 'Last IP', required: true },
      ],
      async onSubmit(v) {
        const range = (await api.call('createVlanIpRange', { ...v, vlan: v.vlan === '' ? undefined : v.vlan, forvirtualnetwork: true })).vlan as Obj;
        return done(`Public range ${str(range.startip)}–${str(range.endip)} was added.`);
      },
    });
    return h(
      'div',
      { class: 'two-columns' },
      section('Zones, pods, clusters, hosts and storage', tree(inv, api, refresh)),
      h('div', { class: 'forms' }, [addZone, addPod, addCluster, addHost, addRange].map((f) => h('details', { class: 'form-box' }, h('summary', null, (f.querySelector('h3')?.textContent ?? '') as string), f))),
    );
  },
};
