import { formatCount } from '../format.js';
import type { Id } from '../model/entities.js';
import { domainLimit, domainResourceCount } from '../identity.js';
import { type AccountUsage, type CloudState, ROOT_DOMAIN_ID, settingNumber } from '../model/state.js';
import type { Caller } from '../ports.js';

/**
 * Who may act on what, and how much an account may hold. Root admins act on everything; domain
 * admins on the accounts of their domain subtree; users on their own account only.
 */
export function mayActOn(state: Readonly<CloudState>, actor: Caller, accountId: Id): boolean {
  if (actor.role === 'RootAdmin') return true;
  if (actor.accountId === accountId) return true;
  if (actor.role === 'DomainAdmin' || actor.role === 'ResourceAdmin') {
    const account = state.accounts.get(accountId);
    for (let d: Id | undefined = account?.domainId; d !== undefined; d = state.domains.get(d)?.parentId) {
      if (d === actor.domainId) return true;
    }
  }
  return false;
}

/** CloudStack's resource types and the settings that bound them. */
const LIMIT_SETTINGS: Readonly<Record<keyof AccountUsage, { setting: string; one: string; many: string }>> = {
  user_vm: { setting: 'max.account.user.vms', one: 'user VM', many: 'user VMs' },
  volume: { setting: 'max.account.volumes', one: 'volume', many: 'volumes' },
  public_ip: { setting: 'max.account.public.ips', one: 'public IP', many: 'public IPs' },
  network: { setting: 'max.account.networks', one: 'network', many: 'networks' },
  vpc: { setting: 'max.account.vpcs', one: 'VPC', many: 'VPCs' },
  cpu: { setting: 'max.account.cpus', one: 'vCPU', many: 'vCPUs' },
  memory: { setting: 'max.account.memory', one: 'MiB of memory', many: 'MiB of memory' },
  primary_storage: { setting: 'max.account.primary.storage', one: 'GiB of primary storage', many: 'GiB of primary storage' },
  snapshot: { setting: 'max.account.snapshots', one: 'snapshot', many: 'snapshots' },
  template: { setting: 'max.account.templates', one: 'template', many: 'templates' },
  secondary_storage: { setting: 'max.account.secondary.storage', one: 'GiB of secondary storage', many: 'GiB of secondary storage' },
};

/**
 * The first resource limit the request would cross, in CloudStack's words, or undefined: the
 * account's own limit (set with updateResourceLimit, or the max.account.* setting), then the
 * limit of each domain above it, which caps what all the accounts below it hold together. Root
 * admin accounts (and the system account) are not limited, as in CloudStack.
 */
export function limitExceeded(state: Readonly<CloudState>, accountId: Id, delta: Partial<AccountUsage>): string | undefined {
  const account = state.accounts.get(accountId);
  if (!account || account.accountType === 'Admin') return undefined;
  // Every deploy asks this for five types, so the account's records are looked up once, the
  // keys looped over without Object.entries, and the domains walked once.
  const usage = state.index.accountUsage.get(accountId);
  const own = state.resourceLimits.get(accountId)?.limits;
  let limitedDomains: Id[] | undefined;
  for (let d: Id | undefined = account.domainId; d !== undefined; d = state.domains.get(d)?.parentId) {
    if (d !== ROOT_DOMAIN_ID && state.resourceLimits.has(d)) (limitedDomains ??= []).push(d);
  }
  for (const key in delta) {
    const type = key as keyof AccountUsage;
    const amount = delta[type];
    if (!amount || amount <= 0) continue;
    const { setting, one, many } = LIMIT_SETTINGS[type];
    const ownLimit = own?.[type];
    const limit = ownLimit ?? settingNumber(state as CloudState, setting);
    const current = usage?.[type] ?? 0;
    if (limit >= 0 && current + amount > limit) {
      const source = ownLimit !== undefined ? 'its limit' : setting;
      return `Maximum number of resources of type '${type}' for account ${account.name} has been exceeded: it holds ${formatCount(current)} ${current === 1 ? one : many}, asks for ${formatCount(amount)} more, and ${source} is ${formatCount(limit)}`;
    }
    for (const domainId of limitedDomains ?? []) {
      const cap = domainLimit(state, domainId, type);
      if (cap < 0) continue;
      const held = domainResourceCount(state, domainId, type);
      if (held + amount > cap) {
        return `Maximum number of resources of type '${type}' for domain id=${domainId} has been exceeded: its accounts hold ${formatCount(held)} ${held === 1 ? one : many}, ${account.name} asks for ${formatCount(amount)} more, and the domain's limit is ${formatCount(cap)}`;
      }
    }
  }
  return undefined;
}
