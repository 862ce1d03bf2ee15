import { accountLimit, accountResourceCount, accountStateOf, domainLimit, domainResourceCount, roleOf, usersOf } from '../../core/identity.js';
import type { Account, Domain } from '../../core/model/entities.js';
import { ACCOUNT_TYPE_NUMBER, type Project, RESOURCE_TYPE_BY_NAME, type ResourceTypeName, type Role, type RolePermission, type User } from '../../core/model/identity.js';
import { formatDate } from '../http/respond.js';
import { createdOf, defineView, field, type FieldSpec, nested, type ViewContext } from './view.js';
import { type CloudState, settingNumber } from '../../core/model/state.js';

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

/**
 * The resource types accounts, domains and projects report as `<prefix>limit`, `<prefix>total`
 * and `<prefix>available`. Limits and what is available are strings ("20" or "Unlimited"),
 * totals numbers: secondary storage a double, the rest longs, as cloudstack-go decodes them.
 */
const RESOURCE_FIELDS: readonly { prefix: string; type: ResourceTypeName; description: string }[] = [
  { prefix: 'vm', type: 'user_vm', description: 'virtual machines' },
  { prefix: 'ip', type: 'public_ip', description: 'public IP addresses' },
  { prefix: 'volume', type: 'volume', description: 'volumes' },
  { prefix: 'snapshot', type: 'snapshot', description: 'snapshots' },
  { prefix: 'template', type: 'template', description: 'templates' },
  { prefix: 'network', type: 'network', description: 'networks' },
  { prefix: 'vpc', type: 'vpc', description: 'VPCs' },
  { prefix: 'cpu', type: 'cpu', description: 'CPU cores' },
  { prefix: 'memory', type: 'memory', description: 'memory in MiB' },
  { prefix: 'primarystorage', type: 'primary_storage', description: 'primary storage in GiB' },
  { prefix: 'secondarystorage', type: 'secondary_storage', description: 'secondary storage in GiB' },
  { prefix: 'project', type: 'project', description: 'projects' },
];

/** A limit as CloudStack writes it: a number, or Unlimited for -1. */
export function limitText(limit: number): string {
  return limit < 0 ? 'Unlimited' : String(limit);
}

