/**
 * Runs once before any test file: the suites that drive the server with Debian's `cs` and keep
 * a cloud in MariaDB need both, and the browser tests of the web console need Debian's Chromium. When they are missing and this runs as root on Debian, it sets
 * them up with .ci/services (what CI does); otherwise it stops the run at once, saying what is
 * missing, rather than letting those suites fail one by one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';

const SERVICES = fileURLToPath(new URL('../../.ci/services', import.meta.url));

async function mysqlReachable(): Promise<string | undefined> {
  const url = new URL(process.env['CLOUDPLANE_TEST_MYSQL_URL'] ?? 'mysql://cloudplane:cloudplane@127.0.0.1:3306/');
  try {
    const connection = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), connectTimeout: 3000 });
    await connection.end();
    return undefined;
  } catch (error) {
    return `no MySQL/MariaDB server at ${url.host} for user ${url.username} (${(error as Error).message})`;
  }
}

async function missing(): Promise<string[]> {
  const problems: string[] = [];
  if (!existsSync('/usr/bin/cloudstack')) problems.push("Debian's cs package (/usr/bin/cloudstack) is not installed");
  if (!existsSync('/usr/bin/chromium')) problems.push("Debian's Chromium (/usr/bin/chromium) is not installed");
  const database = await mysqlReachable();
  if (database) problems.push(database);
  return problems;
}

export default async function setup(): Promise<void> {
  let problems = await missing();
  if (problems.length === 0) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && process.env['CLOUDPLANE_TEST_MYSQL_URL'] === undefined) {
    process.stdout.write(`test services: ${problems.join('; ')}: running .ci/services\n`);
    execFileSync(SERVICES, { stdio: 'inherit' });
    problems = await missing();
  }
  if (problems.length > 0) throw new Error(`the test suite needs: ${problems.join('; ')}. Run .ci/services as root (Debian), or set CLOUDPLANE_TEST_MYSQL_URL.`);
}
