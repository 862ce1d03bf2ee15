import { formatCount } from '../format.js';
import { accountLimit, accountResourceCount, domainChain, domainLimit, domainResourceCount, hasOwnLimit, mayManageDomain } from '../identity.js';
import type { Id } from '../model/entities.js';
import type { DomainEvent } from '../model/events.js';
import type { AddAccountToProject, CreateProject, DeleteProject } from '../model/identity-commands.js';
import type { Project } from '../model/identity.js';
import type { CloudState } from '../model/state.js';
import type { Caller } from '../ports.js';
import { segment } from '../paths.js';
import { mayActOn } from './access.js';
import { type DecideContext, type Decision, newId, ParamReader, reject } from './support.js';

/**
 * Projects: created by an account (its owner and first Admin), joined by other accounts of the
 * domain, deleted by an Admin of the project or an admin of its domain. Creating one counts
 * against the owner's `project` limit (resource type 5).
 */

const accepted = (events: DomainEvent[]): Decision => ({ ok: true, events, findings: [] });

/** Whether the caller runs the project: an Admin member's account, or an admin of its domain. */
export function mayManageProject(state: Readonly<CloudState>, caller: Caller, project: Project): boolean {
  if (caller.role !== 'User' && mayManageDomain(state, caller, project.domainId)) return true;
  return project.members.some((m) => m.role === 'Admin' && m.accountId === caller.accountId);
}

/** The owner's project limit and those of its domains, in the words limitExceeded uses. */
function projectLimitExceeded(state: Readonly<CloudState>, accountId: Id): string | undefined {
  const account = state.accounts.get(accountId)!;
  const limit = accountLimit(state, accountId, 'project');
  const current = accountResourceCount(state, accountId, 'project');
  if (limit >= 0 && current + 1 > limit) {
    const source = hasOwnLimit(state, accountId, 'project') ? 'its limit' : 'max.account.projects';
    return `Maximum number of resources of type 'project' for account ${account.name} has been exceeded: it holds ${formatCount(current)} ${current === 1 ? 'project' : 'projects'}, asks for 1 more, and ${source} is ${formatCount(limit)}`;
  }
  if (account.accountType === 'Admin') return undefined;
  for (const domainId of domainChain(state, account.domainId)) {
    const cap = domainLimit(state, domainId, 'project');
    const held = cap < 0 ? 0 : domainResourceCount(state, domainId, 'project');
    if (cap >= 0 && held + 1 > cap) {
      return `Maximum number of resources of type 'project' for domain id=${domainId} has been exceeded: its accounts hold ${formatCount(held)} projects, ${account.name} asks for 1 more, and the domain's limit is ${formatCount(cap)}`;
    }
  }
  return undefined;
}

export function decideCreateProject(state: CloudState, cmd: CreateProject, ctx: DecideContext): Decision {
  const ownerId = cmd.accountId ?? ctx.actor.accountId;
  const owner = state.accounts.get(ownerId);
  if (!owner || owner.id === 'system') return reject('ENTITY_NOT_FOUND', `Unable to find account by id ${ownerId}`);
  if (!mayActOn(state, ctx.actor, owner.id)) return reject('PERMISSION_DENIED', `the caller may not create projects for account ${owner.name}`);
  const params = new ParamReader(`projects/${segment(cmd.name)}`);
  params.name('name', cmd.name);
  params.name('displaytext', cmd.displayText);
  if (params.failed) return params.rejection();
  for (const project of state.projects.values()) {
    if (project.domainId === owner.domainId && project.name === cmd.name) return reject('INVALID_PARAMETER', `Project with name ${cmd.name} already exists in domain id=${owner.domainId}`);
  }
  const limit = projectLimitExceeded(state, owner.id);
  if (limit) return reject('RESOURCE_LIMIT_EXCEEDED', limit);
  const { id, idSeq } = newId(state);
  return accepted([{
    type: 'projectCreated',
    idSeq,
    project: { id, name: cmd.name, displayText: cmd.displayText, domainId: owner.domainId, members: [{ accountId: owner.id, role: 'Admin' }], state: 'Active', createdMs: ctx.nowMs },
  }]);
}

export function decideDeleteProject(state: CloudState, cmd: DeleteProject, ctx: DecideContext): Decision {
  const project = state.projects.get(cmd.id);
  if (!project) return reject('ENTITY_NOT_FOUND', `Unable to find project by id ${cmd.id}`);
  if (!mayManageProject(state, ctx.actor, project)) return reject('PERMISSION_DENIED', `the caller may not delete project ${project.name}`);
  return accepted([{ type: 'projectDeleted', projectId: project.id }]);
}

export function decideAddAccountToProject(state: CloudState, cmd: AddAccountToProject, ctx: DecideContext): Decision {
  const project = state.projects.get(cmd.projectId);
  if (!project) return reject('ENTITY_NOT_FOUND', `Unable to find project by id ${cmd.projectId}`);
  if (!mayManageProject(state, ctx.actor, project)) return reject('PERMISSION_DENIED', `the caller may not add accounts to project ${project.name}`);
  const account = state.accounts.get(cmd.accountId);
  if (!account || account.id === 'system') return reject('ENTITY_NOT_FOUND', `Unable to find account by id ${cmd.accountId}`);
  if (account.domainId !== project.domainId) return reject('INVALID_PARAMETER', `Account ${account.name} is in another domain than project ${project.name}`);
  if (project.members.some((m) => m.accountId === account.id)) return reject('INVALID_PARAMETER', `The account ${account.name} is already assigned to the project ${project.name}`);
  return accepted([{ type: 'projectAccountAdded', projectId: project.id, accountId: account.id, role: cmd.role ?? 'Regular' }]);
}
