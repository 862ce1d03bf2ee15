import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { parseScenarioText } from '../core/scenario/parse.js';
import { createApp } from '../server/app.js';
import { type Branding, DEFAULT_BRANDING, parseBranding } from '../server/console.js';
import { PasswordHasher } from '../server/auth/secrets.js';
import { type BootstrapAdmin, bootstrapCloud } from '../server/bootstrap.js';
import { DEFAULT_SERVE_DRIVERS, IMMEDIATE_DRIVERS } from '../server/drivers.js';
import { ServerRuntime } from '../server/runtime.js';
import { describeLocation, isSurelyEmpty, openStore, storeLocationOf } from '../server/store/open.js';
import type { EventStore } from '../server/store/store.js';
import { SystemTime } from '../server/time.js';
import { EXIT_OK, InputError, problemLines, readInput } from './input.js';

/**
 * `cloudplane serve`: the CloudStack-compatible management server on a durable store. The first
 * start builds the cloud from a scenario and creates the root admin `admin`, whose password and
 * API keys are printed once and written next to the database (readable by the owner only); later
 * starts load the store. Runs until SIGINT or SIGTERM.
 */

const DEFAULT_SCENARIO = fileURLToPath(new URL('../../scenarios/small-deployment.yaml', import.meta.url));
/** The console's bundle, written by the build beside the compiled CLI (dist/console). */
const CONSOLE_DIR = fileURLToPath(new URL('../console/', import.meta.url));

interface ServeOptions {
  scenario?: string;
  db: string;
  adminKeys?: string;
  drivers: 'simulated' | 'immediate';
  port: number;
  host: string;
  branding?: string;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0: any free port)');
  return port;
}

function parseDrivers(text: string): 'simulated' | 'immediate' {
  if (text !== 'simulated' && text !== 'immediate') throw new InvalidArgumentError('the drivers are simulated or immediate');
  return text;
}

/** Where the bootstrap admin's credentials are kept: beside the database. */
export function keysFileOf(dbPath: string): string {
  return `${dbPath}.admin-keys`;
}

function writeKeysFile(path: string, url: string, admin: BootstrapAdmin): void {
  const text = [
    '# The root admin of this cloud, created at its first start. Keep this file private.',
    `url=${url}`,
    `username=${admin.username}`,
    'domain=/',
    `password=${admin.password}`,
    `apikey=${admin.apiKey}`,
    `secretkey=${admin.secretKey}`,
    '',
  ].join('\n');
  writeFileSync(path, text, { mode: 0o600 });
  // An existing file keeps its old mode through writeFileSync; the keys must not stay readable.
  chmodSync(path, 0o600);
}

/** The URL in the keys file follows the server: a later start may listen on another port. */
function updateKeysFileUrl(path: string, url: string): void {
  try {
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace(/^url=.*$/m, `url=${url}`), { mode: 0o600 });
  } catch {
    // An unreadable keys file stays as it is; the credentials in it do not depend on the URL.
  }
}

function loadBranding(file: string | undefined): Branding {
  if (file === undefined) return DEFAULT_BRANDING;
  const loaded = readInput(file);
  if (!loaded.ok) throw new InputError(loaded.message);
  const parsed = parseBranding(loaded.text);
  if (!parsed.ok) throw new InputError(`${parsed.problems.map((p) => `${file}: ${p}`).join('\n')}\n${file}: not a branding file (${parsed.problems.length} problem(s))`);
  return parsed.branding;
}

function loadScenario(file: string) {
  const loaded = readInput(file);
  if (!loaded.ok) throw new InputError(loaded.message);
  const parsed = parseScenarioText(loaded.text);
  if (!parsed.ok) throw new InputError(`${problemLines(file, parsed.problems).join('\n')}\n${file}: cannot be parsed (${parsed.problems.length} problem(s))`);
  return parsed.spec;
}

