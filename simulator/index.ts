/**
 * The simulator's public surface: virtual time, the single-writer runtime, simulated drivers,
 * named workloads and faults, invariants, swarm options, drills and `simulate`. See README.md.
 */
export { Dispatcher, EventQueue, SimClock } from './queue.js';
export { rngFor, SimRuntime, type LoggedEvent, type RuntimeCounters, type RuntimeObserver, type RuntimeOptions, type StepResult, type Task } from './runtime.js';
export { API, AGENT, MONITOR, OPERATOR, STORAGE, TIMER, type Source } from './sources.js';
export { DEFAULT_DRIVER_OPTIONS, SimDrivers, type DriverOptions, type EffectMetrics, type EffectModel } from './drivers.js';
export { DEFAULT_INVARIANT_OPTIONS, InvariantChecker, type InvariantOptions } from './invariants.js';
export { SimulationFailure } from './failure.js';
export { DEFAULT_SIMULATION, parseSimulation, type DrillSpec, type SimulationParseResult, type SimulationSpec } from './schema.js';
export { createSimulation, simulate, Simulation, type SimulateOptions, type SimulationResult, type SimulationSetup } from './simulation.js';
export { catalogOf, Sampler, type ResourceCatalog, type Sample } from './metrics.js';
export { convergenceProblems, drillSimulation, runDrill, strandedVms, type DrillOptions, type DrillResult, type StrandedVm } from './drill.js';
export { describeSwarm, swarmOptions, swarmSimulation, type SwarmOptions } from './swarm.js';
export { registeredWorkloads, registerWorkload, workloadEntry, workloadFactory, type SimEnv, type Workload, type WorkloadEntry, type WorkloadFactory } from './workload.js';
export { formatDurationMs, formatSimTime, parseDurationMs } from './distributions.js';
