import { mayActOn } from '../../core/decide/access.js';
import { badValue } from '../errors.js';
import { EVENT_TYPES } from '../activity.js';
import { ANY_ROLE, defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { accountScope, LIST_PARAMS, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { alertView, asyncJobView, eventTypeView, eventView } from '../views/activity.js';

/** Async jobs, events and alerts: polling a job, the caller's jobs, the event log, the alerts of capacity and hosts. */

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
    state: param.choice('the state of the events', ['Created', 'Scheduled', 'Started', 'Completed'] as const),
    archived: param.boolean('true: the archived events (none are archived here); default false'),
    entrytime: param.integer('with duration: list the events entered this many seconds ago that are still not completed'),
    duration: param.integer('with entrytime: how many seconds an event may take before it is listed as pending'),
    startid: param.uuid('list the events that belong to this start event (every event here completes at once)'),
    projectid: param.uuid('accepted, events of projects are not kept apart', { related: 'listProjects' }),
  },
  responseObject: 'event',
  response: eventView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    if (p.startdate !== undefined && p.enddate !== undefined && p.enddate < p.startdate) throw badValue('The end date must not be before the start date');
    const inScope = accountScope(call, p, 'own');
    if (p.entrytime !== undefined && p.duration !== undefined) {
      if (p.entrytime <= p.duration) throw badValue('Entry time must be greater than duration');
      // Pending events are those started and never completed; every event here completes when it is logged.
      return listResult([], () => ({}));
    }
    if (p.archived === true || (p.state !== undefined && p.state !== 'Completed') || p.startid !== undefined) return listResult([], () => ({}));
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

export const listEventTypes = defineCommand({
  name: 'listEventTypes',
  description: 'List Event Types',
  isAsync: false,
  since: '3.0.0',
  related: 'listEvents',
  params: {},
  responseObject: 'eventtype',
  response: eventTypeView.fields,
  roles: ANY_ROLE,
  handle(call) {
    const ctx = call.view();
    return listResult(EVENT_TYPES, (name) => eventTypeView.render(name, ctx));
  },
});

export const listAlerts = defineCommand({
  name: 'listAlerts',
  description: 'Lists all alerts.',
  isAsync: false,
  since: '3.0.0',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the alert', { related: 'listAlerts' }),
    type: param.string('list only alerts of this type number (0 memory, 1 CPU, 3 allocated storage, 4 public IPs, 5 private IPs, 6 secondary storage, 7 host, 18 VLANs)'),
    name: param.string('list only alerts of this name (ALERT.CPU, ALERT.COMPUTE.HOST, ...)'),
  },
  responseObject: 'alert',
  response: alertView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.type !== undefined && !/^\d+$/.test(p.type)) throw badValue(`Unable to execute API command listalerts due to invalid value. Invalid parameter type value=${p.type} due to incorrect long value format`);
    const alerts = call.runtime.activity.alerts
      .current(call.state)
      .filter(
        (a) =>
          (p.id === undefined || a.id === p.id) &&
          (p.type === undefined || a.type === Number(p.type)) &&
          (p.name === undefined || a.name === p.name) &&
          matchesKeyword(p.keyword, a.description),
      )
      // Newest first, as CloudStack lists them.
      .reverse();
    const ctx = call.view();
    return listResult(alerts, (a) => alertView.render(a, ctx));
  },
});
