import type { Command } from '../core/model/commands.js';
import type { Id } from '../core/model/entities.js';
import type { DomainEvent } from '../core/model/events.js';
import { buildScenario } from '../core/scenario/build.js';
import type { InputProblem, SourceMap } from '../core/scenario/parse.js';
import type { ScenarioSpec } from '../core/scenario/schema.js';
import type { EffectMetrics } from './drivers.js';
import type { InvariantOptions } from './invariants.js';
import { type ResourceCatalog, type Sample, Sampler } from './metrics.js';
import { rngFor, type RuntimeCounters, type RuntimeObserver, SimRuntime, type StepResult } from './runtime.js';
import { parseSimulation, type SimulationSpec } from './schema.js';
import { API } from './sources.js';
import { createWorkload, Demand, Names, type SimEnv, type Workload } from './workload.js';

/**
 * A whole run: the scenario built into a cloud, the runtime around it, the workloads and faults
 * of the `simulation:` section, and a sampler. `simulate` runs it for its duration and returns
 * data; drills and tests drive a `Simulation` step by step.
 *
 * Determinism: the seed (options, else the section's, else the scenario's, else 0) fixes every
 * random draw. Each consumer draws from its own stream, derived from the seed and its label
 * ("core", "drivers", "workload:0:steadyArrivals", ...), so the same seed replays the same run
 * exactly, event for event.
 */

export interface SimulateOptions {
  /** Overrides the seed of the section and of the scenario. */
  seed?: number;
  /** A checked section to use instead of the scenario's (from swarmOptions, or a test). */
  simulation?: SimulationSpec;
  /** Locates problems of the scenario's section in its file. */
  source?: SourceMap;
  durationMs?: number;
  sampleEveryMs?: number;
  /** Keep the domain event log (build events included) for replay. Costs memory. */
  recordEvents?: boolean;
  invariants?: Partial<InvariantOptions> | false;
  /** Called with each sample as it is taken. */
  onSample?: (sample: Sample) => void;
  /**
   * Faults start this long after the workloads (a drill lets the cloud fill before anything
   * breaks); their `at` times count from here. Default 0.
   */
  faultsFromMs?: number;
  observers?: RuntimeObserver[];
}

export interface SimulationResult {
  seed: number;
  durationMs: number;
  simulation: SimulationSpec;
  catalog: ResourceCatalog;
  samples: Sample[];
  counters: RuntimeCounters;
  /** What the simulated drivers did, per effect kind. */
  drivers: Record<string, EffectMetrics>;
  workloads: { name: string; metrics: Record<string, number> }[];
  faults: { name: string; metrics: Record<string, number> }[];
  /** What workloads expected and did not see (their check verdicts). */
  checkProblems: string[];
  /** Commands the core refused while the cloud was built or brought up (system VMs). */
  buildProblems: string[];
  /** Tasks taken from the queue. */
  tasksRun: number;
}

export type SimulationSetup = { ok: true; simulation: Simulation } | { ok: false; problems: InputProblem[] };

export function createSimulation(spec: ScenarioSpec, options: SimulateOptions = {}): SimulationSetup {
  let section = options.simulation;
  if (!section) {
    const parsed = parseSimulation(spec.simulation, options.source, spec);
    if (!parsed.ok) return { ok: false, problems: parsed.problems };
    section = parsed.simulation;
  }
  return { ok: true, simulation: new Simulation(spec, section, options) };
}

/** Runs the scenario's simulation (or the given one) for its duration and returns the data. */
export function simulate(spec: ScenarioSpec, options: SimulateOptions = {}): { ok: true; result: SimulationResult } | { ok: false; problems: InputProblem[] } {
  const setup = createSimulation(spec, options);
  if (!setup.ok) return setup;
  const run = setup.simulation;
  run.start();
  run.runUntil(run.durationMs);
  return { ok: true, result: run.finish() };
}

interface Member {
  workload: Workload;
  env: SimEnv;
}

export class Simulation {
  readonly seed: number;
  readonly spec: ScenarioSpec;
  readonly section: SimulationSpec;
  readonly runtime: SimRuntime;
  readonly durationMs: number;
  readonly sampleEveryMs: number;
  readonly sampler: Sampler;
  readonly demand = new Demand();
  /** The events that built the cloud, copied before the run changed anything they point to. */
  readonly buildEvents: DomainEvent[];
  readonly buildProblems: string[];
  private readonly workloads: Member[];
  private readonly faults: Member[];
  private readonly templates = new Map<string, Id | undefined>();
  private readonly faultsFromMs: number;
  private started = false;

