import { Registry } from '../registry/registry.js';
import { listAsyncJobs, listEvents, queryAsyncJobResult } from './activity.js';
import { listApis, listCapabilities } from './discovery.js';
import { createAccount, createDomain, createUser, getUser, listAccounts, listDomains, listRoles, listUsers, login, logout, registerUserKeys } from './identity.js';
import { listClusters, listHosts, listNetworks, listPods, listZones } from './infrastructure.js';
import { createAffinityGroup, deleteAffinityGroup, listAffinityGroups, listAffinityGroupTypes, updateVMAffinityGroup } from './affinity.js';
import { createSSHKeyPair, deleteSSHKeyPair, listSSHKeyPairs, registerSSHKeyPair } from './keypairs.js';
import {
  createDiskOffering,
  createServiceOffering,
  deleteDiskOffering,
  deleteServiceOffering,
  listDiskOfferings,
  listServiceOfferings,
  updateDiskOffering,
  updateServiceOffering,
} from './offerings.js';
import {
  attachVolume,
  createSnapshot,
  createVolume,
  deleteSnapshot,
  deleteVolume,
  detachVolume,
  listSnapshots,
  listVolumes,
  resizeVolume,
  revertSnapshot,
} from './storage.js';
import { createTags, deleteTags, listTags } from './tags.js';
import {
  createTemplate,
  deleteIso,
  deleteTemplate,
  listIsos,
  listOsCategories,
  listOsTypes,
  listTemplates,
  registerIso,
  registerTemplate,
  updateTemplate,
} from './templates.js';
import {
  deployVirtualMachine,
  destroyVirtualMachine,
  expungeVirtualMachine,
  listVirtualMachines,
  migrateVirtualMachine,
  rebootVirtualMachine,
  recoverVirtualMachine,
  scaleVirtualMachine,
  startVirtualMachine,
  stopVirtualMachine,
  updateVirtualMachine,
} from './vms.js';

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
    rebootVirtualMachine,
    expungeVirtualMachine,
    scaleVirtualMachine,
    migrateVirtualMachine,
    updateVirtualMachine,
    recoverVirtualMachine,
    // offerings
    createServiceOffering,
    updateServiceOffering,
    deleteServiceOffering,
    listDiskOfferings,
    createDiskOffering,
    updateDiskOffering,
    deleteDiskOffering,
    // volumes and snapshots
    listVolumes,
    createVolume,
    attachVolume,
    detachVolume,
    resizeVolume,
    deleteVolume,
    listSnapshots,
    createSnapshot,
    deleteSnapshot,
    revertSnapshot,
    // templates, ISOs and guest OS types
    registerTemplate,
    createTemplate,
    updateTemplate,
    deleteTemplate,
    listIsos,
    registerIso,
    deleteIso,
    listOsTypes,
    listOsCategories,
    // SSH key pairs, tags, affinity groups
    listSSHKeyPairs,
    createSSHKeyPair,
    registerSSHKeyPair,
    deleteSSHKeyPair,
    createTags,
    deleteTags,
    listTags,
    listAffinityGroups,
    listAffinityGroupTypes,
    createAffinityGroup,
    deleteAffinityGroup,
    updateVMAffinityGroup,
    // jobs and events
    queryAsyncJobResult,
    listAsyncJobs,
    listEvents,
  );
}
