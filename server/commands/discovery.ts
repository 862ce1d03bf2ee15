import { mayCall } from '../../core/identity.js';
import { settingBoolean, type CloudState } from '../../core/model/state.js';
import { CLOUDSTACK_VERSION, type JsonObject, type JsonValue } from '../http/respond.js';
import { ANY_ROLE, type AnyCommand, defineCommand, listResult } from '../registry/command.js';
import { param } from '../registry/params.js';
import type { ResponseField } from '../views/view.js';

/**
 * API discovery (listApis, generated from the registry) and the capabilities of the cloud.
 * listApis follows the strict shape `cmk sync` parses with type assertions: every api has a
 * string name and description, a boolean isasync, and arrays params and response; every param a
 * string name, description and type and a boolean required.
 */

function responseJson(fields: readonly ResponseField[]): JsonValue[] {
  return fields.map((f) => ({
    name: f.name,
    description: f.description,
    type: f.type,
    ...(f.response ? { response: responseJson(f.response) } : {}),
  }));
}

export function apiJson(command: AnyCommand): JsonObject {
  return {
    name: command.name,
    description: command.description,
    isasync: command.isAsync,
    ...(command.since === undefined ? {} : { since: command.since }),
    ...(command.related === undefined ? {} : { related: command.related }),
    params: Object.entries(command.params)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, spec]) => ({
        name,
        description: spec.description,
        type: spec.type,
        length: spec.length,
        required: spec.required,
        ...(spec.related === undefined ? {} : { related: spec.related }),
        ...(spec.since === undefined ? {} : { since: spec.since }),
      })),
    response: responseJson(command.response),
  };
}

export const listApis = defineCommand({
  name: 'listApis',
  description: 'lists all available apis on the server, provided by the Api Discovery plugin',
  isAsync: false,
  since: '4.1.0',
  params: {
    name: param.string('the name of one API to describe'),
  },
  responseObject: 'api',
  response: [
    { name: 'name', type: 'string', description: 'the name of the api command' },
    { name: 'description', type: 'string', description: 'description of the api' },
    { name: 'isasync', type: 'boolean', description: 'true if api is asynchronous' },
    { name: 'since', type: 'string', description: 'version of CloudStack the api was introduced in' },
    { name: 'related', type: 'string', description: 'comma separated related apis' },
    { name: 'params', type: 'set', description: 'the list params the api accepts' },
    { name: 'response', type: 'set', description: 'api response fields' },
  ],
  roles: ANY_ROLE,
  handle(call, p) {
    const { caller } = call.me();
    const apis = call.registry
      .all()
      .filter((command) => (p.name === undefined || command.name.toLowerCase() === p.name.toLowerCase()) && mayCall(call.state, caller, command.name, command.roles));
    return listResult(apis, apiJson);
  },
});

function capabilities(state: Readonly<CloudState>): JsonObject {
  return {
    cloudstackversion: CLOUDSTACK_VERSION,
    securitygroupsenabled: [...state.zones.values()].some((z) => z.securityGroupsEnabled),
    userpublictemplateenabled: true,
    allowusercreateprojects: true,
    projectinviterequired: false,
    dynamicrolesenabled: true,
    kvmsnapshotenabled: true,
    supportELB: String([...state.zones.values()].some((z) => z.elasticIp)),
    apilimitinterval: 1,
    apilimitmax: 25,
    customdiskofferingminsize: 1,
    customdiskofferingmaxsize: 1024,
    defaultuipagesize: 20,
    allowuserviewdestroyedvm: false,
    allowuserexpungerecovervm: false,
    allowuserexpungerecovervolume: false,
    allowuserviewalldomainaccounts: false,
    allowuserforcestopvm: true,
    dynamicscalingenabled: settingBoolean(state as CloudState, 'enable.dynamic.scale.vm'),
    regionsecondaryenabled: false,
    kubernetesserviceenabled: false,
    kubernetesclusterexperimentalfeaturesenabled: false,
  };
}

export const listCapabilities = defineCommand({
  name: 'listCapabilities',
  description: 'Lists capabilities',
  isAsync: false,
  since: '3.0.0',
  params: {},
  responseObject: 'capability',
  response: [
    { name: 'cloudstackversion', type: 'string', description: 'the version of the cloud' },
    { name: 'securitygroupsenabled', type: 'boolean', description: 'true if any zone has security groups' },
    { name: 'dynamicrolesenabled', type: 'boolean', description: 'true: roles are dynamic (rules)' },
    { name: 'apilimitinterval', type: 'integer', description: 'the API throttling interval in seconds' },
    { name: 'apilimitmax', type: 'integer', description: 'the API calls allowed per interval' },
    { name: 'supportELB', type: 'string', description: 'whether elastic load balancing is supported' },
  ],
  roles: ANY_ROLE,
  handle(call) {
    return { kind: 'object', object: capabilities(call.state) };
  },
});