  constructor(spec: ScenarioSpec, section: SimulationSpec, options: SimulateOptions) {
    this.spec = spec;
    this.section = section;
    this.seed = options.seed ?? section.seed ?? spec.seed ?? 0;
    this.durationMs = options.durationMs ?? section.durationMs;
    this.sampleEveryMs = options.sampleEveryMs ?? section.sampleEveryMs;
    this.faultsFromMs = options.faultsFromMs ?? 0;
    const built = buildScenario(spec, { mode: 'enforce' });
    this.buildEvents = options.recordEvents ? structuredClone(built.events) : [];
    this.buildProblems = built.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.path}: ${f.message}`);
    this.runtime = new SimRuntime(built.state, {
      seed: this.seed,
      drivers: section.drivers,
      invariants: options.invariants ?? section.invariants,
      ...(options.recordEvents ? { recordEvents: true } : {}),
    });
    this.sampler = new Sampler(this.runtime, options.onSample);
    this.runtime.observe(this.sampler);
    for (const observer of options.observers ?? []) this.runtime.observe(observer);
    const names = new Names(built.state);
    const member = (label: string, workload: Workload): Member => ({ workload, env: this.envFor(label, names) });
    this.workloads = section.workloads.map((entry, i) => member(`workload:${i}:${entry.name}`, createWorkload(entry)));
    this.faults = section.faults.map((entry, i) => member(`fault:${i}:${entry.name}`, createWorkload(entry)));
  }

  get nowMs(): number {
    return this.runtime.nowMs;
  }

  get catalog(): ResourceCatalog {
    return this.sampler.catalog;
  }

  /** Every domain event so far, the build's first (with recordEvents). */
  events(): DomainEvent[] {
    return [...this.buildEvents, ...(this.runtime.eventLog ?? []).map((e) => e.event)];
  }

  /** Brings up system VMs, sets up and starts workloads and faults, and takes the first sample. */
  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.section.systemVms) {
      for (const zone of this.runtime.state.zones.values()) {
        if (zone.zoneType === 'Edge') continue;
        const result = this.runtime.submit({ type: 'ensureSystemVms', zoneId: zone.id }, API);
        if (!result.ok) this.buildProblems.push(`${result.rejection.code} system VMs of zone ${zone.name}: ${result.rejection.message}`);
      }
    }
    const members = [...this.workloads, ...this.faults];
    for (const { workload, env } of members) workload.setup?.(env);
    for (const { workload, env } of this.workloads) workload.start(env);
    for (const { workload, env } of this.faults) {
      if (this.faultsFromMs > 0) this.runtime.later(this.faultsFromMs, () => workload.start(env));
      else workload.start(env);
    }
    this.sampler.every(this.sampleEveryMs);
  }

  runUntil(timeMs: number): number {
    return this.runtime.runUntil(timeMs);
  }

  runFor(ms: number): number {
    return this.runtime.advanceBy(ms);
  }

  /** Workloads start nothing new (VMs already deployed still end their lives). */
  stopWorkloads(): void {
    for (const { workload, env } of this.workloads) workload.stop?.(env);
  }

  /** Faults stop and repair everything they broke, now. */
  healFaults(): void {
    for (const { workload, env } of this.faults) workload.stop?.(env);
  }

  /** Takes the last sample and collects the results. */
  finish(): SimulationResult {
    const last = this.sampler.samples[this.sampler.samples.length - 1];
    if (!last || last.atMs !== this.runtime.nowMs) this.sampler.take();
    const checkProblems: string[] = [];
    for (const { workload, env } of [...this.workloads, ...this.faults]) checkProblems.push(...(workload.check?.(env) ?? []));
    return {
      seed: this.seed,
      durationMs: this.runtime.nowMs,
      simulation: this.section,
      catalog: this.catalog,
      samples: this.sampler.samples,
      counters: this.runtime.counters,
      drivers: Object.fromEntries(this.runtime.drivers.metrics),
      workloads: this.workloads.map(({ workload }) => ({ name: workload.name, metrics: workload.metrics() })),
      faults: this.faults.map(({ workload }) => ({ name: workload.name, metrics: workload.metrics() })),
      checkProblems,
      buildProblems: this.buildProblems,
      tasksRun: this.runtime.dispatcher.tasksRun,
    };
  }

  private envFor(label: string, names: Names): SimEnv {
    const runtime = this.runtime;
    return {
      runtime,
      state: runtime.state,
      rng: rngFor(this.seed, label),
      demand: this.demand,
      names,
      scenario: this.spec,
      horizonMs: this.section.drill.faultsForMs ?? this.durationMs,
      submit: (command: Command): StepResult => runtime.submit(command, API),
      templateId: (name: string) => this.templateId(name),
    };
  }

  /**
   * The id of a scenario template in the cloud. Scenario templates are not part of the built
   * cloud; the first workload (or drill population) to need one registers it.
   */
  templateId(name: string): Id | undefined {
    if (this.templates.has(name)) return this.templates.get(name);
    const template = this.spec.templates?.find((t) => t.name === name);
    let id: Id | undefined;
    if (template) {
      const format = template.hypervisor === 'VMware' ? 'OVA' : template.hypervisor === 'XenServer' || template.hypervisor === 'XenProject' || template.hypervisor === 'Hyperv' ? 'VHD' : 'QCOW2';
      const result = this.runtime.submit({ type: 'registerTemplate', name, accountId: 'system', format, sizeGiB: template.sizeGiB, isPublic: true, ...(template.hypervisor ? { hypervisor: template.hypervisor } : {}) }, API);
      if (result.ok) {
        for (const event of result.step.events) if (event.type === 'templateRegistered') id = event.template.id;
      } else {
        this.buildProblems.push(`${result.rejection.code} template ${name}: ${result.rejection.message}`);
      }
    }
    this.templates.set(name, id);
    return id;
  }
}
