import type { Command } from '../core/model/commands.js';
import { ROOT_DOMAIN_ID } from '../core/model/state.js';
import { SYSTEM_CALLER } from '../core/ports.js';
import { buildScenario } from '../core/scenario/build.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';
import { generateApiKeys, generatePassword, type PasswordHasher } from './auth/secrets.js';
import { type RuntimeOptions, ServerRuntime, SYSTEM_ACTOR } from './runtime.js';
import { STORE_FORMAT_VERSION } from './store/store.js';

/**
 * The first start of a served cloud: the scenario is built through the core's commands (the same
 * builder `plan` and `simulate` use), its events become the first batch of the store, then the
 * running cloud is set up through the runtime like any later change: the scenario's templates
 * and ISOs registered, the system VMs of each zone started, and the root admin account `admin`
 * created with a user `admin`, a random password and API keys. The store is marked bootstrapped
 * last: a store without the mark is an interrupted first start, which a later start refuses.
 */

export interface BootstrapOptions extends Omit<RuntimeOptions, 'restoreSnapshot'> {
  spec: ScenarioSpec;
  /** Where the cloud came from, for people (the scenario file). */
  origin: string;
  passwords: PasswordHasher;
}

export interface BootstrapAdmin {
  accountId: string;
  userId: string;
  username: string;
  password: string;
  apiKey: string;
  secretKey: string;
}

export interface BootstrapResult {
  runtime: ServerRuntime;
  admin: BootstrapAdmin;
  /** Declarations of the scenario the core refused (its design errors), one line each. */
  problems: string[];
}

export const BOOTSTRAP_ADMIN = 'admin';

export async function bootstrapCloud(options: BootstrapOptions): Promise<BootstrapResult> {
  const { store, spec } = options;
  if (await store.readMeta()) throw new Error('the store already holds a cloud');
  const built = buildScenario(spec, { mode: 'enforce' });
  const problems = built.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.path}: ${f.message}`);
  const nowMs = options.clock.nowMs();
  await store.writeMeta({ formatVersion: STORE_FORMAT_VERSION, idNamespace: built.state.idNamespace, createdMs: nowMs, origin: options.origin, bootstrapped: false });
  await store.append([{ batch: 1, atMs: nowMs, command: 'buildScenario', actor: SYSTEM_ACTOR, events: built.events.map((event) => JSON.stringify(event)), jobs: [], timersAdded: [], timersRemoved: [] }]);
  const runtime = await ServerRuntime.load({ ...options, restoreSnapshot: false });
  const run = (command: Command, what: string): void => {
    const result = runtime.submit(command, SYSTEM_CALLER);
    if (!result.ok) problems.push(`${result.rejection.code} ${what}: ${result.rejection.message}`);
  };
  for (const template of spec.templates ?? []) {
    const format = template.hypervisor === 'VMware' ? 'OVA' : template.hypervisor === 'XenServer' || template.hypervisor === 'XenProject' || template.hypervisor === 'Hyperv' ? 'VHD' : 'QCOW2';
    run({ type: 'registerTemplate', name: template.name, accountId: 'system', format, sizeGiB: template.sizeGiB, isPublic: true, ...(template.hypervisor ? { hypervisor: template.hypervisor } : {}) }, `template ${template.name}`);
  }
  for (const iso of spec.isos ?? []) run({ type: 'registerTemplate', name: iso.name, accountId: 'system', format: 'ISO', sizeGiB: iso.sizeGiB, isPublic: true }, `ISO ${iso.name}`);
  for (const zone of runtime.state.zones.values()) {
    if (zone.zoneType !== 'Edge') run({ type: 'ensureSystemVms', zoneId: zone.id }, `system VMs of zone ${zone.name}`);
  }
  const admin = createAdmin(runtime, options.passwords);
  await runtime.durable();
  await store.writeMeta({ ...(await store.readMeta())!, bootstrapped: true });
  return { runtime, admin, problems };
}

function createAdmin(runtime: ServerRuntime, passwords: PasswordHasher): BootstrapAdmin {
  const password = generatePassword();
  const user = { username: BOOTSTRAP_ADMIN, firstName: 'Admin', lastName: 'User', email: 'admin@localhost', passwordHash: passwords.hash(password) };
  const state = runtime.state;
  const existing = (state.index.accountsByDomain.get(ROOT_DOMAIN_ID) ?? []).map((id) => state.accounts.get(id)!).find((a) => a.name === BOOTSTRAP_ADMIN);
  if (existing && existing.accountType !== 'Admin') throw new Error(`the scenario declares an account "${BOOTSTRAP_ADMIN}" in ROOT that is not a root admin account; the server needs that name for its root admin`);
  const created = existing
    ? runtime.submit({ type: 'createUser', accountId: existing.id, ...user }, SYSTEM_CALLER)
    : runtime.submit({ type: 'createAccount', name: BOOTSTRAP_ADMIN, domainId: ROOT_DOMAIN_ID, accountType: 'Admin', user }, SYSTEM_CALLER);
  if (!created.ok) throw new Error(`the root admin could not be created: ${created.rejection.message}`);
  const userEvent = created.events.find((e) => e.type === 'userCreated');
  if (userEvent?.type !== 'userCreated') throw new Error('the root admin was created without its user');
  const keys = generateApiKeys();
  const registered = runtime.submit({ type: 'registerUserKeys', id: userEvent.user.id, ...keys }, SYSTEM_CALLER);
  if (!registered.ok) throw new Error(`the root admin's keys could not be registered: ${registered.rejection.message}`);
  return { accountId: userEvent.user.accountId, userId: userEvent.user.id, username: BOOTSTRAP_ADMIN, password, ...keys };
}
