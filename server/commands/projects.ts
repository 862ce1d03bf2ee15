import { isInDomainSubtree, mayManageDomain } from '../../core/identity.js';
import type { DomainEvent } from '../../core/model/events.js';
import type { Project } from '../../core/model/identity.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult } from '../registry/command.js';
import { LIST_PARAMS, matchesKeyword } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { type ProjectMembership, projectAccountView, projectView } from '../views/identity.js';
import { SUCCESS_FIELDS } from '../views/results.js';

/**
 * Projects: a caller sees the projects its account is a member of; an admin also those of the
 * domains it manages (with listall, or by domainid). Projects own no resources here: VMs,
 * networks and the rest take no projectid.
 */

function createdProjectId(events: readonly DomainEvent[]): string | undefined {
  for (const event of events) if (event.type === 'projectCreated') return event.project.id;
  return undefined;
}

function visibleTo(call: Call, project: Project, all: boolean): boolean {
  const { caller } = call.me();
  if (project.members.some((m) => m.accountId === caller.accountId)) return true;
  return all && caller.role !== 'User' && mayManageDomain(call.state, caller, project.domainId);
}

function projectOf(call: Call, id: string): Project {
  const project = call.state.projects.get(id);
  // A project the caller cannot see is reported as unknown.
  if (!project || !visibleTo(call, project, true)) throw badValue(`Unable to find project by id ${id}`);
  return project;
}

export const listProjects = defineCommand({
  name: 'listProjects',
  description: 'Lists projects and provides detailed information for listed projects',
  isAsync: false,
  since: '3.0.0',
  related: 'createProject',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the project', { related: 'listProjects' }),
    name: param.string('the name of the project'),
    displaytext: param.string('the display text of the project'),
    state: param.string('the state of the projects'),
    listall: param.boolean('true: also the projects of the domains the caller manages'),
    domainid: param.uuid('list only projects of this domain', { related: 'listDomains' }),
    isrecursive: param.boolean('with domainid: the sub-domains too'),
    account: param.string('list only projects this account is a member of'),
    details: param.list('the groups of details to return (all are returned)'),
    tags: param.map('accepted, projects carry no tags here'),
    showicon: param.boolean('accepted, no project has an icon'),
    username: param.string('accepted, projects have account members only here'),
  },
  responseObject: 'project',
  response: projectView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    if (p.domainid !== undefined && !call.state.domains.has(p.domainid)) throw badValue(`Unable to find domain by id ${p.domainid}`);
    const all = p.listall === true || p.domainid !== undefined || p.id !== undefined;
    const projects = [...call.state.projects.values()].filter(
      (project) =>
        visibleTo(call, project, all) &&
        (p.id === undefined || project.id === p.id) &&
        (p.name === undefined || project.name === p.name) &&
        (p.displaytext === undefined || project.displayText === p.displaytext) &&
        (p.state === undefined || project.state.toLowerCase() === p.state.toLowerCase()) &&
        (p.domainid === undefined || (p.isrecursive ? isInDomainSubtree(call.state, project.domainId, p.domainid) : project.domainId === p.domainid)) &&
        (p.account === undefined || project.members.some((m) => call.state.accounts.get(m.accountId)?.name === p.account)) &&
        matchesKeyword(p.keyword, project.name, project.displayText),
    );
    const ctx = call.view();
    return listResult(projects, (project) => projectView.render(project, ctx));
  },
});

