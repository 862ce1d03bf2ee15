import type { DomainEvent } from '../../core/model/events.js';
import { ROLE_TYPES } from '../../core/model/identity.js';
import { badValue } from '../errors.js';
import { defineCommand, listResult, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { param } from '../registry/params.js';
import { rolePermissionView, roleView } from '../views/identity.js';
import { SUCCESS_FIELDS } from '../views/results.js';

/**
 * Dynamic roles: custom roles and their ordered allow/deny rules. Root admin business; the rules
 * decide every API call of the accounts that have the role (core/identity.ts mayCall).
 */

function createdRoleId(events: readonly DomainEvent[]): string {
  for (const event of events) if (event.type === 'roleCreated') return event.role.id;
  throw new Error('createRole created no role');
}

export const createRole = defineCommand({
  name: 'createRole',
  description: 'Creates a role',
  isAsync: false,
  since: '4.9.2',
  related: 'listRoles',
  params: {
    name: param.string('the name of the role', { required: true }),
    type: param.choice('the type of the role: Admin, ResourceAdmin, DomainAdmin or User', ROLE_TYPES),
    roleid: param.uuid('a role to copy: its type and its rules', { related: 'listRoles' }),
    description: param.string('the description of the role'),
    ispublic: param.boolean('whether domain admins may give the role to accounts; default true'),
  },
  responseObject: 'role',
  response: roleView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.type === undefined && p.roleid === undefined) throw badValue('Neither role type nor role ID is provided');
    if (p.type !== undefined && p.roleid !== undefined) throw badValue('Both role type and role ID should not be specified');
    const events = call.run({
      type: 'createRole',
      name: p.name,
      ...(p.type === undefined ? {} : { roleType: p.type }),
      ...(p.roleid === undefined ? {} : { fromRoleId: p.roleid }),
      ...(p.description === undefined ? {} : { description: p.description }),
      ...(p.ispublic === undefined ? {} : { isPublic: p.ispublic }),
    });
    return { kind: 'object', object: roleView.render(call.state.roles.get(createdRoleId(events))!, call.view()) };
  },
});

export const updateRole = defineCommand({
  name: 'updateRole',
  description: 'Updates a role',
  isAsync: false,
  since: '4.9.0',
  related: 'listRoles',
  params: {
    id: param.uuid('the ID of the role', { required: true, related: 'listRoles' }),
    name: param.string('the new name of the role'),
    type: param.choice('the new type of the role (only while no account has it)', ROLE_TYPES),
    description: param.string('the new description of the role'),
    ispublic: param.boolean('whether domain admins may give the role to accounts'),
  },
  responseObject: 'role',
  response: roleView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({
      type: 'updateRole',
      id: p.id,
      ...(p.name === undefined ? {} : { name: p.name }),
      ...(p.type === undefined ? {} : { roleType: p.type }),
      ...(p.description === undefined ? {} : { description: p.description }),
      ...(p.ispublic === undefined ? {} : { isPublic: p.ispublic }),
    });
    return { kind: 'object', object: roleView.render(call.state.roles.get(p.id)!, call.view()) };
  },
});

export const deleteRole = defineCommand({
  name: 'deleteRole',
  description: 'Deletes a role',
  isAsync: false,
  since: '4.9.0',
  related: 'listRoles',
  params: {
    id: param.uuid('the ID of the role', { required: true, related: 'listRoles' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({ type: 'deleteRole', id: p.id });
    return { kind: 'success' };
  },
});

export const listRolePermissions = defineCommand({
  name: 'listRolePermissions',
  description: 'Lists role permissions',
  isAsync: false,
  since: '4.9.0',
  related: 'listRoles',
  params: {
    roleid: param.uuid('the role whose rules to list; every role\'s when absent', { related: 'listRoles' }),
  },
  responseObject: 'rolepermission',
  response: rolePermissionView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.roleid !== undefined && !call.state.roles.has(p.roleid)) throw badValue(`Unable to find role with id ${p.roleid}`);
    const roles = p.roleid === undefined ? [...call.state.roles.values()] : [call.state.roles.get(p.roleid)!];
    const ctx = call.view();
    return listResult(roles.flatMap((r) => r.permissions), (r) => rolePermissionView.render(r, ctx));
  },
});

export const createRolePermission = defineCommand({
  name: 'createRolePermission',
  description: 'Adds an API permission to a role',
  isAsync: false,
  since: '4.9.0',
  related: 'listRolePermissions',
  params: {
    roleid: param.uuid('the role', { required: true, related: 'listRoles' }),
    rule: param.string('an API name, or a wildcard such as list*', { required: true }),
    permission: param.choice('allow or deny', ['allow', 'deny'] as const, { required: true }),
    description: param.string('the description of the rule'),
  },
  responseObject: 'rolepermission',
  response: rolePermissionView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    const events = call.run({ type: 'createRolePermission', roleId: p.roleid, rule: p.rule, permission: p.permission, ...(p.description === undefined ? {} : { description: p.description }) });
    const created = events.find((e) => e.type === 'rolePermissionCreated');
    const permission = created?.type === 'rolePermissionCreated' ? call.state.roles.get(p.roleid)!.permissions.find((r) => r.id === created.permission.id) : undefined;
    if (!permission) throw new Error('createRolePermission created no rule');
    return { kind: 'object', object: rolePermissionView.render(permission, call.view()) };
  },
});

export const updateRolePermission = defineCommand({
  name: 'updateRolePermission',
  description: 'Updates a role permission order',
  isAsync: false,
  since: '4.9.0',
  related: 'listRolePermissions',
  params: {
    roleid: param.uuid('the role', { required: true, related: 'listRoles' }),
    ruleorder: param.list('every rule id of the role, in the new order', { related: 'listRolePermissions' }),
    ruleid: param.uuid('a rule of the role whose permission to change (with permission)', { related: 'listRolePermissions' }),
    permission: param.choice('the new permission of that rule', ['allow', 'deny'] as const),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({
      type: 'updateRolePermission',
      roleId: p.roleid,
      ...(p.ruleorder === undefined ? {} : { ruleOrder: p.ruleorder }),
      ...(p.ruleid === undefined ? {} : { permissionId: p.ruleid }),
      ...(p.permission === undefined ? {} : { permission: p.permission }),
    });
    return { kind: 'success' };
  },
});

export const deleteRolePermission = defineCommand({
  name: 'deleteRolePermission',
  description: 'Deletes a role permission',
  isAsync: false,
  since: '4.9.0',
  related: 'listRolePermissions',
  params: {
    id: param.uuid('the ID of the rule', { required: true, related: 'listRolePermissions' }),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    call.run({ type: 'deleteRolePermission', id: p.id });
    return { kind: 'success' };
  },
});
