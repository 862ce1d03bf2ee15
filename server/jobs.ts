import type { VmState } from '../core/model/compute.js';
import type { HostResourceState, StoragePoolState } from '../core/model/entities.js';
import type { CloudState } from '../core/model/state.js';
import type { ActivityLog } from './activity.js';
import type { JsonObject } from './http/respond.js';

/**
 * Async jobs, as CloudStack clients poll them (queryAsyncJobResult, listAsyncJobs). A job is a
 * record, persisted with the events of the command that started it and of every command that
 * changes it. It finishes when the core reaches the command's end state: what to wait for is
 * data in the record (`awaiting`), so a restarted server judges it the same way.
 */

/** jobstatus: 0 pending, 1 succeeded, 2 failed. */
export type JobStatus = 0 | 1 | 2;

/** What finishes a job, as data. */
export type JobAwait =
  /** A VM reaching one of the `success` states (or, for `goneIs: 'success'`, being expunged). */
  | { kind: 'vm'; vmId: string; success: VmState[]; failure: VmState[]; goneIs: 'success' | 'failure'; errorCode: number }
  /** A host reaching a resource state (Maintenance, Enabled); `failure` states end the job failed. */
  | { kind: 'host'; hostId: string; success: HostResourceState[]; failure: HostResourceState[]; errorCode: number }
  /** A storage pool reaching a state (Maintenance, Up). */
  | { kind: 'storagePool'; storagePoolId: string; success: StoragePoolState[]; errorCode: number };

export interface JobRecord {
  id: string;
  /** The API command that started it (`deployVirtualMachine`). */
  apiName: string;
  /** CloudStack's command class, shown as `cmd`. */
  cmdClass: string;
  accountId: string;
  userId: string;
  domainId: string;
  instanceType?: string;
  instanceId?: string;
  status: JobStatus;
  /** 0, or 530 for a failed job (CloudStack always reports INTERNAL_ERROR there). */
  resultCode: 0 | 530;
  /** Present once the job ended: `{<objectname>: {...}}`, `{success: true}` or `{errorcode, errortext}`. */
  result?: JsonObject;
  createdMs: number;
  completedMs?: number;
  awaiting?: JobAwait;
  /** The result when the entity is gone by the end (a VM destroyed and expunged at once). */
  fallbackResult?: JsonObject;
  /** The object name of a successful result (`virtualmachine`). */
  responseObject: string;
}

/** How a job's result object is rendered from the state (the server's views). */
export type ResultRenderer = (state: Readonly<CloudState>, job: JobRecord, activity: ActivityLog) => JsonObject | undefined;

export type JobVerdict = { done: false; transitional: boolean } | { done: true; ok: true } | { done: true; ok: false; errorCode: number; errorText: string };

const TRANSITIONAL: ReadonlySet<VmState> = new Set<VmState>(['Starting', 'Stopping', 'Migrating']);

/** Whether the job's end state was reached, from the state alone. */
export function judge(state: Readonly<CloudState>, awaiting: JobAwait): JobVerdict {
  if (awaiting.kind === 'host') return judgeHost(state, awaiting);
  if (awaiting.kind === 'storagePool') return judgeStoragePool(state, awaiting);
  const vm = state.vms.get(awaiting.vmId);
  if (!vm || vm.state === 'Expunging') {
    return awaiting.goneIs === 'success' ? { done: true, ok: true } : { done: true, ok: false, errorCode: awaiting.errorCode, errorText: `virtual machine ${awaiting.vmId} no longer exists` };
  }
  if (awaiting.success.includes(vm.state)) return { done: true, ok: true };
  if (awaiting.failure.includes(vm.state)) {
    return { done: true, ok: false, errorCode: awaiting.errorCode, errorText: vm.reason ?? `virtual machine ${vm.name} is ${vm.state}` };
  }
  return { done: false, transitional: TRANSITIONAL.has(vm.state) };
}

function judgeHost(state: Readonly<CloudState>, awaiting: Extract<JobAwait, { kind: 'host' }>): JobVerdict {
  const host = state.hosts.get(awaiting.hostId);
  if (!host) return { done: true, ok: false, errorCode: awaiting.errorCode, errorText: `host ${awaiting.hostId} no longer exists` };
  if (awaiting.success.includes(host.resourceState)) return { done: true, ok: true };
  if (awaiting.failure.includes(host.resourceState)) return { done: true, ok: false, errorCode: awaiting.errorCode, errorText: `host ${host.name} is ${host.resourceState}: some VMs could not be migrated away` };
  return { done: false, transitional: host.resourceState === 'PrepareForMaintenance' };
}

function judgeStoragePool(state: Readonly<CloudState>, awaiting: Extract<JobAwait, { kind: 'storagePool' }>): JobVerdict {
  const pool = state.storagePools.get(awaiting.storagePoolId);
  if (!pool) return { done: true, ok: false, errorCode: awaiting.errorCode, errorText: `storage pool ${awaiting.storagePoolId} no longer exists` };
  return awaiting.success.includes(pool.state) ? { done: true, ok: true } : { done: false, transitional: false };
}

/** The pending and finished jobs of the server, in memory; the runtime persists every change. */
export class JobBook {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly render: ResultRenderer,
    private readonly activity: ActivityLog,
  ) {}

  load(records: readonly JobRecord[]): void {
    for (const record of records) {
      this.jobs.set(record.id, record);
      if (record.status === 0) this.pending.add(record.id);
    }
  }

  get(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  all(): IterableIterator<JobRecord> {
    return this.jobs.values();
  }

  pendingJobs(): JobRecord[] {
    return [...this.pending].map((id) => this.jobs.get(id)!);
  }

  add(record: JobRecord): void {
    this.jobs.set(record.id, record);
    if (record.status === 0) this.pending.add(record.id);
  }

  /** Marks a job done now; returns the changed record. */
  succeed(job: JobRecord, state: Readonly<CloudState>, nowMs: number): JobRecord {
    const result = this.render(state, job, this.activity) ?? job.fallbackResult ?? { success: true };
    return this.finish(job, { status: 1, resultCode: 0, result, completedMs: nowMs });
  }

  fail(job: JobRecord, errorCode: number, errorText: string, nowMs: number): JobRecord {
    return this.finish(job, { status: 2, resultCode: 530, result: { errorcode: errorCode, errortext: errorText }, completedMs: nowMs });
  }

  /** Judges every pending job against the state; returns the jobs that finished. */
  settle(state: Readonly<CloudState>, nowMs: number): JobRecord[] {
    const changed: JobRecord[] = [];
    for (const job of this.pendingJobs()) {
      if (!job.awaiting) {
        changed.push(this.succeed(job, state, nowMs));
        continue;
      }
      const verdict = judge(state, job.awaiting);
      if (!verdict.done) continue;
      changed.push(verdict.ok ? this.succeed(job, state, nowMs) : this.fail(job, verdict.errorCode, verdict.errorText, nowMs));
    }
    return changed;
  }

  private finish(job: JobRecord, end: Pick<JobRecord, 'status' | 'resultCode' | 'result' | 'completedMs'>): JobRecord {
    const record: JobRecord = { ...job, ...end };
    delete record.awaiting;
    delete record.fallbackResult;
    this.jobs.set(record.id, record);
    this.pending.delete(record.id);
    return record;
  }
}
