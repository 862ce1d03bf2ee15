import { mayActOn } from '../../core/decide/access.js';
import { accountStateOf, domainByPath, domainSubtree, isInDomainSubtree, roleOf, userByApiKey, userByName } from '../../core/identity.js';
import type { Account, AccountType } from '../../core/model/entities.js';
import type { DomainEvent } from '../../core/model/events.js';
import { ACCOUNT_TYPE_NUMBER, ROLE_TYPES, type RoleType } from '../../core/model/identity.js';
import { SESSION_TIMEOUT_SECONDS } from '../auth/sessions.js';
import { ApiError, API_ERROR, badValue, permissionDenied } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, DOMAIN_ADMINS, type HandlerResult, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { accountScope, LIST_PARAMS, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { accountView, domainView, roleView, userView } from '../views/identity.js';
import { SUCCESS_FIELDS } from '../views/results.js';

/** Logging in and out, accounts, domains, users, API keys and roles. */

const ACCOUNT_TYPE_OF_NUMBER: Readonly<Record<number, AccountType>> = { 0: 'User', 1: 'Admin', 2: 'DomainAdmin', 3: 'ResourceAdmin' };

function createdId(events: readonly DomainEvent[], type: 'accountCreated' | 'userCreated' | 'domainCreated'): string {
  for (const event of events) {
    if (event.type !== type) continue;
    if (event.type === 'accountCreated') return event.account.id;
    if (event.type === 'userCreated') return event.user.id;
    if (event.type === 'domainCreated') return event.domain.id;
  }
  throw new Error(`the command created no ${type}`);
}

export const login = defineCommand({
  name: 'login',
  description: 'Logs a user into the CloudStack. A successful login attempt will generate a JSESSIONID cookie value that can be passed in subsequent Query command calls until the "logout" command has been issued or the session has expired.',
  isAsync: false,
  since: '3.0.0',
  params: {
    username: param.string('the user name', { required: true }),
    password: param.string('the password', { required: true }),
    domain: param.string('the path of the user\'s domain: / for ROOT (the default), /Comp1/sales below it'),
    domainid: param.uuid('the ID of the user\'s domain, instead of its path', { related: 'listDomains' }),
  },
  responseObject: 'loginresponse',
  response: [
    { name: 'sessionkey', type: 'string', description: 'the key of the session, to send as the sessionkey parameter' },
    { name: 'timeout', type: 'integer', description: 'the session timeout in seconds' },
    { name: 'userid', type: 'string', description: 'the ID of the user' },
    { name: 'username', type: 'string', description: 'the user name' },
    { name: 'account', type: 'string', description: 'the account of the user' },
    { name: 'domainid', type: 'string', description: 'the domain of the user' },
    { name: 'type', type: 'string', description: 'the account type, as a number' },
  ],
  roles: ANY_ROLE,
  authentication: 'none',
  handle(call, p) {
    const state = call.state;
    const domainId = p.domainid ?? domainByPath(state, p.domain ?? '/');
    const user = domainId === undefined || !state.domains.has(domainId) ? undefined : userByName(state, domainId, p.username);
    const account = user === undefined ? undefined : state.accounts.get(user.accountId);
    // One answer for every failure, so a guesser learns nothing about which part was wrong.
    const fail = () => new ApiError(API_ERROR.UNAUTHORIZED, `Failed to authenticate user ${p.username} in domain ${domainId ?? p.domain ?? p.domainid}; please provide valid credentials`);
    if (!user || !account || !call.services.passwords.verify(p.password, user.passwordHash)) throw fail();
    if (user.state !== 'enabled' || accountStateOf(account) !== 'enabled') throw fail();
    const session = call.services.sessions.create(user.id, call.runtime.nowMs());
    return {
      kind: 'fields',
      fields: {
        timeout: SESSION_TIMEOUT_SECONDS,
        sessionkey: session.key,
        username: user.username,
        userid: user.id,
        domainid: account.domainId,
        account: account.name,
        firstname: user.firstName,
        lastname: user.lastName,
        type: String(ACCOUNT_TYPE_NUMBER[account.accountType]),
        ...(user.timezone === undefined ? {} : { timezone: user.timezone }),
        registered: 'false',
        is2faenabled: 'false',
        is2faverified: 'true',
      },
      cookies: [
        { name: 'JSESSIONID', value: session.jsessionId, path: '/client', httpOnly: true },
        { name: 'sessionkey', value: session.key, path: '/client', httpOnly: true },
      ],
    };
  },
});

export const logout = defineCommand({
  name: 'logout',
  description: 'Logs out the user',
  isAsync: false,
  since: '3.0.0',
  params: {},
  responseObject: 'logoutresponse',
  response: [{ name: 'description', type: 'string', description: 'success' }],
  roles: ANY_ROLE,
  handle(call) {
    const session = call.me().session;
    if (session) call.services.sessions.end(session.key);
    return {
      kind: 'fields',
      fields: { description: 'success' },
      cookies: [
        { name: 'sessionkey', value: '', path: '/client', httpOnly: true, maxAgeSeconds: 0 },
        { name: 'JSESSIONID', value: '', path: '/client', httpOnly: true, maxAgeSeconds: 0 },
      ],
    };
  },
});

const NEW_USER_PARAMS = {
  username: param.string('the user name, unique in the domain', { required: true }),
  password: param.string('the password (stored hashed)', { required: true }),
  email: param.string('the email address', { required: true }),
  firstname: param.string('the first name', { required: true }),
  lastname: param.string('the last name', { required: true }),
  timezone: param.string('the time zone of the user'),
};

export const createAccount = defineCommand({
  name: 'createAccount',
  description: 'Creates an account',
  isAsync: false,
  since: '3.0.0',
  related: 'listAccounts',
  params: {
    ...NEW_USER_PARAMS,
    account: param.string('the name of the account; the user name when absent'),
    accounttype: param.integer('the type of the account: 0 user, 1 root admin, 2 domain admin; roleid may be given instead'),
    roleid: param.uuid('the role of the account, which fixes its type', { related: 'listRoles' }),
    domainid: param.uuid('the domain of the account; the caller\'s when absent', { related: 'listDomains' }),
    networkdomain: param.string('the network domain of the account (accepted, not used yet)'),
    accountdetails: param.map('details of the account (accepted, not used yet)'),
    accountid: param.string('an external account id (accepted, not used)'),
    userid: param.string('an external user id (accepted, not used)'),
  },
  responseObject: 'account',
  response: accountView.fields,
  roles: DOMAIN_ADMINS,
  handle(call, p) {
    if (p.accounttype !== undefined && ACCOUNT_TYPE_OF_NUMBER[p.accounttype] === undefined) throw badValue(`Invalid account type ${p.accounttype}; use 0 (user), 1 (root admin), 2 (domain admin) or 3 (resource admin)`);
    const events = call.run({
      type: 'createAccount',
      name: p.account ?? p.username,
      domainId: p.domainid ?? call.me().account.domainId,
      ...(p.accounttype === undefined ? {} : { accountType: ACCOUNT_TYPE_OF_NUMBER[p.accounttype]! }),
      ...(p.roleid === undefined ? {} : { roleId: p.roleid }),
      user: {
        username: p.username,
        firstName: p.firstname,
        lastName: p.lastname,
        email: p.email,
        passwordHash: call.services.passwords.hash(p.password),
        ...(p.timezone === undefined ? {} : { timezone: p.timezone }),
      },
    });
    const account = call.state.accounts.get(createdId(events, 'accountCreated'))!;
    return { kind: 'object', object: accountView.render(account, call.view()) };
  },
});

export const listAccounts = defineCommand({
  name: 'listAccounts',
  description: 'Lists accounts and provides detailed account information for listed accounts',
  isAsync: false,
  since: '3.0.0',
  related: 'createAccount',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the account', { related: 'listAccounts' }),
    name: param.string('the name of the account'),
    accounttype: param.integer('the type of the accounts: 0 user, 1 root admin, 2 domain admin, 3 resource admin'),
    state: param.string('the state of the accounts: enabled, disabled or locked'),
    details: param.list('the groups of details to return (all are returned)'),
    iscleanuprequired: param.boolean('accepted for compatibility; no account needs a clean-up'),
  },
  responseObject: 'account',
  response: accountView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'managed');
    const accounts = [...call.state.accounts.values()].filter(
      (a) =>
        // The system account runs the cloud; CloudStack never lists it.
        a.id !== 'system' &&
        inScope(a.id) &&
        (p.id === undefined || a.id === p.id) &&
        (p.name === undefined || a.name === p.name) &&
        (p.accounttype === undefined || ACCOUNT_TYPE_NUMBER[a.accountType] === p.accounttype) &&
        (p.state === undefined || accountStateOf(a) === p.state.toLowerCase()) &&
        matchesKeyword(p.keyword, a.name),
    );
    const ctx = call.view();
    return listResult(accounts, (a) => accountView.render(a, ctx));
  },
});

