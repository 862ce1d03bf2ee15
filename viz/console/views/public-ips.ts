import { type Api, type Obj, str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { badge, form, h, messageOf, section, showStatus, table } from '../dom.js';

/**
 * Public IPs: the addresses the account holds (listPublicIpAddresses), acquiring one for a
 * network (associateIpAddress) and releasing it; for a chosen address, its port forwarding rules
 * (createPortForwardingRule to one of the network's VMs) and firewall rules (createFirewallRule),
 * each listed with a delete button. Rule changes are async jobs, followed to their end.
 */

function deleteButton(api: Api, command: string, id: string, what: string, status: HTMLElement, after: (text: string) => void): HTMLButtonElement {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'small',
      onclick: () => {
        button.disabled = true;
        showStatus(status, 'busy', `Deleting ${what}…`);
        api
          .job(command, { id })
          .then(() => after(`${what} was deleted.`))
          .catch((error: unknown) => {
            showStatus(status, 'error', messageOf(error));
            button.disabled = false;
          });
      },
    },
    'Delete',
  );
  return button;
}

export const publicIpsView: ConsoleView = {
  route: 'public-ips',
  title: 'Public IPs',
  adminOnly: false,
  async render({ api, refresh }) {
    const scope = api.isAdmin ? { listall: true } : {};
    const [addresses, networks] = await Promise.all([api.list('listPublicIpAddresses', 'publicipaddress', { ...scope, allocatedonly: true }), api.list('listNetworks', 'network', { ...scope, type: 'Isolated' })]);
    const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
    // Addresses of system VMs are listed for admins, but they are the cloud's to hold: no rules, no release.
    const own = addresses.filter((a) => a.issystem !== true);
    const selected = new URLSearchParams(location.hash.split('?')[1] ?? '').get('ip') ?? str(own.find((a) => a.issourcenat !== true)?.id ?? own[0]?.id);
    const acquire = form({
      title: 'Acquire a public IP',
      testId: 'acquire-ip',
      submit: 'Acquire',
      fields: [{ kind: 'select', name: 'networkid', label: 'For network', options: networks.map((n) => ({ value: str(n.id), label: `${str(n.name)} (${str(n.cidr)})` })), required: true }],
      async onSubmit(v) {
        const result = await api.job('associateIpAddress', v);
        const ip = (result.ipaddress as Obj | undefined) ?? {};
        const text = `${str(ip.ipaddress)} was acquired.`;
        refresh(text);
        return text;
      },
    });
    const list = table<Obj>(
      [
        { title: 'Address', cell: (a) => (a.issystem === true ? str(a.ipaddress) : h('a', { href: `#/public-ips?ip=${str(a.id)}`, class: a.id === selected ? 'current' : undefined }, str(a.ipaddress))) },
        { title: 'State', cell: (a) => badge(str(a.state)) },
        { title: 'Network', cell: (a) => str(a.associatednetworkname) },
        { title: 'Use', cell: (a) => (a.issystem === true ? `system VM ${str(a.virtualmachinename)}` : a.issourcenat === true ? 'source NAT' : a.isstaticnat === true ? `static NAT to ${str(a.virtualmachinename)}` : 'rules') },
        ...(api.isAdmin ? [{ title: 'Account', cell: (a: Obj) => str(a.account) }] : []),
        {
          title: '',
          cell: (a) =>
            a.issourcenat === true || a.issystem === true
              ? null
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'small',
                    onclick: () => {
                      showStatus(status, 'busy', `Releasing ${str(a.ipaddress)}…`);
                      api
                        .job('disassociateIpAddress', { id: str(a.id) })
                        .then(() => refresh(`${str(a.ipaddress)} was released.`))
                        .catch((error: unknown) => showStatus(status, 'error', messageOf(error)));
                    },
                  },
                  'Release',
                ),
        },
      ],
      addresses,
      'No public IPs.',
      'public-ips',
    );
    const address = own.find((a) => a.id === selected);
    return h('div', null, h('div', { class: 'two-columns' }, section('Addresses', status, list), h('div', { class: 'forms' }, h('div', { class: 'form-box' }, acquire))), address === undefined ? null : await rulesOf(api, address, (text) => refresh(text)));
  },
};

