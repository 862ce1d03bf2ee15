import { fail } from './assert.js';
import type { HoldingRecord } from './capacity.js';
import type { Id } from './model/entities.js';

/**
 * Where a VM record keeps its neighbours in its account's list: fields of the record itself,
 * under symbols, for the reasons HOLD_SLOT gives (capacity.ts). A spread copy of a record carries
 * them, but membership is decided by identity (a neighbour must point back at the record), so a
 * copy is in no list.
 */
export const ACCOUNT_PREVIOUS: unique symbol = Symbol('previous VM of the account');
export const ACCOUNT_NEXT: unique symbol = Symbol('next VM of the account');

/** A VM record made by vmRecord, which starts both links undefined. */
export interface AccountLinkedRecord extends HoldingRecord {
  [ACCOUNT_PREVIOUS]: AccountLinkedRecord | undefined;
  [ACCOUNT_NEXT]: AccountLinkedRecord | undefined;
}

function isLinked(record: object): record is AccountLinkedRecord {
  return ACCOUNT_PREVIOUS in record;
}

/**
 * An account's VMs in the order they were created, as a list threaded through the records
 * themselves. A Set of ids per account did the same at some 31 bytes a VM, and dropping a VM
 * from it read several lines of a table no other step had touched; here it rewrites the links of
 * its two neighbours. Iteration yields ids, as the Set did.
 */
export class AccountVms implements Iterable<Id> {
  private first: AccountLinkedRecord | undefined = undefined;
  private last: AccountLinkedRecord | undefined = undefined;
  size = 0;

  /** Appends a VM record made by vmRecord that is in no list. */
  add(record: { readonly id: Id }): void {
    if (!isLinked(record)) fail(`${record.id} is not a VM record: accounts list the records vmRecord makes`);
    // Linked to anything, it is in a list already (this one, or another account's).
    if (record[ACCOUNT_PREVIOUS] !== undefined || record[ACCOUNT_NEXT] !== undefined || this.first === record) fail(`VM ${record.id} is listed already`);
    record[ACCOUNT_PREVIOUS] = this.last;
    if (this.last) this.last[ACCOUNT_NEXT] = record;
    else this.first = record;
    this.last = record;
    this.size++;
  }

  /**
   * Whether the record itself is in this list. A record is in at most one list, its account's,
   * which the caller names: it is in it when its previous link points back at it, or when it is
   * the first.
   */
  has(record: { readonly id: Id }): record is AccountLinkedRecord {
    if (!isLinked(record)) return false;
    const previous = record[ACCOUNT_PREVIOUS];
    return previous === undefined ? this.first === record : previous[ACCOUNT_NEXT] === record;
  }

  /** Takes the record out; false when it was not in the list. */
  delete(record: { readonly id: Id }): boolean {
    if (!this.has(record)) return false;
    const previous = record[ACCOUNT_PREVIOUS];
    const next = record[ACCOUNT_NEXT];
    if (previous) previous[ACCOUNT_NEXT] = next;
    else this.first = next;
    if (next) next[ACCOUNT_PREVIOUS] = previous;
    else this.last = previous;
    record[ACCOUNT_PREVIOUS] = undefined;
    record[ACCOUNT_NEXT] = undefined;
    this.size--;
    return true;
  }

  *[Symbol.iterator](): IterableIterator<Id> {
    for (let record = this.first; record !== undefined; record = record[ACCOUNT_NEXT]) yield record.id;
  }
}