export const listDomains = defineCommand({
  name: 'listDomains',
  description: 'Lists domains and provides detailed information for listed domains',
  isAsync: false,
  since: '3.0.0',
  related: 'createDomain',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the domain', { related: 'listDomains' }),
    name: param.string('the name of the domain'),
    level: param.integer('the depth of the domains: 0 for ROOT'),
    listall: param.boolean('true to list the caller\'s domain and every domain below it; default false (the caller\'s domain only)'),
    details: param.list('the groups of details to return (all are returned)'),
  },
  responseObject: 'domain',
  response: domainView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const { caller } = call.me();
    const domains = [...call.state.domains.values()].filter(
      (d) =>
        (p.listall || p.id !== undefined ? isInDomainSubtree(call.state, d.id, caller.domainId) && (caller.role !== 'User' || d.id === caller.domainId) : d.id === caller.domainId) &&
        (p.id === undefined || d.id === p.id) &&
        (p.name === undefined || d.name === p.name) &&
        (p.level === undefined || d.path.split('/').length - 1 === p.level) &&
        matchesKeyword(p.keyword, d.name),
    );
    const ctx = call.view();
    return listResult(domains, (d) => domainView.render(d, ctx));
  },
});

export const createDomain = defineCommand({
  name: 'createDomain',
  description: 'Creates a domain',
  isAsync: false,
  since: '3.0.0',
  related: 'listDomains',
  params: {
    name: param.string('the name of the domain', { required: true }),
    parentdomainid: param.uuid('the parent domain; the caller\'s when absent', { related: 'listDomains' }),
    networkdomain: param.string('the network domain of the domain (accepted, not used yet)'),
    domainid: param.string('an external domain id (accepted, not used)'),
  },
  responseObject: 'domain',
  response: domainView.fields,
  roles: DOMAIN_ADMINS,
  handle(call, p) {
    const events = call.run({ type: 'createDomain', name: p.name, parentId: p.parentdomainid ?? call.me().account.domainId });
    const domain = call.state.domains.get(createdId(events, 'domainCreated'))!;
    return { kind: 'object', object: domainView.render(domain, call.view()) };
  },
});