export const createProject = defineCommand({
  name: 'createProject',
  description: 'Creates a project',
  isAsync: true,
  since: '3.0.0',
  related: 'listProjects',
  cmdClass: 'org.apache.cloudstack.api.command.user.project.CreateProjectCmd',
  params: {
    name: param.string('the name of the project', { required: true }),
    displaytext: param.string('the display text of the project', { required: true }),
    account: param.string('the owner account (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
    accountid: param.uuid('the owner account by id (admins)', { related: 'listAccounts' }),
    userid: param.uuid('accepted, the owner is an account here', { related: 'listUsers' }),
  },
  responseObject: 'project',
  response: projectView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    let accountId = p.accountid;
    if (accountId === undefined && p.account !== undefined) {
      const domainId = p.domainid ?? call.me().account.domainId;
      accountId = (call.state.index.accountsByDomain.get(domainId) ?? []).find((id) => call.state.accounts.get(id)?.name === p.account);
      if (accountId === undefined) throw badValue(`Unable to find account ${p.account} in domain ${domainId}`);
    }
    const { job } = call.startJob(
      { type: 'createProject', name: p.name, displayText: p.displaytext, ...(accountId === undefined ? {} : { accountId }) },
      { instanceType: 'Project', instanceId: createdProjectId },
    );
    return { kind: 'async', jobId: job.id, ...(job.instanceId === undefined ? {} : { id: job.instanceId }) };
  },
});

export const deleteProject = defineCommand({
  name: 'deleteProject',
  description: 'Deletes a project',
  isAsync: true,
  since: '3.0.0',
  related: 'listProjects',
  cmdClass: 'org.apache.cloudstack.api.command.user.project.DeleteProjectCmd',
  params: {
    id: param.uuid('the ID of the project', { required: true, related: 'listProjects' }),
    cleanup: param.boolean('accepted, a project owns no resources here'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const project = projectOf(call, p.id);
    const { job } = call.startJob({ type: 'deleteProject', id: project.id }, { instanceType: 'Project', instanceId: project.id });
    return { kind: 'async', jobId: job.id };
  },
});

export const listProjectAccounts = defineCommand({
  name: 'listProjectAccounts',
  description: 'Lists project\'s accounts',
  isAsync: false,
  since: '3.0.0',
  related: 'listProjects',
  params: {
    ...LIST_PARAMS,
    projectid: param.uuid('the project', { required: true, related: 'listProjects' }),
    account: param.string('list only this member account'),
    role: param.choice('list only members of this role', ['Admin', 'Regular'] as const),
    userid: param.uuid('accepted, members are accounts here', { related: 'listUsers' }),
    projectroleid: param.uuid('accepted, there are no project roles here'),
  },
  responseObject: 'projectaccount',
  response: projectAccountView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const project = projectOf(call, p.projectid);
    const members: ProjectMembership[] = project.members
      .filter((m) => (p.role === undefined || m.role === p.role) && (p.account === undefined || call.state.accounts.get(m.accountId)?.name === p.account) && matchesKeyword(p.keyword, call.state.accounts.get(m.accountId)?.name))
      .map((m) => ({ project, accountId: m.accountId, role: m.role }));
    const ctx = call.view();
    return listResult(members, (m) => projectAccountView.render(m, ctx));
  },
});

export const addAccountToProject = defineCommand({
  name: 'addAccountToProject',
  description: 'Adds account to a project',
  isAsync: true,
  since: '3.0.0',
  related: 'listProjectAccounts',
  cmdClass: 'org.apache.cloudstack.api.command.user.account.AddAccountToProjectCmd',
  params: {
    projectid: param.uuid('the project', { required: true, related: 'listProjects' }),
    account: param.string('the account to add, in the project\'s domain', { required: true }),
    roletype: param.choice('the role of the account in the project', ['Admin', 'Regular'] as const),
    email: param.string('accepted, invitations are not sent'),
    projectroleid: param.uuid('accepted, there are no project roles here'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const project = projectOf(call, p.projectid);
    const accountId = (call.state.index.accountsByDomain.get(project.domainId) ?? []).find((id) => call.state.accounts.get(id)?.name === p.account);
    if (accountId === undefined) throw badValue(`Unable to find account name=${p.account} in domain id=${project.domainId}`);
    const { job } = call.startJob({ type: 'addAccountToProject', projectId: project.id, accountId, ...(p.roletype === undefined ? {} : { role: p.roletype }) }, { instanceType: 'Project', instanceId: project.id });
    return { kind: 'async', jobId: job.id };
  },
});
