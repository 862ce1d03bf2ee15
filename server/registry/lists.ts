import { isInDomainSubtree, mayManageDomain } from '../../core/identity.js';
import type { Id } from '../../core/model/entities.js';
import { badValue, permissionDenied } from '../errors.js';
import type { Call } from './command.js';
import { param } from './params.js';

/**
 * What every list command shares: the keyword, pagination (CloudStack's BaseListCmd) and, for
 * lists of account-owned things, the scope (listall, domainid, isrecursive, account).
 */

export const LIST_PARAMS = {
  keyword: param.string('List by keyword'),
  page: param.integer('the page to return, counting from 1'),
  pagesize: param.integer('the number of items per page (at most the default page size); -1 for all'),
};

export const SCOPED_LIST_PARAMS = {
  ...LIST_PARAMS,
  listall: param.boolean('true to list everything the caller may see, not only its own account\'s; default false'),
  domainid: param.uuid('list only resources of accounts in this domain', { related: 'listDomains' }),
  isrecursive: param.boolean('with domainid: include the sub-domains; default false'),
  account: param.string('list only resources of this account (with domainid, or in the caller\'s domain)'),
};

/** The page of a list: the items to show and the total `count`. */
export function pageOf<T>(items: readonly T[], page: number | undefined, pageSize: number | undefined, pageSizeMax: number): readonly T[] {
  if (pageSize !== undefined) {
    if (pageSize === -1) {
      if (page !== undefined) throw badValue('Can\'t specify page parameter when pagesize is -1 (Unlimited)');
      return items;
    }
    if (pageSize < 1) throw badValue(`Page size can't be less than 1; use -1 for unlimited`);
    if (pageSize > pageSizeMax) throw badValue(`Page size can't exceed max allowed page size value: ${pageSizeMax}`);
  }
  if (page !== undefined && page < 1) throw badValue('Page can\'t be less than 1');
  const size = pageSize ?? pageSizeMax;
  const start = ((page ?? 1) - 1) * size;
  return items.slice(start, start + size);
}

/** Whether any of the texts contains the keyword, without regard to case; no keyword matches all. */
export function matchesKeyword(keyword: string | undefined, ...texts: (string | undefined)[]): boolean {
  if (keyword === undefined || keyword === '') return true;
  const needle = keyword.toLowerCase();
  return texts.some((text) => text !== undefined && text.toLowerCase().includes(needle));
}

export interface ScopeParams {
  listall?: boolean | undefined;
  domainid?: string | undefined;
  isrecursive?: boolean | undefined;
  account?: string | undefined;
}

/**
 * Which accounts' resources a list shows. A user: its own account, always. Admins: with
 * `domainid` (and `isrecursive`) or `account`, those; with `listall`, everything they manage
 * (root admin all, domain admin its subtree); otherwise their own account (`own`, CloudStack's
 * rule for account-owned resources) or every account they manage (`managed`, for accounts and
 * users themselves).
 */
export function accountScope(call: Call, p: ScopeParams, otherwise: 'own' | 'managed'): (accountId: Id) => boolean {
  const { caller } = call.me();
  const state = call.state;
  const own = (accountId: Id): boolean => accountId === caller.accountId;
  const domainOfAccount = (accountId: Id): Id | undefined => state.accounts.get(accountId)?.domainId;
  if (p.domainid !== undefined && !state.domains.has(p.domainid)) throw badValue(`Unable to find domain by id ${p.domainid}`);
  if (caller.role === 'User') {
    if (p.domainid !== undefined && p.domainid !== caller.domainId) throw permissionDenied(`Account ${call.me().account.name} does not have permission to access domain ${p.domainid}`);
    if (p.account !== undefined && p.account !== call.me().account.name) throw permissionDenied(`Account ${call.me().account.name} may not list resources of account ${p.account}`);
    return own;
  }
  if (p.domainid !== undefined && !mayManageDomain(state, caller, p.domainid)) {
    throw permissionDenied(`Account ${call.me().account.name} does not have permission to access domain ${p.domainid}`);
  }
  if (p.account !== undefined) {
    const domainId = p.domainid ?? caller.domainId;
    const accountId = (state.index.accountsByDomain.get(domainId) ?? []).find((id) => state.accounts.get(id)?.name === p.account);
    if (accountId === undefined) throw badValue(`Unable to find account ${p.account} in domain ${state.domains.get(domainId)?.path ?? domainId}`);
    return (id) => id === accountId;
  }
  if (p.domainid !== undefined) {
    const domainId = p.domainid;
    return p.isrecursive ? (id) => isInDomainSubtree(state, domainOfAccount(id) ?? '', domainId) : (id) => domainOfAccount(id) === domainId;
  }
  if (p.listall || otherwise === 'managed') {
    if (caller.role === 'RootAdmin') return () => true;
    return (id) => isInDomainSubtree(state, domainOfAccount(id) ?? '', caller.domainId);
  }
  return own;
}
