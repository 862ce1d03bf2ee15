import { callerOf } from '../../core/identity.js';
import type { CloudState } from '../../core/model/state.js';
import type { ActivityLog, CloudEvent } from '../activity.js';
import { formatDate, type JsonObject } from '../http/respond.js';
import type { JobRecord } from '../jobs.js';
import { renderEntityResult } from './results.js';
import { defineView, field, type ViewContext } from './view.js';

/** Events and async jobs as listEvents, listAsyncJobs and queryAsyncJobResult report them. */

export const eventView = defineView<CloudEvent>([
  field('id', 'string', 'the ID of the event', (e) => e.id),
  field('type', 'string', 'the type of the event, ENTITY.ACTION', (e) => e.type),
  field('level', 'string', 'the level of the event: INFO, WARN or ERROR', (e) => e.level),
  field('description', 'string', 'what happened', (e) => e.description),
  field('state', 'string', 'the state of the event', () => 'Completed'),
  field('created', 'date', 'when it happened', (e) => formatDate(e.createdMs)),
  field('account', 'string', 'the account the event is about', (e, ctx) => ctx.state.accounts.get(e.accountId)?.name),
  field('domainid', 'string', 'the domain of that account', (e) => e.domainId),
  field('domain', 'string', 'the domain name of that account', (e, ctx) => ctx.state.domains.get(e.domainId)?.name),
  field('domainpath', 'string', 'the domain path of that account', (e, ctx) => ctx.state.domains.get(e.domainId)?.path),
  field('username', 'string', 'the user who caused the event', (e, ctx) => (e.userId === 'system' ? 'system' : ctx.state.users.get(e.userId)?.username)),
  field('resourceid', 'string', 'the ID of the resource the event is about', (e) => e.resourceId),
  field('resourcetype', 'string', 'the type of that resource', (e) => e.resourceType),
  field('resourcename', 'string', 'the name of that resource', (e) => e.resourceName),
  field('archived', 'boolean', 'whether the event is archived', () => false),
]);

export const asyncJobView = defineView<JobRecord>([
  field('jobid', 'string', 'the ID of the job', (j) => j.id),
  field('accountid', 'string', 'the account that started the job', (j) => j.accountId),
  field('account', 'string', 'the name of that account', (j, ctx) => ctx.state.accounts.get(j.accountId)?.name),
  field('domainid', 'string', 'the domain of that account', (j) => j.domainId),
  field('domainpath', 'string', 'the domain path of that account', (j, ctx) => ctx.state.domains.get(j.domainId)?.path),
  field('userid', 'string', 'the user that started the job', (j) => j.userId),
  field('cmd', 'string', 'the command the job runs', (j) => j.cmdClass),
  field('jobstatus', 'integer', 'the status of the job: 0 pending, 1 succeeded, 2 failed', (j) => j.status),
  field('jobprocstatus', 'integer', 'the progress of the job', () => 0),
  field('jobresultcode', 'integer', 'the result code of the job: 0, or 530 when it failed', (j) => j.resultCode),
  field('jobresulttype', 'string', 'the type of the job result', () => 'object'),
  { name: 'jobresult', type: 'responseobject', description: 'the result of the job, once it ended', get: (j) => j.result },
  field('jobinstancetype', 'string', 'the type of the resource the job is about', (j) => j.instanceType),
  field('jobinstanceid', 'string', 'the ID of that resource', (j) => j.instanceId),
  field('created', 'date', 'when the job started', (j) => formatDate(j.createdMs)),
  field('completed', 'date', 'when the job ended', (j) => (j.completedMs === undefined ? undefined : formatDate(j.completedMs))),
]);

/** The result object of a finished job: the entity as the job's caller sees it. */
export function renderJobResult(state: Readonly<CloudState>, job: JobRecord, activity: ActivityLog): JsonObject | undefined {
  if (job.instanceId === undefined) return undefined;
  const ctx: ViewContext = { state, activity, caller: callerOf(state, job.userId) };
  return renderEntityResult(job.responseObject, job.instanceId, ctx);
}
