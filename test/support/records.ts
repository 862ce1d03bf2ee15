import { vmRecord } from '../../core/evolve-lifecycle.js';
import type { Vm } from '../../core/model/compute.js';

/** A running user VM record as evolve stores it, for tests of the structures records take part in. */
export function vmRecordFor(id: string): Vm {
  return vmRecord({
    id,
    name: id,
    kind: 'User',
    accountId: 'a',
    zoneId: 'z',
    serviceOfferingId: 'o',
    state: 'Running',
    hostId: 'h0',
    cpuNumber: 1,
    cpuSpeedMhz: 1000,
    memoryMiB: 512,
    haEnabled: false,
    usesLocalStorage: false,
    hostTags: [],
    affinityGroupIds: [],
    securityGroupIds: [],
    nics: [],
    volumeIds: [],
    stateChangedMs: 0,
  });
}
