import { accountStateOf, domainByPath, isInDomainSubtree, userByApiKey, userByName } from '../../core/identity.js';
import type { AccountType } from '../../core/model/entities.js';
import type { DomainEvent } from '../../core/model/events.js';
import { ACCOUNT_TYPE_NUMBER, ROLE_TYPES } from '../../core/model/identity.js';
import { SESSION_TIMEOUT_SECONDS } from '../auth/sessions.js';
import { ApiError, API_ERROR, badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, DOMAIN_ADMINS, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { accountScope, LIST_PARAMS, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { accountView, domainView, roleView, userView } from '../views/identity.js';

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
