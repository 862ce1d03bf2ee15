import type { DiskOffering, ServiceOffering } from '../../core/model/entities.js';
import { createdOf, defineView, field } from './view.js';

/** Compute and disk offerings as listServiceOfferings and listDiskOfferings report them. */

export const serviceOfferingView = defineView<ServiceOffering>([
  field('id', 'string', 'the ID of the service offering', (o) => o.id),
  field('name', 'string', 'the name of the service offering', (o) => o.name),
  field('displaytext', 'string', 'the display text of the service offering', (o) => o.displayText ?? o.name),
  field('cpunumber', 'integer', 'the number of CPUs', (o) => o.cpuNumber),
  field('cpuspeed', 'integer', 'the clock rate of a CPU in MHz', (o) => o.cpuSpeedMhz),
  field('memory', 'integer', 'the memory in MiB', (o) => o.memoryMiB),
  field('rootdisksize', 'long', 'the root disk size in GiB, when the offering fixes it', (o) => o.rootDiskGiB),
  field('storagetype', 'string', 'the storage type: shared or local', (o) => o.storageType),
  field('offerha', 'boolean', 'whether VMs of the offering are restarted by HA', (o) => o.offerHa),
  field('limitcpuuse', 'boolean', 'whether the CPU use is capped', (o) => o.limitCpuUse),
  field('hosttags', 'string', 'the host tags, comma-separated', (o) => (o.hostTags.length > 0 ? o.hostTags.join(',') : undefined)),
  field('storagetags', 'string', 'the storage tags, comma-separated', (o) => (o.storageTags.length > 0 ? o.storageTags.join(',') : undefined)),
  field('networkrate', 'integer', 'the network rate in Mb/s', (o) => o.networkRateMbps),
  field('deploymentplanner', 'string', 'the deployment planner', (o) => o.deploymentPlanner),
  field('issystem', 'boolean', 'whether it is a system VM offering', (o) => o.systemVmType !== undefined),
  field('systemvmtype', 'string', 'the system VM type of a system offering', (o) => o.systemVmType),
  field('iscustomized', 'boolean', 'whether CPU and memory are chosen at deployment', () => false),
  field('isvolatile', 'boolean', 'whether the root disk is recreated at each reboot', () => false),
  field('provisioningtype', 'string', 'the provisioning type of the root disk', () => 'thin'),
  field('defaultuse', 'boolean', 'whether it is a default system offering', () => false),
  field('dynamicscalingenabled', 'boolean', 'whether VMs of the offering can be scaled while running', () => true),
  field('state', 'string', 'the state of the offering: Active, or Inactive once deleted', (o) => o.state ?? 'Active'),
  field('created', 'date', 'the date the offering was created', (o, ctx) => createdOf(o.id, ctx)),
  field('hasannotations', 'boolean', 'whether the offering has annotations', () => false),
]);

export const diskOfferingView = defineView<DiskOffering>([
  field('id', 'string', 'the ID of the disk offering', (o) => o.id),
  field('name', 'string', 'the name of the disk offering', (o) => o.name),
  field('displaytext', 'string', 'the display text of the disk offering', (o) => o.displayText ?? o.name),
  field('disksize', 'long', 'the size of the disk in GiB (0 for a customized offering)', (o) => o.sizeGiB ?? 0),
  field('iscustomized', 'boolean', 'whether the size is chosen when a volume is created', (o) => o.customized),
  field('storagetype', 'string', 'the storage type: shared or local', (o) => o.storageType),
  field('tags', 'string', 'the storage tags, comma-separated', (o) => (o.storageTags.length > 0 ? o.storageTags.join(',') : undefined)),
  field('provisioningtype', 'string', 'the provisioning type of the disk', () => 'thin'),
  field('iscustomizediops', 'boolean', 'whether the IOPS are chosen when a volume is created', () => false),
  field('disksizestrictness', 'boolean', 'whether the size must be the offering\'s exactly', () => false),
  field('displayoffering', 'boolean', 'whether the offering is shown to users', () => true),
  field('encrypt', 'boolean', 'whether volumes of the offering are encrypted', () => false),
  field('state', 'string', 'the state of the offering: Active, or Inactive once deleted', (o) => o.state ?? 'Active'),
  field('created', 'date', 'the date the offering was created', (o, ctx) => createdOf(o.id, ctx)),
  field('hasannotations', 'boolean', 'whether the offering has annotations', () => false),
]);
