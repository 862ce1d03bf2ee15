/**
 * Whole replies of read-only commands (those declared `cacheable`), kept while the state does
 * not change: the same page asked for again by the same user is written from memory. An entry
 * is valid only at the state version (the runtime's count of applied events) it was made at,
 * so a reply from the cache is byte for byte what the handler would answer.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Buffer>();
  private version = -1;
  private bytes = 0;

  constructor(
    private readonly versionNow: () => number,
    private readonly budgetBytes = 128 * 1024 * 1024,
  ) {}

  get(key: string): Buffer | undefined {
    this.sync();
    return this.entries.get(key);
  }

  /** Keeps a reply made at `version` (the version when its handler ran). */
  set(key: string, version: number, body: Buffer): void {
    this.sync();
    if (version !== this.version) return;
    if (this.bytes + body.length > this.budgetBytes) this.reset();
    this.entries.set(key, body);
    this.bytes += body.length;
  }

  private sync(): void {
    const version = this.versionNow();
    if (version !== this.version) {
      this.reset();
      this.version = version;
    }
  }

  private reset(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
