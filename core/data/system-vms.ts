/**
 * Sizes of CloudStack's default system offerings ("System Offering For Software Router",
 * Cloud.com-ConsoleProxy, Cloud.com-SecondaryStorage) and their root disk from the system VM
 * template, as allocated on primary storage.
 */
export const SYSTEM_VM_SIZES = {
  DomainRouter: { cpuNumber: 1, cpuSpeedMhz: 500, memoryMiB: 256 },
  InternalLbVm: { cpuNumber: 1, cpuSpeedMhz: 500, memoryMiB: 256 },
  ConsoleProxy: { cpuNumber: 1, cpuSpeedMhz: 500, memoryMiB: 1024 },
  SecondaryStorageVm: { cpuNumber: 1, cpuSpeedMhz: 500, memoryMiB: 512 },
} as const;

export const SYSTEM_VM_ROOT_DISK_GIB = 4;

/** The system account that owns system VMs and routers of shared networks. */
export const SYSTEM_ACCOUNT_ID = 'system';
