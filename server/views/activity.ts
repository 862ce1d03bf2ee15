import { callerOf } from '../../core/identity.js';
import type { CloudState } from '../../core/model/state.js';
import type { SettingDefinition } from '../../core/data/settings.js';
import type { ConfigurationScope, SettingValue } from '../../core/model/configuration.js';
import type { ActivityLog, CloudEvent } from '../activity.js';
import type { CloudAlert } from '../alerts.js';
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

export const eventTypeView = defineView<string>([field('name', 'string', 'the event type', (name) => name)]);

export const alertView = defineView<CloudAlert>([
  field('id', 'string', 'the ID of the alert', (a) => a.id),
  field('type', 'integer', 'the type of the alert: CloudStack\'s AlertType number (0 memory, 1 CPU, 3 allocated storage, 4 public IPs, 5 private IPs, 6 secondary storage, 7 host, ...)', (a) => a.type),
  field('name', 'string', 'the name of the alert type', (a) => a.name),
  field('description', 'string', 'what the alert says', (a) => a.description),
  field('sent', 'date', 'when the alert was raised', (a) => formatDate(a.sentMs)),
]);

/** A setting as listConfigurations shows it: globally, or for one zone, cluster, pool, account or domain. */
export interface ConfigurationRow {
  definition: SettingDefinition;
  /** Its position among the settings, shown as CloudStack's numeric id. */
  ordinal: number;
  value: SettingValue | undefined;
  /** The scope the value is for; absent for the global value. */
  scope?: ConfigurationScope;
}

const SETTING_TYPE: Readonly<Record<SettingDefinition['type'], string>> = { number: 'Number', boolean: 'Boolean', string: 'String' };

/** A setting's value as listConfigurations writes it: always text. */
export function settingText(value: SettingValue | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

export const configurationView = defineView<ConfigurationRow>([
  field('id', 'long', 'the ID of the setting', (c) => c.ordinal),
  field('category', 'string', 'the category of the setting', (c) => c.definition.category),
  field('name', 'string', 'the name of the setting', (c) => c.definition.name),
  field('value', 'string', 'the value of the setting (for the scope asked, or globally)', (c) => settingText(c.value)),
  field('defaultvalue', 'string', 'the default value of the setting', (c) => settingText(c.definition.defaultValue)),
  field('description', 'string', 'what the setting does', (c) => c.definition.description),
  field('scope', 'string', 'the scope the setting may be given at: global, zone, cluster, storagepool, account or domain', (c) => c.scope ?? c.definition.scope),
  field('isdynamic', 'boolean', 'whether a change applies without a restart', () => true),
  field('component', 'string', 'the component the setting belongs to', () => 'ManagementServer'),
  field('group', 'string', 'the group of the setting', (c) => c.definition.category),
  field('subgroup', 'string', 'the subgroup of the setting', (c) => c.definition.name.split('.')[0]),
  field('type', 'string', 'the type of the value: Number, Boolean or String', (c) => SETTING_TYPE[c.definition.type]),
  field('options', 'string', 'the values a setting of fixed choices takes, comma-separated', (c) => c.definition.values?.join(',')),
  field('displaytext', 'string', 'the display name of the setting', (c) => c.definition.name.split('.').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ')),
]);
