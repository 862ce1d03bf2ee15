/**
 * The simulator's public surface: virtual time, the single-writer runtime, simulated drivers,
 * named workloads and faults, invariants, swarm options, drills, `simulate`, forecasts and parallel
 * runs over seeds. See README.md.
 */
export { Dispatcher, EventQueue, SimClock } from './queue.js';
export { rngFor, SimRuntime, type LoggedEvent, type RuntimeCounters, type RuntimeObserver, type RuntimeOptions, type StepResult, type Task } from './runtime.js';
export { API, AGENT, MONITOR, OPERATOR, STORAGE, TIMER, type Source } from './sources.js';
export { DEFAULT_DRIVER_OPTIONS, SimDrivers, type DriverOptions, type EffectMetrics, type EffectModel, type PhysicalChange, type PhysicalListener } from './drivers.js';
export { DEFAULT_INVARIANT_OPTIONS, InvariantChecker, type InvariantOptions } from './invariants.js';
export { SimulationFailure } from './failure.js';
export { DEFAULT_SIMULATION, parseSimulation, type DrillSpec, type SimulationParseResult, type SimulationSpec } from './schema.js';
export { createSimulation, simulate, Simulation, type SimulateOptions, type SimulationResult, type SimulationSetup } from './simulation.js';
export { catalogOf, IMAGE_STORE_DISABLE_THRESHOLD, Sampler, type ResourceCatalog, type Sample } from './metrics.js';
export { convergenceProblems, drillSimulation, runDrill, strandedVms, type DrillOptions, type DrillResult, type StrandedVm } from './drill.js';
export { describeSwarm, swarmOptions, swarmSimulation, type SwarmOptions } from './swarm.js';
export { registeredWorkloads, registerWorkload, workloadEntry, workloadFactory, type SimEnv, type Workload, type WorkloadEntry, type WorkloadFactory } from './workload.js';
export { formatDurationMs, formatSimTime, parseDurationMs } from './distributions.js';
export { calendarDate, DEFAULT_START_DATE, forecast, summarizeRuns, type Forecast, type ForecastDate, type ForecastOptions, type ForecastSeries, type MonteCarloForecast, type ResourceAt, type SeriesKind } from './forecast.js';
export { forecastRun, type ForecastJobInput, type ForecastRun } from './forecast-job.js';
export { DEMAND_WORKLOAD, simulationFromDemand, type DemandWorkload } from './demand-workload.js';
export { describeSimulation } from './describe.js';
export { runSeeds, SeedJobError, seedRange, workerCount, type JobContext, type RunSeedsOptions, type SeedJob, type SeedProgress } from './parallel.js';
export { deployDemand, demandVmCount, settlePopulation, type PopulationReport } from './populate.js';
export { createDrillCloud, DEFAULT_REPAIR_MS, defaultDrillAtMs, DEMAND_DRILL_AT_MS, FAIL_KINDS, populate, populationSource, prepareDrill, resolveTarget, type DrillSetup, type DrillSetupOptions, type FailKind, type FailTarget } from './drill-setup.js';
export { failureDrill, type ApiProbe, type FailureDrillOptions, type FailureDrillOutcome, type FailureDrillResult } from './drill-fail.js';
export { ImpactTracker, type ClusterShortfall, type DownVm, type FailureImpact, type ManagementImpact, type RestartedVm } from './impact.js';
export { evaluateHostLosses, hostsToEvaluate, nMinus1, summarizeHostLosses, type ClusterVerdict, type HostLoss, type HostLossVm, type NMinus1Options, type NMinus1Result } from './nminus1.js';
export { DEFAULT_WINDOW_MS, monteCarloRun, mtbfFaults, percentile, summarizeMonteCarlo, type MonteCarloInput, type MonteCarloRun, type MonteCarloSummary, type MtbfFigures, type Percentiles } from './drill-montecarlo.js';