export const listUsers = defineCommand({
  name: 'listUsers',
  description: 'Lists user accounts',
  isAsync: false,
  since: '3.0.0',
  related: 'createUser',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the user', { related: 'listUsers' }),
    username: param.string('the user name'),
    accounttype: param.integer('the type of the users\' accounts: 0 user, 1 root admin, 2 domain admin, 3 resource admin'),
    state: param.string('the state of the users: enabled, disabled or locked'),
  },
  responseObject: 'user',
  response: userView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'managed');
    const users = [...call.state.users.values()].filter((u) => {
      const account = call.state.accounts.get(u.accountId);
      return (
        account !== undefined &&
        inScope(u.accountId) &&
        (p.id === undefined || u.id === p.id) &&
        (p.username === undefined || u.username === p.username) &&
        (p.accounttype === undefined || ACCOUNT_TYPE_NUMBER[account.accountType] === p.accounttype) &&
        (p.state === undefined || u.state === p.state.toLowerCase()) &&
        matchesKeyword(p.keyword, u.username, u.firstName, u.lastName, u.email)
      );
    });
    const ctx = call.view();
    return listResult(users, (u) => userView.render(u, ctx));
  },
});

export const createUser = defineCommand({
  name: 'createUser',
  description: 'Creates a user for an account that already exists',
  isAsync: false,
  since: '3.0.0',
  related: 'listUsers',
  params: {
    ...NEW_USER_PARAMS,
    account: param.string('the account the user joins', { required: true }),
    domainid: param.uuid('the domain of that account; the caller\'s when absent', { related: 'listDomains' }),
    userid: param.string('an external user id (accepted, not used)'),
  },
  responseObject: 'user',
  response: userView.fields,
  roles: DOMAIN_ADMINS,
  handle(call, p) {
    const domainId = p.domainid ?? call.me().account.domainId;
    if (!call.state.domains.has(domainId)) throw badValue(`Unable to find domain by id ${domainId}`);
    const accountId = (call.state.index.accountsByDomain.get(domainId) ?? []).find((id) => call.state.accounts.get(id)?.name === p.account);
    if (accountId === undefined) throw badValue(`Unable to find account ${p.account} in domain ${call.state.domains.get(domainId)!.path}`);
    const events = call.run({
      type: 'createUser',
      accountId,
      username: p.username,
      firstName: p.firstname,
      lastName: p.lastname,
      email: p.email,
      passwordHash: call.services.passwords.hash(p.password),
      ...(p.timezone === undefined ? {} : { timezone: p.timezone }),
    });
    const user = call.state.users.get(createdId(events, 'userCreated'))!;
    return { kind: 'object', object: userView.render(user, call.view()) };
  },
});

