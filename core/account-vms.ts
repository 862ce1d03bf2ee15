import { fail } from './assert.js';
import { HoldingRecord } from './capacity.js';
import type { Id } from './model/entities.js';

let previousOf!: (record: AccountLinkedRecord) => AccountLinkedRecord | undefined;
let nextOf!: (record: AccountLinkedRecord) => AccountLinkedRecord | undefined;
let setLinks!: (record: AccountLinkedRecord, previous: AccountLinkedRecord | undefined, next: AccountLinkedRecord | undefined) => void;
let setPrevious!: (record: AccountLinkedRecord, previous: AccountLinkedRecord | undefined) => void;
let setNext!: (record: AccountLinkedRecord, next: AccountLinkedRecord | undefined) => void;
let isLinked!: (record: object) => record is AccountLinkedRecord;

/**
 * A VM record that is a link of its account's list of VMs (AccountVms): it holds its neighbours
 * in private fields, so JSON, copies and deep equality do not see them.
 */
export class AccountLinkedRecord extends HoldingRecord {
  declare id: Id;
  #previous: AccountLinkedRecord | undefined = undefined;
  #next: AccountLinkedRecord | undefined = undefined;

  static {
    previousOf = (record) => record.#previous;
    nextOf = (record) => record.#next;
    setLinks = (record, previous, next) => {
      record.#previous = previous;
      record.#next = next;
    };
    setPrevious = (record, previous) => {
      record.#previous = previous;
    };
    setNext = (record, next) => {
      record.#next = next;
    };
    isLinked = (record): record is AccountLinkedRecord => #previous in record;
  }
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
    if (this.has(record)) fail(`VM ${record.id} is listed already`);
    setLinks(record, this.last, undefined);
    if (this.last) setNext(this.last, record);
    else this.first = record;
    this.last = record;
    this.size++;
  }

  /**
   * Whether the record is in this list. A record is in at most one list, its account's, which
   * the caller names; one with no neighbours is in it only as its only member.
   */
  has(record: { readonly id: Id }): record is AccountLinkedRecord {
    if (!isLinked(record)) return false;
    return previousOf(record) !== undefined || nextOf(record) !== undefined || this.first === record;
  }

  /** Takes the record out; false when it was not in the list. */
  delete(record: { readonly id: Id }): boolean {
    if (!this.has(record)) return false;
    const previous = previousOf(record);
    const next = nextOf(record);
    if (previous) setNext(previous, next);
    else this.first = next;
    if (next) setPrevious(next, previous);
    else this.last = previous;
    setLinks(record, undefined, undefined);
    this.size--;
    return true;
  }

  *[Symbol.iterator](): IterableIterator<Id> {
    for (let record = this.first; record !== undefined; record = nextOf(record)) yield record.id;
  }
}
