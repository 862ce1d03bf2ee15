/**
 * `cloudplane serve` as a user runs it: the built CLI in a child process. The first start builds
 * the default scenario, prints the URL, the root admin's password and keys, and writes them to a
 * file beside the database that only its owner may read; the keys work against the running
 * server; SIGTERM stops it cleanly; the next start loads the database and points at the keys
 * file instead of printing keys. Bad options and unreadable scenarios exit 2 with a message.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MysqlStore } from '../../server/store/mysql.js';
import { SignedClient, testMysqlServerUrl } from '../server/support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = `${root}dist/cli/main.js`;

let dir: string | undefined;
let child: ChildProcess | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Starts the server and resolves with what it printed up to its last line of instructions. */
function start(args: string[]): Promise<string> {
  child = spawn(process.execPath, [cli, 'serve', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('stop with Ctrl-C\n')) resolve(output);
    });
    child!.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child!.once('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready:\n${output}`)));
  });
}

function stop(): Promise<number | null> {
  return new Promise((resolve) => {
    child!.once('exit', (code) => resolve(code));
    child!.kill('SIGTERM');
  });
}

const valueOf = (output: string, label: string): string => new RegExp(`${label}\\s+(\\S+)`).exec(output)![1]!;

describe('cloudplane serve', () => {
  it('builds the cloud, prints the keys once, serves them, stops on SIGTERM and loads the database next time', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudplane-cli-serve-'));
    const db = join(dir, 'cloud.db');
    const first = await start(['--port', '0', '--db', db]);
    expect(first).toContain(`built the cloud of ${root}scenarios/small-deployment.yaml (1 zone) into SQLite ${db}`);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/client\/api)/.exec(first)![1]!;
    const apiKey = valueOf(first, 'API key');
    const secretKey = valueOf(first, 'secret key');
    expect(apiKey).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(first).toContain(`cmk set url ${url}`);
    const keysFile = `${db}.admin-keys`;
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keysFile, 'utf8')).toContain(`apikey=${apiKey}\nsecretkey=${secretKey}\n`);

    const zones = await new SignedClient(url, { apiKey, secretKey }).ok('listZones');
    expect(((zones.zone as Record<string, unknown>[])[0]!).name).toBe('zone1');
    expect(await stop()).toBe(0);

    const second = await start(['--port', '0', '--db', db, '--scenario', 'scenarios/large-redundant.yaml']);
    expect(second).toContain(`${db} already holds a cloud (from ${root}scenarios/small-deployment.yaml); --scenario is ignored`);
    expect(second).toContain(`root admin credentials: ${keysFile}`);
    expect(second).not.toContain(apiKey);
    const url2 = /listening on (http:\/\/127\.0\.0\.1:\d+\/client\/api)/.exec(second)![1]!;
    expect(readFileSync(keysFile, 'utf8')).toContain(`url=${url2}\n`);
    expect(((await new SignedClient(url2, { apiKey, secretKey }).ok('listZones')).zone as unknown[]).length).toBe(1);
    expect(await stop()).toBe(0);
  });

  it('keeps the cloud in MariaDB with --db mysql://, and loads it from there next time', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudplane-cli-serve-'));
    const database = `cloudplane_cli_${process.pid}_${Date.now().toString(36)}`;
    const db = `${testMysqlServerUrl()}${database}`;
    const keys = join(dir, 'keys');
    const first = await start(['--port', '0', '--db', db, '--admin-keys', keys]);
    expect(first).toMatch(new RegExp(`built the cloud of .*small-deployment\\.yaml \\(1 zone\\) into MySQL \\S+MariaDB\\S* at 127\\.0\\.0\\.1:3306/${database}`));
    expect(first).not.toContain(':cloudplane@');
    expect(await stop()).toBe(0);
    const second = await start(['--port', '0', '--db', db, '--admin-keys', keys]);
    expect(second).toMatch(new RegExp(`loaded the cloud of MySQL \\S+ at 127\\.0\\.0\\.1:3306/${database} \\(from .*small-deployment\\.yaml\\)`));
    const url = /listening on (\S+)/.exec(second)![1]!;
    const text = readFileSync(keys, 'utf8');
    const keyOf = (name: string): string => new RegExp(`^${name}=(.*)$`, 'm').exec(text)![1]!;
    expect(((await new SignedClient(url, { apiKey: keyOf('apikey'), secretKey: keyOf('secretkey') }).ok('listZones')).zone as { name: string }[]).map((z) => z.name)).toEqual(['zone1']);
    expect(await stop()).toBe(0);
    const store = await MysqlStore.open(db);
    await store.dropDatabase();
    await store.close();
  });

  it('exits 2 when the database cannot be reached, with the password hidden', () => {
    const result = spawnSync(process.execPath, [cli, 'serve', '--db', 'mysql://someone:secret@127.0.0.1:1/cloud'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^mysql:\/\/someone:\*\*\*@127\.0\.0\.1:1\/cloud: cannot open the database: .*ECONNREFUSED/);
    expect(result.stderr).not.toContain('secret');
    const bad = spawnSync(process.execPath, [cli, 'serve', '--db', 'mysql://127.0.0.1/cloud'], { cwd: root, encoding: 'utf8' });
    expect([bad.status, bad.stderr]).toEqual([2, 'mysql://127.0.0.1/cloud: cannot open the database: mysql://127.0.0.1/cloud: name the user, as mysql://user:password@host/cloud\n']);
  });

  it('exits 2 on a bad port, naming the option', () => {
    const result = spawnSync(process.execPath, [cli, 'serve', '--port', '70000'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("option '--port <port>' argument '70000' is invalid. a port is a whole number from 0 to 65535 (0: any free port)");
  });

  it('exits 2 on an unreadable or invalid scenario, and creates no database', () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudplane-cli-serve-'));
    const db = join(dir, 'cloud.db');
    const missing = spawnSync(process.execPath, [cli, 'serve', '--scenario', 'no-such.yaml', '--db', db], { cwd: root, encoding: 'utf8' });
    expect([missing.status, missing.stderr]).toEqual([2, 'no-such.yaml: cannot read: no such file\n']);
    const invalid = spawnSync(process.execPath, [cli, 'serve', '--scenario', 'scenarios/invalid/cidr-prefix-33.yaml', '--db', db], { cwd: root, encoding: 'utf8' });
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/^scenarios\/invalid\/cidr-prefix-33\.yaml:\d+:\d+: /);
    expect(invalid.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(existsSync(db)).toBe(false);
  });
});

describe('cloudplane serve --branding', () => {
  it('exits 2 on a branding file with bad values, naming each, and creates no database', () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudplane-cli-serve-'));
    const db = join(dir, 'cloud.db');
    const branding = join(dir, 'branding.yaml');
    writeFileSync(branding, 'productName: ""\nlogo: javascript:alert(1)\ncolours:\n  primary: blue\n  shade: "#000"\n');
    const result = spawnSync(process.execPath, [cli, 'serve', '--branding', branding, '--db', db], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')).toEqual([
      `${branding}: productName: productName must not be empty`,
      `${branding}: logo: the logo is a URL path (/img/logo.svg), an http(s) URL or a data:image/… URI`,
      `${branding}: colours.primary: a colour is #rgb or #rrggbb`,
      `${branding}: colours: Unrecognized key: "shade"`,
      `${branding}: not a branding file (4 problem(s))`,
      '',
    ]);
    expect(existsSync(db)).toBe(false);
  });
});