export const registerUserKeys = defineCommand({
  name: 'registerUserKeys',
  description: 'This command allows a user to register for the developer API, returning a secret key and an API key. This request is made through the integration API port, so it is a privileged command and must be made on behalf of a user. It is up to the implementer just how the username and password are entered, and then how that translates to an integration API request. Both secret key and API key should be returned to the user',
  isAsync: false,
  since: '3.0.0',
  related: 'getUserKeys',
  params: {
    id: param.uuid('the ID of the user', { required: true, related: 'listUsers' }),
  },
  responseObject: 'userkeys',
  response: [
    { name: 'apikey', type: 'string', description: 'the API key of the user' },
    { name: 'secretkey', type: 'string', description: 'the secret key of the user' },
  ],
  roles: ANY_ROLE,
  handle(call, p) {
    const keys = call.services.newApiKeys();
    call.run({ type: 'registerUserKeys', id: p.id, apiKey: keys.apiKey, secretKey: keys.secretKey });
    return { kind: 'object', object: { apikey: keys.apiKey, secretkey: keys.secretKey } };
  },
});

export const getUser = defineCommand({
  name: 'getUser',
  description: 'Find user account by API key',
  isAsync: false,
  since: '4.0.0',
  related: 'listUsers',
  params: {
    userapikey: param.string('the API key of the user', { required: true }),
  },
  responseObject: 'user',
  response: userView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const user = userByApiKey(call.state, p.userapikey);
    if (!user) throw badValue('Unable to find a user with the given API key');
    return { kind: 'object', object: userView.render(user, call.view()) };
  },
});

export const listRoles = defineCommand({
  name: 'listRoles',
  description: 'Lists dynamic roles in CloudStack',
  isAsync: false,
  since: '4.9.0',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the role', { related: 'listRoles' }),
    name: param.string('the name of the role'),
    type: param.choice('the type of the roles', ROLE_TYPES),
  },
  responseObject: 'role',
  response: roleView.fields,
  roles: DOMAIN_ADMINS,
  handle(call: Call, p) {
    const { caller } = call.me();
    const roles = [...call.state.roles.values()].filter(
      (r) =>
        // Below the root admin, only public roles an account of the caller's may be given.
        (caller.role === 'RootAdmin' || (r.isPublic && r.type !== 'Admin' && (caller.role !== 'DomainAdmin' || r.type !== 'ResourceAdmin'))) &&
        (p.id === undefined || r.id === p.id) &&
        (p.name === undefined || r.name === p.name) &&
        (p.type === undefined || r.type === p.type) &&
        matchesKeyword(p.keyword, r.name),
    );
    const ctx = call.view();
    return listResult(roles, (r) => roleView.render(r, ctx));
  },
});

// ----- accounts, domains and users after they were made -----

const ACCOUNT_ADMINS: readonly RoleType[] = ['Admin', 'DomainAdmin'];

/** The account a command names: by id, or by name with domainid (the caller's domain when absent). */
function namedAccount(call: Call, id: string | undefined, name: string | undefined, domainId: string | undefined): Account {
  if (id !== undefined) {
    const account = call.state.accounts.get(id);
    if (!account || account.id === 'system') throw badValue(`Unable to find account by id ${id}`);
    return account;
  }
  if (name === undefined) throw badValue('Either the id of the account, or its name with the domain id, must be given');
  const inDomain = domainId ?? call.me().account.domainId;
  if (!call.state.domains.has(inDomain)) throw badValue(`Unable to find domain by id ${inDomain}`);
  const found = (call.state.index.accountsByDomain.get(inDomain) ?? []).map((a) => call.state.accounts.get(a)).find((a) => a?.name === name);
  if (!found) throw badValue(`Unable to find account by name ${name} in domain ${inDomain}`);
  return found;
}

