import { type Obj, str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { badge, form, h, section, table } from '../dom.js';

/** Accounts of every domain (listAccounts listall), and a form to create one with its first user. */

const ACCOUNT_TYPES: Readonly<Record<string, string>> = { '0': 'User', '1': 'Root admin', '2': 'Domain admin' };

export const accountsView: ConsoleView = {
  route: 'accounts',
  title: 'Accounts',
  adminOnly: true,
  async render({ api, refresh }) {
    const [accounts, domains] = await Promise.all([api.list('listAccounts', 'account', { listall: true }), api.list('listDomains', 'domain', { listall: true })]);
    const create = form({
      title: 'Create an account',
      testId: 'create-account',
      submit: 'Create account',
      fields: [
        { kind: 'text', name: 'account', label: 'Account name', required: true },
        { kind: 'text', name: 'username', label: 'Username of its first user', required: true },
        { kind: 'password', name: 'password', label: 'Password', required: true },
        { kind: 'text', name: 'email', label: 'Email', required: true },
        { kind: 'text', name: 'firstname', label: 'First name', required: true },
        { kind: 'text', name: 'lastname', label: 'Last name', required: true },
        { kind: 'select', name: 'accounttype', label: 'Type', options: [{ value: '0', label: 'User' }, { value: '2', label: 'Domain admin' }, { value: '1', label: 'Root admin' }] },
        { kind: 'select', name: 'domainid', label: 'Domain', options: domains.map((d) => ({ value: str(d.id), label: str(d.path) || str(d.name) })) },
      ],
      async onSubmit(v) {
        const account = (await api.call('createAccount', v)).account as Obj;
        const text = `Account ${str(account.name)} was created; ${v.username ?? ''} can log in now.`;
        refresh(text);
        return text;
      },
    });
    return h(
      'div',
      { class: 'two-columns' },
      section(
        'Accounts',
        table<Obj>(
          [
            { title: 'Name', cell: (a) => h('strong', null, str(a.name)) },
            { title: 'Domain', cell: (a) => str(a.domainpath) || str(a.domain) },
            { title: 'Type', cell: (a) => ACCOUNT_TYPES[str(a.accounttype)] ?? str(a.rolename) },
            { title: 'State', cell: (a) => badge(str(a.state)) },
            { title: 'VMs running', cell: (a) => str(a.vmrunning ?? 0), numeric: true },
            { title: 'VMs stopped', cell: (a) => str(a.vmstopped ?? 0), numeric: true },
            { title: 'Users', cell: (a) => ((a.user as Obj[] | undefined) ?? []).map((u) => str(u.username)).join(', ') },
          ],
          accounts,
          'No accounts.',
          'accounts',
        ),
      ),
      h('div', { class: 'forms' }, h('div', { class: 'form-box' }, create)),
    );
  },
};
