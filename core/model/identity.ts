import type { AccountType, Id } from './entities.js';

/**
 * Who may use the cloud: users (the people and programs behind an account, each with a login and
 * API keys), the state of accounts, and roles (CloudStack's dynamic roles: a role type plus an
 * ordered list of allow/deny rules over API names). Passwords and keys arrive from outside already
 * made (hashing and key generation need randomness the core does not have); the core stores them.
 */

/** CloudStack's RoleType, in its own spelling; `Admin` is the root admin. */
export const ROLE_TYPES = ['Admin', 'ResourceAdmin', 'DomainAdmin', 'User'] as const;
export type RoleType = (typeof ROLE_TYPES)[number];

export type UserState = 'enabled' | 'disabled' | 'locked';
export type AccountState = 'enabled' | 'disabled' | 'locked';

export interface User {
  id: Id;
  accountId: Id;
  /** Unique within the account's domain. */
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  /** What the server's password hashing produced; the core never sees a password. */
  passwordHash: string;
  timezone?: string;
  state: UserState;
  apiKey?: string;
  secretKey?: string;
  createdMs: number;
}

export type RulePermission = 'allow' | 'deny';

/** One rule of a role: an API name, or a pattern where `*` stands for any run of letters and digits. */
export interface RolePermission {
  id: Id;
  roleId: Id;
  rule: string;
  permission: RulePermission;
  description: string;
}

export interface Role {
  id: Id;
  name: string;
  type: RoleType;
  description: string;
  /** The four roles every cloud starts with. */
  isDefault: boolean;
  isPublic: boolean;
  /** Checked in order; the first rule that matches an API name decides. */
  permissions: RolePermission[];
}

/**
 * The default roles keep CloudStack's role ids 1 to 4 (Admin, ResourceAdmin, DomainAdmin, User)
 * as the last digits of a fixed UUID: API clients expect ids in UUID form.
 */
export const DEFAULT_ROLE_IDS: Readonly<Record<RoleType, Id>> = {
  Admin: '00000000-0000-4000-8000-000000000001',
  ResourceAdmin: '00000000-0000-4000-8000-000000000002',
  DomainAdmin: '00000000-0000-4000-8000-000000000003',
  User: '00000000-0000-4000-8000-000000000004',
};

const DEFAULT_ROLE_NAMES: Readonly<Record<RoleType, string>> = {
  Admin: 'Root Admin',
  ResourceAdmin: 'Resource Admin',
  DomainAdmin: 'Domain Admin',
  User: 'User',
};

export function defaultRoles(): Role[] {
  return ROLE_TYPES.map((type) => ({
    id: DEFAULT_ROLE_IDS[type],
    name: DEFAULT_ROLE_NAMES[type],
    type,
    description: `Default ${DEFAULT_ROLE_NAMES[type].toLowerCase()} role`,
    isDefault: true,
    isPublic: true,
    permissions: [],
  }));
}

/** The role type of each account type: an account's role must be of its type. */
export const ROLE_TYPE_OF_ACCOUNT_TYPE: Readonly<Record<AccountType, RoleType>> = {
  Admin: 'Admin',
  ResourceAdmin: 'ResourceAdmin',
  DomainAdmin: 'DomainAdmin',
  User: 'User',
};

export const ACCOUNT_TYPE_OF_ROLE_TYPE: Readonly<Record<RoleType, AccountType>> = {
  Admin: 'Admin',
  ResourceAdmin: 'ResourceAdmin',
  DomainAdmin: 'DomainAdmin',
  User: 'User',
};

/** CloudStack's Account.Type ordinals, as the API reports `accounttype`. */
export const ACCOUNT_TYPE_NUMBER: Readonly<Record<AccountType, number>> = {
  User: 0,
  Admin: 1,
  DomainAdmin: 2,
  ResourceAdmin: 3,
};

/** What a rule may look like: an API name, with `*` wildcards. */
export const RULE_PATTERN = /^[A-Za-z0-9*]+$/;

/** Whether a rule matches an API name: `*` matches any run of letters and digits, the rest exactly. */
export function ruleMatches(rule: string, apiName: string): boolean {
  if (!rule.includes('*')) return rule === apiName;
  const pattern = `^${rule.split('*').map((part) => part.replace(/[^A-Za-z0-9]/g, '')).join('[A-Za-z0-9]*')}$`;
  return new RegExp(pattern).test(apiName);
}

/**
 * CloudStack's resource types (Resource.ResourceType), by the ordinal the API sends as
 * `resourcetype`, with the setting that gives an account its default limit. Types 0-4 and 6-11
 * are counted in AccountUsage; type 5 counts the projects an account owns.
 */
export const RESOURCE_TYPES = [
  { id: 0, name: 'user_vm', setting: 'max.account.user.vms' },
  { id: 1, name: 'public_ip', setting: 'max.account.public.ips' },
  { id: 2, name: 'volume', setting: 'max.account.volumes' },
  { id: 3, name: 'snapshot', setting: 'max.account.snapshots' },
  { id: 4, name: 'template', setting: 'max.account.templates' },
  { id: 5, name: 'project', setting: 'max.account.projects' },
  { id: 6, name: 'network', setting: 'max.account.networks' },
  { id: 7, name: 'vpc', setting: 'max.account.vpcs' },
  { id: 8, name: 'cpu', setting: 'max.account.cpus' },
  { id: 9, name: 'memory', setting: 'max.account.memory' },
  { id: 10, name: 'primary_storage', setting: 'max.account.primary.storage' },
  { id: 11, name: 'secondary_storage', setting: 'max.account.secondary.storage' },
] as const;

export type ResourceTypeName = (typeof RESOURCE_TYPES)[number]['name'];

export const RESOURCE_TYPE_BY_NAME: ReadonlyMap<string, (typeof RESOURCE_TYPES)[number]> = new Map(RESOURCE_TYPES.map((t) => [t.name, t]));

/** -1: no limit, as CloudStack writes it. */
export const UNLIMITED = -1;

/**
 * The limits set on one owner with updateResourceLimit (an account, a domain or a project),
 * keyed by the owner's id. A type without an entry follows the default: the max.account.*
 * setting for an account, no limit for a domain.
 */
export interface ResourceLimits {
  id: Id;
  owner: 'account' | 'domain' | 'project';
  limits: Partial<Record<ResourceTypeName, number>>;
}

export type ProjectRole = 'Admin' | 'Regular';

export interface ProjectMember {
  accountId: Id;
  role: ProjectRole;
}

/**
 * A project: a group of accounts working together. Its first member, the owner, is its Admin;
 * accounts added later are Regular members unless made Admin. Projects here own no resources of
 * their own (no projectid on VMs, networks and the like).
 */
export interface Project {
  id: Id;
  name: string;
  displayText: string;
  domainId: Id;
  members: ProjectMember[];
  state: 'Active' | 'Suspended';
  createdMs: number;
}