async function rulesOf(api: Api, address: Obj, after: (text: string) => void): Promise<HTMLElement> {
  const ipId = str(address.id);
  const [forwards, firewall, vms] = await Promise.all([
    api.list('listPortForwardingRules', 'portforwardingrule', { ipaddressid: ipId }),
    api.list('listFirewallRules', 'firewallrule', { ipaddressid: ipId }),
    api.list('listVirtualMachines', 'virtualmachine', { networkid: str(address.associatednetworkid), ...(api.isAdmin ? { listall: true } : {}) }),
  ]);
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const ip = str(address.ipaddress);
  const protocol = [{ value: 'tcp', label: 'TCP' }, { value: 'udp', label: 'UDP' }];
  const forward = form({
    title: 'Forward a port',
    testId: 'add-port-forward',
    submit: 'Add rule',
    fields: [
      { kind: 'select', name: 'virtualmachineid', label: 'To instance', options: vms.map((vm) => ({ value: str(vm.id), label: str(vm.name) })), required: true },
      { kind: 'select', name: 'protocol', label: 'Protocol', options: protocol },
      { kind: 'number', name: 'publicport', label: 'Public port', required: true, placeholder: '2222' },
      { kind: 'number', name: 'privateport', label: 'Private port', required: true, placeholder: '22' },
    ],
    async onSubmit(v) {
      await api.job('createPortForwardingRule', { ...v, ipaddressid: ipId });
      const text = `${ip}:${v.publicport ?? ''} now forwards to port ${v.privateport ?? ''}.`;
      after(text);
      return text;
    },
  });
  const open = form({
    title: 'Open the firewall',
    testId: 'add-firewall-rule',
    submit: 'Add rule',
    fields: [
      { kind: 'select', name: 'protocol', label: 'Protocol', options: [...protocol, { value: 'icmp', label: 'ICMP' }] },
      { kind: 'number', name: 'startport', label: 'First port', placeholder: '2222' },
      { kind: 'number', name: 'endport', label: 'Last port', placeholder: 'the first port' },
      { kind: 'text', name: 'cidrlist', label: 'From (CIDRs)', value: '0.0.0.0/0' },
    ],
    async onSubmit(v) {
      await api.job('createFirewallRule', { ...v, ipaddressid: ipId, endport: v.endport === '' ? v.startport : v.endport });
      const text = `The firewall of ${ip} is open for ${v.protocol ?? ''} ${v.startport ?? ''}.`;
      after(text);
      return text;
    },
  });
  const ports = (r: Obj, from: string, to: string): string => (r[to] === undefined || r[to] === r[from] ? str(r[from]) : `${str(r[from])}–${str(r[to])}`);
  return section(
    `Rules of ${ip}`,
    status,
    h(
      'div',
      { class: 'two-columns' },
      h(
        'div',
        null,
        h('h3', null, 'Port forwarding'),
        table<Obj>(
          [
            { title: 'Protocol', cell: (r) => str(r.protocol) },
            { title: 'Public', cell: (r) => ports(r, 'publicport', 'publicendport') },
            { title: 'To', cell: (r) => `${str(r.virtualmachinename)} (${str(r.vmguestip)}):${ports(r, 'privateport', 'privateendport')}` },
            { title: 'State', cell: (r) => badge(str(r.state)) },
            { title: '', cell: (r) => deleteButton(api, 'deletePortForwardingRule', str(r.id), `the forward of port ${str(r.publicport)}`, status, after) },
          ],
          forwards,
          'No port forwarding rules.',
          'port-forwards',
        ),
        h('h3', null, 'Firewall'),
        table<Obj>(
          [
            { title: 'Protocol', cell: (r) => str(r.protocol) },
            { title: 'Ports', cell: (r) => ports(r, 'startport', 'endport') },
            { title: 'From', cell: (r) => str(r.cidrlist) },
            { title: 'State', cell: (r) => badge(str(r.state)) },
            { title: '', cell: (r) => deleteButton(api, 'deleteFirewallRule', str(r.id), `the firewall rule for ${str(r.protocol)} ${str(r.startport)}`, status, after) },
          ],
          firewall,
          'No firewall rules: nothing reaches this address from outside.',
          'firewall-rules',
        ),
      ),
      h('div', { class: 'forms' }, h('div', { class: 'form-box' }, forward), h('div', { class: 'form-box' }, open)),
    ),
  );
}
