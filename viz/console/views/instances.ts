import type { Api, Obj } from '../api.js';
import { str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { badge, h, messageOf, section, showStatus, table } from '../dom.js';

/**
 * My instances: every VM of the caller's account (admins: of every account) with its state and
 * addresses, and start, stop and destroy, each followed through its async job.
 */

export function addressesOf(vm: Obj): string {
  const nics = (vm.nic as Obj[] | undefined) ?? [];
  return nics.map((n) => str(n.ipaddress)).filter((ip) => ip !== '').join(', ');
}

export function instancesTable(api: Api, vms: readonly Obj[], after: (text: string) => void, status: HTMLElement): HTMLElement {
  const act = (label: string, command: string, vm: Obj, confirmText?: string): HTMLButtonElement =>
    h(
      'button',
      {
        type: 'button',
        class: 'small',
        'data-action': command,
        onclick: (event) => {
          if (confirmText !== undefined && !window.confirm(confirmText)) return;
          const button = event.currentTarget as HTMLButtonElement;
          button.disabled = true;
          showStatus(status, 'busy', `${label} ${str(vm.name)}…`);
          api
            .job(command, { id: str(vm.id) })
            .then(() => after(`${str(vm.name)}: ${label.toLowerCase()} done.`))
            .catch((error: unknown) => {
              showStatus(status, 'error', `${label} ${str(vm.name)} failed: ${messageOf(error)}`);
              button.disabled = false;
            });
        },
      },
      label,
    );
  return table<Obj>(
    [
      { title: 'Name', cell: (vm) => h('strong', null, str(vm.displayname) || str(vm.name)) },
      { title: 'State', cell: (vm) => badge(str(vm.state)) },
      { title: 'IP addresses', cell: (vm) => h('span', { class: 'ips' }, addressesOf(vm)) },
      { title: 'Zone', cell: (vm) => str(vm.zonename) },
      { title: 'Template', cell: (vm) => str(vm.templatename) },
      { title: 'Offering', cell: (vm) => str(vm.serviceofferingname) },
      ...(api.isAdmin ? [{ title: 'Account', cell: (vm: Obj) => str(vm.account) }, { title: 'Host', cell: (vm: Obj) => str(vm.hostname) }] : []),
      {
        title: 'Actions',
        cell: (vm) =>
          h(
            'span',
            { class: 'row-actions' },
            vm.state === 'Stopped' ? act('Start', 'startVirtualMachine', vm) : null,
            vm.state === 'Running' ? act('Stop', 'stopVirtualMachine', vm) : null,
            vm.state === 'Running' || vm.state === 'Stopped' ? act('Destroy', 'destroyVirtualMachine', vm, `Destroy ${str(vm.name)}? Its root disk goes with it.`) : null,
          ),
      },
    ],
    vms,
    'No instances yet: deploy one.',
    'instances',
  );
}

export const instancesView: ConsoleView = {
  route: 'instances',
  title: 'Instances',
  adminOnly: false,
  async render({ api, refresh, navigate }) {
    const vms = await api.list('listVirtualMachines', 'virtualmachine', api.isAdmin ? { listall: true } : {});
    const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
    return section(
      api.isAdmin ? 'Instances of every account' : 'My instances',
      h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'primary', onclick: () => navigate('deploy') }, 'Deploy an instance'), h('button', { type: 'button', class: 'secondary', onclick: () => refresh() }, 'Refresh')),
      status,
      instancesTable(api, vms, (text) => refresh(text), status),
    );
  },
};
