/**
 * Where a command comes from decides what happens to it while the management server is down.
 * API requests (users, workloads) are refused and counted: nobody answers the API. Reports of
 * the world going on without the management server (host agents, storage and failure
 * monitors, timers) are held and replayed in order when it returns, as agents reconnect and
 * re-send what they saw.
 */
export interface Source {
  readonly name: 'api' | 'agent' | 'storage' | 'monitor' | 'timer' | 'operator';
  /** Held while the management server is down and replayed when it returns. */
  readonly held: boolean;
}

export const API: Source = { name: 'api', held: false };
export const AGENT: Source = { name: 'agent', held: true };
export const STORAGE: Source = { name: 'storage', held: true };
/** Failure detection: host heartbeats and storage heartbeats that stop and start again. */
export const MONITOR: Source = { name: 'monitor', held: true };
export const TIMER: Source = { name: 'timer', held: true };
/** The management server itself stopping and starting (outages, database failovers). */
export const OPERATOR: Source = { name: 'operator', held: false };
