/**
 * Results of queries kept while the state stays the same: a list handler that filters 100,000
 * VMs does it once per state version and query, not once per page. An entry is valid only at
 * the version (the runtime's count of applied events) it was computed at, so it can never show
 * anything but what a fresh computation would.
 */
export class QueryMemo {
  private readonly entries = new Map<string, unknown>();
  private version = -1;

  /** At most this many distinct queries are kept per version; more start it over. */
  constructor(
    private readonly versionNow: () => number,
    private readonly maxEntries = 256,
  ) {}

  /** The value of `compute()` for `key` at the current version, computed once per version. */
  get<T>(key: string, compute: () => T): T {
    const version = this.versionNow();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = compute();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
