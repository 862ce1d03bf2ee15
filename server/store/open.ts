import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MysqlStore, redactMysqlUrl } from './mysql.js';
import { SqliteStore } from './sqlite.js';
import type { EventStore } from './store.js';

/** Where a served cloud keeps its store: a SQLite file, or a MySQL/MariaDB database. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'mysql'; url: string };

/** `--db` as given: mysql://... (or mariadb://...) is a database server, anything else a file. */
export function storeLocationOf(db: string): StoreLocation {
  return /^(mysql|mariadb):\/\//i.test(db) ? { kind: 'mysql', url: db } : { kind: 'sqlite', path: resolve(db) };
}

/** What to call the location in messages (a URL's password hidden). */
export function describeLocation(location: StoreLocation): string {
  return location.kind === 'mysql' ? redactMysqlUrl(location.url) : location.path;
}

/** Whether the location surely holds nothing yet (a SQLite file that does not exist). */
export function isSurelyEmpty(location: StoreLocation): boolean {
  return location.kind === 'sqlite' && !existsSync(location.path);
}

/** Opens the store, creating the file (and its directory) or the database when missing. */
export async function openStore(location: StoreLocation): Promise<EventStore> {
  if (location.kind === 'mysql') return MysqlStore.open(location.url);
  mkdirSync(dirname(location.path), { recursive: true });
  return new SqliteStore(location.path);
}