const ACCOUNT_BY_NAME_PARAMS = {
  id: param.uuid('the ID of the account', { related: 'listAccounts' }),
  account: param.string('the name of the account (with domainid)'),
  domainid: param.uuid('the domain of the account, with its name', { related: 'listDomains' }),
};

function accountObject(call: Call, accountId: string): HandlerResult {
  const account = call.state.accounts.get(accountId)!;
  return { kind: 'object', object: accountView.render(account, call.view()) };
}

export const updateAccount = defineCommand({
  name: 'updateAccount',
  description: 'Updates account information for the authenticated user',
  isAsync: false,
  since: '3.0.0',
  related: 'listAccounts',
  params: {
    ...ACCOUNT_BY_NAME_PARAMS,
    newname: param.string('the new name of the account'),
    networkdomain: param.string('the network domain of the account\'s networks; empty to clear it'),
    roleid: param.uuid('a new role (accepted only when it is the account\'s role)', { related: 'listRoles' }),
    accountdetails: param.map('details of the account (accepted, not used)'),
    apikeyaccess: param.string('API key access: Enabled, Disabled or Inherit (accepted, not used)'),
  },
  responseObject: 'account',
  response: accountView.fields,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    const account = namedAccount(call, p.id, p.account, p.domainid);
    if (p.roleid !== undefined && p.roleid !== roleOf(call.state, account)?.id) throw badValue('Changing the role of an account is not supported; create the account with the role instead');
    call.run({ type: 'updateAccount', id: account.id, ...(p.newname === undefined ? {} : { newName: p.newname }), ...(p.networkdomain === undefined ? {} : { networkDomain: p.networkdomain }) });
    return accountObject(call, account.id);
  },
});

