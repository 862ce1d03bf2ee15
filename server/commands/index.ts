import { Registry } from '../registry/registry.js';
import { listAsyncJobs, listEvents, queryAsyncJobResult } from './activity.js';
import { listApis, listCapabilities } from './discovery.js';
import { createAccount, createDomain, createUser, getUser, listAccounts, listDomains, listRoles, listUsers, login, logout, registerUserKeys } from './identity.js';
import { listClusters, listHosts, listNetworks, listPods, listServiceOfferings, listTemplates, listZones } from './infrastructure.js';
import { deployVirtualMachine, destroyVirtualMachine, listVirtualMachines, startVirtualMachine, stopVirtualMachine } from './vms.js';

/** Every API command the server answers. A new command is defined in a module here and added below. */
export function defaultRegistry(): Registry {
  return new Registry().add(
    // discovery
    listApis,
    listCapabilities,
    // sessions and identity
    login,
    logout,
    createAccount,
    listAccounts,
    createDomain,
    listDomains,
    createUser,
    listUsers,
    getUser,
    registerUserKeys,
    listRoles,
    // infrastructure and catalogue
    listZones,
    listPods,
    listClusters,
    listHosts,
    listServiceOfferings,
    listTemplates,
    listNetworks,
    // virtual machines
    listVirtualMachines,
    deployVirtualMachine,
    startVirtualMachine,
    stopVirtualMachine,
    destroyVirtualMachine,
    // jobs and events
    queryAsyncJobResult,
    listAsyncJobs,
    listEvents,
  );
}