/** The limit, total and available fields of every resource type, for an owner the functions read. */
export function resourceFields<T>(limitOf: (record: T, type: ResourceTypeName, ctx: ViewContext) => number, totalOf: (record: T, type: ResourceTypeName, ctx: ViewContext) => number, who: string): FieldSpec<T>[] {
  return RESOURCE_FIELDS.flatMap(({ prefix, type, description }): FieldSpec<T>[] => [
    field(`${prefix}limit`, 'string', `the limit of ${description} of the ${who}: a number or Unlimited`, (r, ctx) => limitText(limitOf(r, type, ctx))),
    field(`${prefix}total`, type === 'secondary_storage' ? 'double' : 'long', `the ${description} the ${who} holds`, (r, ctx) => totalOf(r, type, ctx)),
    field(`${prefix}available`, 'string', `the ${description} the ${who} may still take: a number or Unlimited`, (r, ctx) => {
      const limit = limitOf(r, type, ctx);
      return limit < 0 ? 'Unlimited' : String(Math.max(0, limit - totalOf(r, type, ctx)));
    }),
  ]);
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
  field('networkdomain', 'string', 'the network domain of the account', (a) => a.networkDomain),
  ...resourceFields<Account>((a, type, ctx) => accountLimit(ctx.state, a.id, type), (a, type, ctx) => accountResourceCount(ctx.state, a.id, type), 'account'),
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
  field('networkdomain', 'string', 'the network domain of the domain', (d) => d.networkDomain),
  field('state', 'string', 'the state of the domain', () => 'Active'),
  ...resourceFields<Domain>((d, type, ctx) => domainLimit(ctx.state, d.id, type), (d, type, ctx) => domainResourceCount(ctx.state, d.id, type), 'domain'),
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

export const rolePermissionView = defineView<RolePermission>([
  field('id', 'string', 'the ID of the rule', (p) => p.id),
  field('roleid', 'string', 'the role of the rule', (p) => p.roleId),
  field('rolename', 'string', 'the name of that role', (p, ctx) => ctx.state.roles.get(p.roleId)?.name),
  field('rule', 'string', 'the API name or wildcard the rule matches', (p) => p.rule),
  field('permission', 'string', 'allow or deny', (p) => p.permission),
  field('description', 'string', 'the description of the rule', (p) => p.description),
]);

function projectOwners(project: Project, ctx: ViewContext): Account[] {
  return project.members.filter((m) => m.role === 'Admin').map((m) => ctx.state.accounts.get(m.accountId)).filter((a) => a !== undefined);
}

export const projectView = defineView<Project>([
  field('id', 'string', 'the ID of the project', (p) => p.id),
  field('name', 'string', 'the name of the project', (p) => p.name),
  field('displaytext', 'string', 'the display text of the project', (p) => p.displayText),
  field('domainid', 'string', 'the domain of the project', (p) => p.domainId),
  field('domain', 'string', 'the domain name of the project', (p, ctx) => ctx.state.domains.get(p.domainId)?.name),
  field('state', 'string', 'the state of the project', (p) => p.state),
  field('created', 'date', 'the date the project was created', (p) => formatDate(p.createdMs)),
  { name: 'owner', type: 'list', description: 'the Admin accounts of the project', get: (p, ctx) => projectOwners(p, ctx).map((a) => ({ account: a.name, accountid: a.id })) },
  field('projectaccountname', 'string', 'the name of the project\'s own account', (p) => `PrjAcct-${p.name}-${p.id}`),
  field('vmrunning', 'integer', 'the running virtual machines of the project', () => 0),
  field('vmstopped', 'integer', 'the stopped virtual machines of the project', () => 0),
  ...resourceFields<Project>(
    (p, type, ctx) => ctx.state.resourceLimits.get(p.id)?.limits[type] ?? settingNumber(ctx.state as CloudState, RESOURCE_TYPE_BY_NAME.get(type)!.setting),
    () => 0,
    'project',
  ),
  field('tags', 'list', 'the tags of the project', () => []),
]);

/** One member of a project, as listProjectAccounts shows it. */
export interface ProjectMembership {
  project: Project;
  accountId: string;
  role: 'Admin' | 'Regular';
}

export const projectAccountView = defineView<ProjectMembership>([
  field('projectid', 'string', 'the ID of the project', (m) => m.project.id),
  field('project', 'string', 'the name of the project', (m) => m.project.name),
  field('accountid', 'string', 'the ID of the member account', (m) => m.accountId),
  field('account', 'string', 'the name of the member account', (m, ctx) => ctx.state.accounts.get(m.accountId)?.name),
  field('role', 'string', 'the role of the account in the project: Admin or Regular', (m) => m.role),
  field('domainid', 'string', 'the domain of the member account', (m, ctx) => ctx.state.accounts.get(m.accountId)?.domainId),
  field('domain', 'string', 'the domain name of the member account', (m, ctx) => domainOf(ctx.state.accounts.get(m.accountId)?.domainId, ctx)?.name),
]);

/** A limit of one resource type for an account, a domain or a project, as listResourceLimits shows it. */
export interface ResourceLimitRow {
  type: ResourceTypeName;
  max: number;
  accountId?: string;
  domainId: string;
  projectId?: string;
}

const ownerFields = <T extends { accountId?: string; domainId: string; projectId?: string }>(): FieldSpec<T>[] => [
  field('account', 'string', 'the account of the limit', (r, ctx) => (r.accountId === undefined ? undefined : ctx.state.accounts.get(r.accountId)?.name)),
  field('domainid', 'string', 'the domain of the limit', (r) => r.domainId),
  field('domain', 'string', 'the domain name', (r, ctx) => ctx.state.domains.get(r.domainId)?.name),
  field('domainpath', 'string', 'the domain path', (r, ctx) => ctx.state.domains.get(r.domainId)?.path),
  field('projectid', 'string', 'the project of the limit', (r) => r.projectId),
  field('project', 'string', 'the name of that project', (r, ctx) => (r.projectId === undefined ? undefined : ctx.state.projects.get(r.projectId)?.name)),
];

export const resourceLimitView = defineView<ResourceLimitRow>([
  ...ownerFields<ResourceLimitRow>(),
  field('resourcetype', 'string', 'the resource type, as CloudStack\'s number (0 user_vm ... 11 secondary_storage)', (r) => String(RESOURCE_TYPE_BY_NAME.get(r.type)!.id)),
  field('resourcetypename', 'string', 'the name of the resource type', (r) => r.type),
  field('max', 'long', 'the limit; -1 for none', (r) => r.max),
]);

/** A recounted resource type, as updateResourceCount shows it. */
export interface ResourceCountRow {
  type: ResourceTypeName;
  count: number;
  accountId?: string;
  domainId: string;
  projectId?: string;
}

export const resourceCountView = defineView<ResourceCountRow>([
  ...ownerFields<ResourceCountRow>(),
  field('resourcetype', 'string', 'the resource type, as CloudStack\'s number', (r) => String(RESOURCE_TYPE_BY_NAME.get(r.type)!.id)),
  field('resourcetypename', 'string', 'the name of the resource type', (r) => r.type),
  field('resourcecount', 'long', 'what the owner holds of it', (r) => r.count),
]);