async function serve(options: ServeOptions): Promise<number> {
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  const location = storeLocationOf(options.db);
  const where = describeLocation(location);
  const scenarioFile = options.scenario ?? DEFAULT_SCENARIO;
  const branding = loadBranding(options.branding);
  // Read the scenario before anything is created: a bad file must leave no half-made database.
  const spec = isSurelyEmpty(location) ? loadScenario(scenarioFile) : undefined;
  let store: EventStore;
  try {
    store = await openStore(location);
  } catch (error) {
    throw new InputError(`${where}: cannot open the database: ${(error as Error).message}`);
  }
  const keysFile = options.adminKeys ?? (location.kind === 'sqlite' ? keysFileOf(location.path) : resolve('cloudplane.admin-keys'));
  const time = new SystemTime();
  const drivers = options.drivers === 'immediate' ? IMMEDIATE_DRIVERS : DEFAULT_SERVE_DRIVERS;
  const passwords = new PasswordHasher();
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let runtime: ServerRuntime;
  let admin: BootstrapAdmin | undefined;
  try {
    const meta = await store.readMeta();
    if (meta && !meta.bootstrapped) throw new InputError(`${where}: the first start of this database did not finish; remove the file and start again`);
    if (!meta) {
      const result = await bootstrapCloud({ store, spec: spec ?? loadScenario(scenarioFile), origin: scenarioFile, clock: time, scheduler: time, passwords, log, drivers, groupCommit: true });
      runtime = result.runtime;
      admin = result.admin;
      const zones = result.runtime.state.zones.size;
      out(`cloudplane serve: built the cloud of ${scenarioFile} (${zones} zone${zones === 1 ? '' : 's'}) into ${store.describe()}`);
      for (const problem of result.problems) out(`  refused by the core: ${problem}`);
    } else {
      if (options.scenario !== undefined) out(`cloudplane serve: ${where} already holds a cloud (from ${meta.origin}); --scenario is ignored`);
      runtime = await ServerRuntime.load({ store, clock: time, scheduler: time, log, drivers, groupCommit: true });
      out(`cloudplane serve: loaded the cloud of ${store.describe()} (from ${meta.origin})`);
    }
  } catch (error) {
    await store.close();
    throw error instanceof InputError ? error : new InputError(`${where}: ${(error as Error).message}`);
  }
  const app = createApp({ runtime, passwords, log, console: { dir: CONSOLE_DIR, branding } });
  const server = await new Promise<Server>((resolveServer, reject) => {
    const s = app.listen(options.port, options.host);
    s.once('listening', () => resolveServer(s));
    s.once('error', (error: NodeJS.ErrnoException) => {
      time.close();
      void runtime.close().then(() => store.close());
      reject(new InputError(`cannot listen on ${options.host}:${options.port}: ${error.code === 'EADDRINUSE' ? 'the address is in use' : error.message}`));
    });
  });
  // Listen for the signals before printing anything: a supervisor (or a test) that reads the first
  // line and stops the server at once must not meet the default disposition, which kills the
  // process without closing the store.
  const stopped = new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      time.close();
      server.close(() => {
        void runtime
          .close()
          .then(() => store.close())
          .then(resolveStop);
      });
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/client/api`;
  out(`listening on ${url}`);
  out(`web console: ${url.slice(0, -'client/api'.length)}`);
  if (admin) {
    writeKeysFile(keysFile, url, admin);
    out('');
    out('root admin (account admin, domain ROOT); shown this once:');
    out(`  username    ${admin.username}`);
    out(`  password    ${admin.password}`);
    out(`  API key     ${admin.apiKey}`);
    out(`  secret key  ${admin.secretKey}`);
    out(`  (also in ${keysFile}, readable by its owner only)`);
  } else if (existsSync(keysFile)) {
    updateKeysFileUrl(keysFile, url);
    out(`root admin credentials: ${keysFile}`);
  } else {
    out(`root admin credentials: not found (${keysFile} was removed)`);
  }
  out('');
  out('call it with CloudMonkey:');
  out(`  cmk set url ${url}`);
  out(`  cmk set apikey ${admin ? admin.apiKey : '<apikey from the keys file>'}`);
  out(`  cmk set secretkey ${admin ? admin.secretKey : '<secretkey from the keys file>'}`);
  out('  cmk sync && cmk list zones');
  out('stop with Ctrl-C');
  await stopped;
  out('cloudplane serve: stopped');
  return EXIT_OK;
}

export function registerServe(program: Command, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('Serve a cloud over the CloudStack API at /client/api; the first start builds it from a scenario.')
    .option('--scenario <file>', 'scenario to build the cloud from at the first start', undefined)
    .option('--db <path|url>', 'the store of the cloud: a SQLite file, or mysql://user:password@host:port/database', 'cloudplane.db')
    .option('--admin-keys <path>', "where the root admin's credentials are written at the first start (default: beside the SQLite file, or ./cloudplane.admin-keys)")
    .option('--drivers <kind>', 'simulated hosts: simulated (VMs start in 2-6 s, stop in 1-3 s) or immediate (they answer at once)', parseDrivers, 'simulated')
    .option('--port <port>', 'TCP port to listen on (0: any free port)', parsePort, 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--branding <file>', 'the web console\'s product name, logo and colours (YAML: productName, logo, colours.primary, colours.accent, colours.headerText)')
    .action(async (options: ServeOptions) => setExit(await serve(options)));
}
