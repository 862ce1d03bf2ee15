import { type Obj, str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { badge, form, h, section, table } from '../dom.js';

/** My networks (listNetworks), and createNetwork from an enabled isolated or L2 offering. */

export const networksView: ConsoleView = {
  route: 'networks',
  title: 'Networks',
  adminOnly: false,
  async render({ api, refresh }) {
    const [networks, zones, offerings] = await Promise.all([
      api.list('listNetworks', 'network', api.isAdmin ? { listall: true } : {}),
      api.list('listZones', 'zone', { available: true }),
      api.list('listNetworkOfferings', 'networkoffering', { state: 'Enabled', forvpc: false }),
    ]);
    const usable = offerings.filter((o) => o.guestiptype === 'Isolated' || o.guestiptype === 'L2');
    const create = form({
      title: 'Create a network',
      testId: 'create-network',
      submit: 'Create network',
      fields: [
        { kind: 'text', name: 'name', label: 'Name', required: true },
        { kind: 'text', name: 'displaytext', label: 'Description' },
        { kind: 'select', name: 'zoneid', label: 'Zone', options: zones.map((z) => ({ value: str(z.id), label: str(z.name) })), required: true },
        { kind: 'select', name: 'networkofferingid', label: 'Offering', options: usable.map((o) => ({ value: str(o.id), label: `${str(o.displaytext) || str(o.name)} (${str(o.guestiptype)})` })), required: true },
        { kind: 'text', name: 'gateway', label: 'Gateway', placeholder: 'the zone’s guest CIDR when empty' },
        { kind: 'text', name: 'netmask', label: 'Netmask' },
      ],
      async onSubmit(v) {
        const network = (await api.call('createNetwork', v)).network as Obj;
        const text = `Network ${str(network.name)} was created (${str(network.cidr) || str(network.type)}).`;
        refresh(text);
        return text;
      },
    });
    return h(
      'div',
      { class: 'two-columns' },
      section(
        api.isAdmin ? 'Networks of every account' : 'My networks',
        table<Obj>(
          [
            { title: 'Name', cell: (n) => h('strong', null, str(n.name)) },
            { title: 'Type', cell: (n) => str(n.type) },
            { title: 'State', cell: (n) => badge(str(n.state)) },
            { title: 'CIDR', cell: (n) => str(n.cidr) },
            { title: 'VLAN', cell: (n) => str(n.vlan) || str(n.broadcasturi) },
            { title: 'Zone', cell: (n) => str(n.zonename) },
            { title: 'Offering', cell: (n) => str(n.networkofferingdisplaytext) || str(n.networkofferingname) },
            ...(api.isAdmin ? [{ title: 'Account', cell: (n: Obj) => str(n.account) }] : []),
          ],
          networks,
          'No networks yet.',
          'networks',
        ),
      ),
      h('div', { class: 'forms' }, h('div', { class: 'form-box' }, create)),
    );
  },
};
