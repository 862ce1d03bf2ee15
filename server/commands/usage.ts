import { settingNumber } from '../../core/model/state.js';
import { badValue } from '../errors.js';
import { defineCommand, listResult } from '../registry/command.js';
import { accountScope, LIST_PARAMS, matchesKeyword } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { USAGE_TYPES, usageRecords } from '../usage.js';
import { usageRecordView, usageTypeView } from '../views/usage.js';

/** Usage: the records of what each account used, per aggregation window, and the usage types. */

const DAY_MS = 86_400_000;
const USAGE_ROLES = ['Admin', 'ResourceAdmin', 'DomainAdmin'] as const;

export const listUsageRecords = defineCommand({
  name: 'listUsageRecords',
  description: 'Lists usage records for accounts',
  isAsync: false,
  since: '3.0.0',
  related: 'listUsageTypes',
  params: {
    ...LIST_PARAMS,
    startdate: param.date('Start date range for usage record query (use format "yyyy-MM-dd" or the new format "yyyy-MM-dd HH:mm:ss", e.g. startDate=2015-01-01 or startdate=2015-01-01 10:30:00).', { required: true }),
    enddate: param.date('End date range for usage record query (use format "yyyy-MM-dd" or the new format "yyyy-MM-dd HH:mm:ss"); a plain date includes the whole day.', { required: true }),
    type: param.integer('List usage records for the specified usage type (listUsageTypes)'),
    usageid: param.string('List usage records for the specified usage UUID. Can be used only together with TYPE parameter.'),
    account: param.string('List usage records for the specified user.'),
    accountid: param.uuid('List usage records for the specified account', { related: 'listAccounts' }),
    domainid: param.uuid('List usage records for the specified domain.', { related: 'listDomains' }),
    isrecursive: param.boolean('Specify if usage records should be fetched recursively per domain.'),
    projectid: param.uuid('List usage records for specified project', { related: 'listProjects' }),
    includetags: param.boolean('Flag to enable display of Tags for a resource (no usage record carries tags here)'),
    oldformat: param.boolean('Flag to enable description rendered in old format which uses internal database IDs instead of UUIDs (ids here are UUIDs only)'),
  },
  responseObject: 'usagerecord',
  response: usageRecordView.fields,
  roles: USAGE_ROLES,
  handle(call, p) {
    const endMs = p.enddate % DAY_MS === 0 ? p.enddate + DAY_MS - 1 : p.enddate;
    if (endMs < p.startdate) throw badValue('Incorrect Date Range. Start date: ' + new Date(p.startdate).toISOString() + ' is after End date:' + new Date(endMs).toISOString());
    if (p.usageid !== undefined && p.type === undefined) throw badValue('Usageid must be specified together with usageType');
    if (p.type !== undefined && !USAGE_TYPES.some((t) => t.id === p.type)) throw badValue(`Unsupported usage type: ${p.type}`);
    if (p.accountid !== undefined && !call.state.accounts.has(p.accountid)) throw badValue(`Unable to find account by id ${p.accountid}`);
    if (p.projectid !== undefined && !call.state.projects.has(p.projectid)) throw badValue(`Unable to find project by id ${p.projectid}`);
    const inScope = accountScope(call, p, 'managed');
    const accountAllowed = p.accountid === undefined ? inScope : (id: string) => id === p.accountid && inScope(id);
    // accountScope refuses an account or domain the caller may not see; an account id it manages is checked the same way.
    if (p.accountid !== undefined && !inScope(p.accountid)) throw badValue(`Unable to find account by id ${p.accountid}`);
    const records = usageRecords(call.runtime.activity.usage.periods, {
      startMs: p.startdate,
      endMs,
      nowMs: call.runtime.nowMs(),
      aggregationRangeMinutes: settingNumber(call.state, 'usage.stats.job.aggregation.range'),
      // Projects own no resources here, so a project's usage is empty.
      include: (period) =>
        p.projectid === undefined &&
        accountAllowed(period.accountId) &&
        (p.type === undefined || period.usageType === p.type) &&
        (p.usageid === undefined || period.usageId === p.usageid) &&
        matchesKeyword(p.keyword, period.name),
    });
    const ctx = call.view();
    return listResult(records, (r) => usageRecordView.render(r, ctx));
  },
});

export const listUsageTypes = defineCommand({
  name: 'listUsageTypes',
  description: 'List Usage Types',
  isAsync: false,
  since: '3.0.0',
  related: 'listUsageRecords',
  params: {},
  responseObject: 'usagetype',
  response: usageTypeView.fields,
  roles: USAGE_ROLES,
  handle(call) {
    const ctx = call.view();
    return listResult(USAGE_TYPES, (t) => usageTypeView.render(t, ctx));
  },
});
