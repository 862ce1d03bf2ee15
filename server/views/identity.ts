import { accountStateOf, roleOf, usersOf } from '../../core/identity.js';
import type { Account, Domain } from '../../core/model/entities.js';
import { ACCOUNT_TYPE_NUMBER, type Role, type User } from '../../core/model/identity.js';
import { type AccountUsage, type CloudState, settingNumber } from '../../core/model/state.js';
import { formatDate } from '../http/respond.js';
import { createdOf, defineView, field, type FieldSpec, nested, type ViewContext } from './view.js';

/**
 * Accounts, domains, users and roles. Account limits are strings ("20" or "Unlimited") and totals
 * numbers, as CloudStack sends them; API keys are shown to the user and admins, the secret key
 * only where CloudStack shows it (registerUserKeys, getUserKeys).
 */

function accountOfUser(user: User, ctx: ViewContext): Account | undefined {
  return ctx.state.accounts.get(user.accountId);
}

function domainOf(domainId: string | undefined, ctx: ViewContext): Domain | undefined {
  return domainId === undefined ? undefined : ctx.state.domains.get(domainId);
}

export const userView = defineView<User>([
  field('id', 'string', 'the ID of the user', (u) => u.id),
  field('username', 'string', 'the user name', (u) => u.username),
  field('firstname', 'string', 'the first name of the user', (u) => u.firstName),
  field('lastname', 'string', 'the last name of the user', (u) => u.lastName),
  field('email', 'string', 'the email address of the user', (u) => u.email),
  field('state', 'string', 'the state of the user: enabled, disabled or locked', (u) => u.state),
  field('created', 'date', 'the date the user was created', (u) => formatDate(u.createdMs)),
  field('timezone', 'string', 'the time zone of the user', (u) => u.timezone),
  field('accountid', 'string', 'the ID of the account of the user', (u) => u.accountId),
  field('account', 'string', 'the name of the account of the user', (u, ctx) => accountOfUser(u, ctx)?.name),
  field('accounttype', 'integer', 'the type of the account: 0 user, 1 root admin, 2 domain admin, 3 resource admin', (u, ctx) => {
    const account = accountOfUser(u, ctx);
    return account ? ACCOUNT_TYPE_NUMBER[account.accountType] : undefined;
  }),
  field('roleid', 'string', 'the ID of the role of the account', (u, ctx) => {
    const account = accountOfUser(u, ctx);
    return account ? roleOf(ctx.state, account)?.id : undefined;
  }),
  field('rolename', 'string', 'the name of the role of the account', (u, ctx) => {
    const account = accountOfUser(u, ctx);
    return account ? roleOf(ctx.state, account)?.name : undefined;
  }),
  field('roletype', 'string', 'the type of the role of the account', (u, ctx) => {
    const account = accountOfUser(u, ctx);
    return account ? roleOf(ctx.state, account)?.type : undefined;
  }),
  field('domainid', 'string', 'the domain of the user', (u, ctx) => accountOfUser(u, ctx)?.domainId),
  field('domain', 'string', 'the domain name of the user', (u, ctx) => domainOf(accountOfUser(u, ctx)?.domainId, ctx)?.name),
  field('apikey', 'string', 'the API key of the user', (u) => u.apiKey),
  field('isdefault', 'boolean', 'whether it is a user the cloud cannot do without (CloudStack\'s built-in users)', () => false),
  field('usersource', 'string', 'where the user is authenticated', () => 'native'),
  field('is2faenabled', 'boolean', 'whether two-factor authentication is enabled', () => false),
]);

/** Resource types an account reports, with the usage counter and the setting that limits it. */
const ACCOUNT_RESOURCES: readonly { prefix: string; usage?: keyof AccountUsage; setting?: string; description: string }[] = [
  { prefix: 'vm', usage: 'user_vm', setting: 'max.account.user.vms', description: 'virtual machines' },
  { prefix: 'ip', usage: 'public_ip', setting: 'max.account.public.ips', description: 'public IP addresses' },
  { prefix: 'volume', usage: 'volume', setting: 'max.account.volumes', description: 'volumes' },
  { prefix: 'snapshot', usage: 'snapshot', setting: 'max.account.snapshots', description: 'snapshots' },
  { prefix: 'template', usage: 'template', setting: 'max.account.templates', description: 'templates' },
  { prefix: 'network', usage: 'network', setting: 'max.account.networks', description: 'networks' },
  { prefix: 'vpc', usage: 'vpc', setting: 'max.account.vpcs', description: 'VPCs' },
  { prefix: 'cpu', usage: 'cpu', setting: 'max.account.cpus', description: 'CPU cores' },
  { prefix: 'memory', usage: 'memory', setting: 'max.account.memory', description: 'memory in MiB' },
  { prefix: 'primarystorage', usage: 'primary_storage', setting: 'max.account.primary.storage', description: 'primary storage in GiB' },
  { prefix: 'project', description: 'projects' },
];