export const deleteAccount = defineCommand({
  name: 'deleteAccount',
  description: 'Deletes an account and all users associated with this account',
  isAsync: true,
  since: '3.0.0',
  related: 'listAccounts',
  cmdClass: 'org.apache.cloudstack.api.command.admin.account.DeleteAccountCmd',
  params: {
    id: param.uuid('the ID of the account', { required: true, related: 'listAccounts' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    if (!call.state.accounts.has(p.id) || p.id === 'system') throw badValue('The specified account does not exist in the system');
    const { job } = call.startJob({ type: 'deleteAccount', id: p.id }, { instanceType: 'Account', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const disableAccount = defineCommand({
  name: 'disableAccount',
  description: 'Disables an account',
  isAsync: true,
  since: '3.0.0',
  related: 'enableAccount,lockAccount',
  cmdClass: 'org.apache.cloudstack.api.command.admin.account.DisableAccountCmd',
  params: {
    ...ACCOUNT_BY_NAME_PARAMS,
    lock: param.boolean('true: lock the account (its users cannot log in, its VMs run on); false: disable it', { required: true }),
  },
  responseObject: 'account',
  response: accountView.fields,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    const account = namedAccount(call, p.id, p.account, p.domainid);
    const { job } = call.startJob({ type: p.lock ? 'lockAccount' : 'disableAccount', id: account.id }, { instanceType: 'Account', instanceId: account.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const enableAccount = defineCommand({
  name: 'enableAccount',
  description: 'Enables an account',
  isAsync: false,
  since: '3.0.0',
  related: 'disableAccount',
  params: ACCOUNT_BY_NAME_PARAMS,
  responseObject: 'account',
  response: accountView.fields,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    const account = namedAccount(call, p.id, p.account, p.domainid);
    call.run({ type: 'enableAccount', id: account.id });
    return accountObject(call, account.id);
  },
});

export const lockAccount = defineCommand({
  name: 'lockAccount',
  description: 'This deprecated function used to locks an account. Look for the API DisableAccount instead',
  isAsync: false,
  since: '3.0.0',
  related: 'disableAccount',
  params: {
    account: param.string('the name of the account', { required: true }),
    domainid: param.uuid('the domain of the account', { required: true, related: 'listDomains' }),
  },
  responseObject: 'account',
  response: accountView.fields,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    const account = namedAccount(call, undefined, p.account, p.domainid);
    call.run({ type: 'lockAccount', id: account.id });
    return accountObject(call, account.id);
  },
});

export const updateDomain = defineCommand({
  name: 'updateDomain',
  description: 'Updates a domain with a new name',
  isAsync: false,
  since: '3.0.0',
  related: 'listDomains',
  params: {
    id: param.uuid('the ID of the domain', { required: true, related: 'listDomains' }),
    name: param.string('the new name of the domain'),
    networkdomain: param.string('the network domain of the domain\'s networks; empty to clear it'),
  },
  responseObject: 'domain',
  response: domainView.fields,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    call.run({ type: 'updateDomain', id: p.id, ...(p.name === undefined ? {} : { name: p.name }), ...(p.networkdomain === undefined ? {} : { networkDomain: p.networkdomain }) });
    return { kind: 'object', object: domainView.render(call.state.domains.get(p.id)!, call.view()) };
  },
});

export const deleteDomain = defineCommand({
  name: 'deleteDomain',
  description: 'Deletes a specified domain',
  isAsync: true,
  since: '3.0.0',
  related: 'listDomains',
  cmdClass: 'org.apache.cloudstack.api.command.admin.domain.DeleteDomainCmd',
  params: {
    id: param.uuid('the ID of the domain', { required: true, related: 'listDomains' }),
    cleanup: param.boolean('true: delete the sub-domains and accounts (with their resources) too; false (default): the domain must be empty'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    if (!call.state.domains.has(p.id)) throw badValue(`Unable to find domain by id ${p.id}`);
    const { job } = call.startJob({ type: 'deleteDomain', id: p.id, ...(p.cleanup === undefined ? {} : { cleanup: p.cleanup }) }, { instanceType: 'Domain', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const listDomainChildren = defineCommand({
  name: 'listDomainChildren',
  description: 'Lists all children domains belonging to a specified domain',
  isAsync: false,
  since: '3.0.0',
  related: 'listDomains',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the domain whose children to list; the caller\'s when absent', { related: 'listDomains' }),
    name: param.string('list only children whose name contains this'),
    isrecursive: param.boolean('true: every domain below, not only the children'),
    listall: param.boolean('with isrecursive: accepted, as CloudStack takes it'),
    showicon: param.boolean('accepted, no domain has an icon'),
  },
  responseObject: 'domain',
  response: domainView.fields,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    const { caller } = call.me();
    const topId = p.id ?? caller.domainId;
    if (!call.state.domains.has(topId)) throw badValue(`Unable to find domain by id ${topId}`);
    if (!isInDomainSubtree(call.state, topId, caller.domainId)) throw permissionDenied(`Account ${call.me().account.name} does not have permission to access domain ${topId}`);
    const below = domainSubtree(call.state, topId).slice(1);
    const domains = below
      .map((id) => call.state.domains.get(id)!)
      .filter((d) => (p.isrecursive || d.parentId === topId) && (p.name === undefined || d.name.includes(p.name)) && matchesKeyword(p.keyword, d.name));
    const ctx = call.view();
    return listResult(domains, (d) => domainView.render(d, ctx));
  },
});

export const updateUser = defineCommand({
  name: 'updateUser',
  description: 'Updates a user account',
  isAsync: false,
  since: '3.0.0',
  related: 'listUsers',
  params: {
    id: param.uuid('the ID of the user', { required: true, related: 'listUsers' }),
    username: param.string('the new user name, unique in the domain'),
    firstname: param.string('the first name'),
    lastname: param.string('the last name'),
    email: param.string('the email address'),
    password: param.string('the new password (stored hashed)'),
    currentpassword: param.string('the current password: a user changing its own password must give it'),
    timezone: param.string('the time zone of the user'),
    userapikey: param.string('a new API key (with usersecretkey)'),
    usersecretkey: param.string('a new secret key (with userapikey)'),
    apikeyaccess: param.string('API key access: Enabled, Disabled or Inherit (accepted, not used)'),
    mandate2fa: param.boolean('accepted, two-factor authentication is not offered'),
  },
  responseObject: 'user',
  response: userView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const user = call.state.users.get(p.id);
    if (!user) throw badValue(`Unable to find user by id ${p.id}`);
    const me = call.me();
    if (p.password !== undefined && me.user.id === user.id && me.caller.role === 'User') {
      if (p.currentpassword === undefined || p.currentpassword === '') throw badValue('To set a new password the current password must be provided.');
      if (!call.services.passwords.verify(p.currentpassword, user.passwordHash)) throw badValue('Current password is incorrect.');
    }
    if ((p.userapikey === undefined) !== (p.usersecretkey === undefined)) throw badValue('Please provide a userApiKey/userSecretKey pair');
    call.run({
      type: 'updateUser',
      id: user.id,
      ...(p.username === undefined ? {} : { username: p.username }),
      ...(p.firstname === undefined ? {} : { firstName: p.firstname }),
      ...(p.lastname === undefined ? {} : { lastName: p.lastname }),
      ...(p.email === undefined ? {} : { email: p.email }),
      ...(p.password === undefined ? {} : { passwordHash: call.services.passwords.hash(p.password) }),
      ...(p.timezone === undefined ? {} : { timezone: p.timezone }),
    });
    if (p.userapikey !== undefined && p.usersecretkey !== undefined) call.run({ type: 'registerUserKeys', id: user.id, apiKey: p.userapikey, secretKey: p.usersecretkey });
    return { kind: 'object', object: userView.render(call.state.users.get(user.id)!, call.view()) };
  },
});

export const deleteUser = defineCommand({
  name: 'deleteUser',
  description: 'Deletes a user for an account',
  isAsync: false,
  since: '3.0.0',
  related: 'listUsers',
  params: {
    id: param.uuid('the ID of the user', { required: true, related: 'listUsers' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    if (!call.state.users.has(p.id)) throw badValue(`Unable to find user by id ${p.id}`);
    call.run({ type: 'deleteUser', id: p.id });
    return { kind: 'success' };
  },
});

export const disableUser = defineCommand({
  name: 'disableUser',
  description: 'Disables a user account',
  isAsync: true,
  since: '3.0.0',
  related: 'enableUser',
  cmdClass: 'org.apache.cloudstack.api.command.admin.user.DisableUserCmd',
  params: {
    id: param.uuid('the ID of the user', { required: true, related: 'listUsers' }),
  },
  responseObject: 'user',
  response: userView.fields,
  roles: ACCOUNT_ADMINS,
  handle(call, p) {
    if (!call.state.users.has(p.id)) throw badValue(`Unable to find user by id ${p.id}`);
    const { job } = call.startJob({ type: 'disableUser', id: p.id }, { instanceType: 'User', instanceId: p.id });
    return { kind: 'async', jobId: job.id };
  },
});

function userStateCommand(name: 'enableUser' | 'lockUser', description: string) {
  return defineCommand({
    name,
    description,
    isAsync: false,
    since: '3.0.0',
    related: 'disableUser',
    params: {
      id: param.uuid('the ID of the user', { required: true, related: 'listUsers' }),
    },
    responseObject: 'user',
    response: userView.fields,
    roles: ACCOUNT_ADMINS,
    handle(call, p) {
      if (!call.state.users.has(p.id)) throw badValue(`Unable to find user by id ${p.id}`);
      call.run({ type: name, id: p.id });
      return { kind: 'object', object: userView.render(call.state.users.get(p.id)!, call.view()) };
    },
  });
}

export const enableUser = userStateCommand('enableUser', 'Enables a user account');
export const lockUser = userStateCommand('lockUser', 'Locks a user account');

export const getUserKeys = defineCommand({
  name: 'getUserKeys',
  description: 'This command allows the user to query the seceret and API keys for the account',
  isAsync: false,
  since: '4.10.0',
  related: 'registerUserKeys',
  params: {
    id: param.uuid('the ID of the user', { required: true, related: 'listUsers' }),
  },
  responseObject: 'userkeys',
  response: [
    { name: 'apikey', type: 'string', description: 'the API key of the user' },
    { name: 'secretkey', type: 'string', description: 'the secret key of the user' },
    { name: 'apikeyaccess', type: 'boolean', description: 'whether the keys may be used' },
  ],
  roles: ANY_ROLE,
  handle(call, p) {
    const user = call.state.users.get(p.id);
    const { caller } = call.me();
    // Someone else's keys are not the caller's business: the same answer as for no user.
    if (!user || (user.id !== caller.userId && (caller.role === 'User' || !mayActOn(call.state, caller, user.accountId)))) throw badValue(`Unable to find user by id ${p.id}`);
    return { kind: 'object', object: { ...(user.apiKey === undefined ? {} : { apikey: user.apiKey, secretkey: user.secretKey ?? '' }), apikeyaccess: true } };
  },
});
