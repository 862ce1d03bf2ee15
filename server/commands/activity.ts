import { mayActOn } from '../../core/decide/access.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, defineCommand, listResult } from '../registry/command.js';
import { accountScope, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { asyncJobView, eventView } from '../views/activity.js';

/** Async jobs and events: polling a job, the caller's jobs, the event log. */

export const queryAsyncJobResult = defineCommand({
  name: 'queryAsyncJobResult',
  description: 'Retrieves the current status of asynchronous job.',
  isAsync: false,
  since: '3.0.0',
  related: 'listAsyncJobs',
  params: {
    jobid: param.uuid('the ID of the asynchronous job', { required: true, related: 'listAsyncJobs' }),
  },
  responseObject: 'asyncjobs',
  response: asyncJobView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const job = call.runtime.jobs.get(p.jobid);
    // Someone else's job is reported as unknown: its existence is not the caller's business.
    if (!job || !mayActOn(call.state, call.me().caller, job.accountId)) throw badValue(`Unable to find a job with id ${p.jobid}`);
    return { kind: 'fields', fields: asyncJobView.render(job, call.view()) };
  },
});

export const listAsyncJobs = defineCommand({
  name: 'listAsyncJobs',
  description: 'Lists all pending asynchronous jobs for the account.',
  isAsync: false,
  since: '3.0.0',
  related: 'queryAsyncJobResult',
  params: {
    ...SCOPED_LIST_PARAMS,
    startdate: param.date('list only jobs started at or after this date'),
  },
  responseObject: 'asyncjobs',
  response: asyncJobView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const jobs = [...call.runtime.jobs.all()]
      .filter((j) => inScope(j.accountId) && (p.startdate === undefined || j.createdMs >= p.startdate) && matchesKeyword(p.keyword, j.apiName, j.cmdClass))
      .reverse();
    const ctx = call.view();
    return listResult(jobs, (j) => asyncJobView.render(j, ctx));
  },
});

export const listEvents = defineCommand({
  name: 'listEvents',
  description: 'A command to list events.',
  isAsync: false,
  since: '3.0.0',
  related: 'listEventTypes',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the event', { related: 'listEvents' }),
    type: param.string('the event type (VM.CREATE, USER.LOGIN, ...)'),
    level: param.choice('the event level', ['INFO', 'WARN', 'ERROR'] as const),
    startdate: param.date('list only events at or after this date'),
    enddate: param.date('list only events at or before this date (a plain date includes the whole day)'),
    resourceid: param.uuid('the resource the events are about'),
    resourcetype: param.string('the type of that resource (VirtualMachine, User, ...)'),
  },
  responseObject: 'event',
  response: eventView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    if (p.startdate !== undefined && p.enddate !== undefined && p.enddate < p.startdate) throw badValue('The end date must not be before the start date');
    const inScope = accountScope(call, p, 'own');
    const endMs = p.enddate === undefined ? undefined : p.enddate % 86_400_000 === 0 ? p.enddate + 86_400_000 - 1 : p.enddate;
    const events = call.runtime.activity.events
      .filter(
        (e) =>
          inScope(e.accountId) &&
          (p.id === undefined || e.id === p.id) &&
          (p.type === undefined || e.type.toLowerCase() === p.type.toLowerCase()) &&
          (p.level === undefined || e.level === p.level) &&
          (p.startdate === undefined || e.createdMs >= p.startdate) &&
          (endMs === undefined || e.createdMs <= endMs) &&
          (p.resourceid === undefined || e.resourceId === p.resourceid) &&
          (p.resourcetype === undefined || e.resourceType?.toLowerCase() === p.resourcetype.toLowerCase()) &&
          matchesKeyword(p.keyword, e.description, e.type),
      )
      // Newest first, as CloudStack lists them.
      .reverse();
    const ctx = call.view();
    return listResult(events, (e) => eventView.render(e, ctx));
  },
});