/** Admin accounts and settings of -1 have no limit. */
function limitOf(account: Account, state: Readonly<CloudState>, setting: string | undefined): number | undefined {
  if (setting === undefined || account.accountType !== 'User') return undefined;
  const limit = settingNumber(state as CloudState, setting);
  return limit < 0 ? undefined : limit;
}

function resourceFields(): FieldSpec<Account>[] {
  return ACCOUNT_RESOURCES.flatMap(({ prefix, usage, setting, description }): FieldSpec<Account>[] => {
    const total = (a: Account, ctx: ViewContext): number => (usage === undefined ? 0 : ctx.state.index.accountUsage.get(a.id)?.[usage] ?? 0);
    return [
      field(`${prefix}limit`, 'string', `the limit of ${description}: a number or Unlimited`, (a, ctx) => {
        const limit = limitOf(a, ctx.state, setting);
        return limit === undefined ? 'Unlimited' : String(limit);
      }),
      field(`${prefix}total`, 'long', `the ${description} the account holds`, total),
      field(`${prefix}available`, 'string', `the ${description} the account may still take: a number or Unlimited`, (a, ctx) => {
        const limit = limitOf(a, ctx.state, setting);
        return limit === undefined ? 'Unlimited' : String(Math.max(0, limit - total(a, ctx)));
      }),
    ];
  });
}

function vmCount(account: Account, ctx: ViewContext, state: 'Running' | 'Stopped'): number {
  let n = 0;
  for (const id of ctx.state.index.vmsByAccount.get(account.id) ?? []) {
    const vm = ctx.state.vms.get(id);
    if (vm && vm.kind === 'User' && vm.state === state) n++;
  }
  return n;
}

export const accountView = defineView<Account>([
  field('id', 'string', 'the ID of the account', (a) => a.id),
  field('name', 'string', 'the name of the account', (a) => a.name),
  field('accounttype', 'integer', 'the type of the account: 0 user, 1 root admin, 2 domain admin, 3 resource admin', (a) => ACCOUNT_TYPE_NUMBER[a.accountType]),
  field('roleid', 'string', 'the ID of the role of the account', (a, ctx) => roleOf(ctx.state, a)?.id),
  field('rolename', 'string', 'the name of the role of the account', (a, ctx) => roleOf(ctx.state, a)?.name),
  field('roletype', 'string', 'the type of the role of the account', (a, ctx) => roleOf(ctx.state, a)?.type),
  field('domainid', 'string', 'the domain of the account', (a) => a.domainId),
  field('domain', 'string', 'the domain name of the account', (a, ctx) => domainOf(a.domainId, ctx)?.name),
  field('domainpath', 'string', 'the domain path of the account', (a, ctx) => domainOf(a.domainId, ctx)?.path),
  field('state', 'string', 'the state of the account: enabled, disabled or locked', (a) => accountStateOf(a)),
  field('created', 'date', 'the date the account was created', (a, ctx) => createdOf(a.id, ctx)),
  field('isdefault', 'boolean', 'whether it is an account the cloud was made with', (a) => a.id === 'system'),
  field('vmrunning', 'integer', 'the running virtual machines of the account', (a, ctx) => vmCount(a, ctx, 'Running')),
  field('vmstopped', 'integer', 'the stopped virtual machines of the account', (a, ctx) => vmCount(a, ctx, 'Stopped')),
  ...resourceFields(),
  field('receivedbytes', 'long', 'bytes received by the account', () => 0),
  field('sentbytes', 'long', 'bytes sent by the account', () => 0),
  nested<Account, User>('user', 'the users of the account', userView, (a, ctx) => usersOf(ctx.state, a.id)),
]);

export const domainView = defineView<Domain>([
  field('id', 'string', 'the ID of the domain', (d) => d.id),
  field('name', 'string', 'the name of the domain', (d) => d.name),
  field('path', 'string', 'the path of the domain', (d) => d.path),
  field('level', 'integer', 'the depth of the domain: 0 for ROOT', (d) => d.path.split('/').length - 1),
  field('parentdomainid', 'string', 'the parent domain', (d) => d.parentId),
  field('parentdomainname', 'string', 'the name of the parent domain', (d, ctx) => domainOf(d.parentId, ctx)?.name),
  field('haschild', 'boolean', 'whether the domain has sub-domains', (d, ctx) => [...ctx.state.domains.values()].some((child) => child.parentId === d.id)),
  field('state', 'string', 'the state of the domain', () => 'Active'),
  field('created', 'date', 'the date the domain was created', (d, ctx) => createdOf(d.id, ctx)),
  field('hasannotations', 'boolean', 'whether the domain has annotations', () => false),
]);

export const roleView = defineView<Role>([
  field('id', 'string', 'the ID of the role', (r) => r.id),
  field('name', 'string', 'the name of the role', (r) => r.name),
  field('type', 'string', 'the type of the role', (r) => r.type),
  field('description', 'string', 'the description of the role', (r) => r.description),
  field('isdefault', 'boolean', 'whether it is one of the default roles', (r) => r.isDefault),
  field('ispublic', 'boolean', 'whether domain admins may use the role', (r) => r.isPublic),
  field('state', 'string', 'the state of the role', () => 'ENABLED'),
]);
