import { HYPERVISORS, type Hypervisor } from '../../core/data/hypervisors.js';
import { OS_CATEGORIES, OS_TYPES, DEFAULT_OS_TYPE_ID, osTypeById } from '../../core/data/os-types.js';
import type { Template } from '../../core/model/compute.js';
import type { DomainEvent } from '../../core/model/events.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult } from '../registry/command.js';
import { LIST_PARAMS, matchesKeyword } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { matchesTags, TAGS_FILTER } from '../views/tags.js';
import { isFeatured, isoView, osCategoryView, osTypeView, type TemplateInZone, templateView } from '../views/templates.js';
import { ownerAccountId } from './vms.js';

/**
 * Templates and ISOs (templates of format ISO) and the guest OS catalogue. Registering an image
 * from a URL is sync and answers with the list shape (one entry per zone), as CloudStack does;
 * the server does not download it, so the image is recorded at a nominal size. Templates made
 * from volumes or snapshots take their source's size.
 */

/** The size a registered image is recorded at: nothing is downloaded, so its real size is never known. */
export const REGISTERED_IMAGE_GIB = 2;

const FILTERS = ['featured', 'self', 'selfexecutable', 'sharedexecutable', 'executable', 'community', 'all'] as const;
type Filter = (typeof FILTERS)[number];

const FILTER_HELP =
  'featured (the images the cloud offers everyone), self (the caller\'s own), selfexecutable (the caller\'s own that are ready), sharedexecutable (shared with the caller), executable (everything the caller may deploy from), community (public images that are not featured), all (root admins)';

/** CloudStack's TemplateFilter, for the caller's account; nothing is shared between accounts here but public images. */
function shown(filter: Filter, template: Template, accountId: string): boolean {
  const mine = template.accountId === accountId;
  switch (filter) {
    case 'featured': return isFeatured(template);
    case 'self':
    case 'selfexecutable': return mine;
    case 'sharedexecutable': return false;
    case 'executable': return mine || template.isPublic || isFeatured(template);
    case 'community': return template.isPublic && !isFeatured(template);
    case 'all': return true;
  }
}

interface ImageQuery {
  filter: Filter;
  iso: boolean;
  id?: string | undefined;
  name?: string | undefined;
  keyword?: string | undefined;
  zoneid?: string | undefined;
  hypervisor?: string | undefined;
  tags?: readonly Record<string, string>[] | undefined;
}

function imageRows(call: Call, q: ImageQuery): TemplateInZone[] {
  const { caller } = call.me();
  if (q.filter === 'all' && caller.role !== 'RootAdmin') throw badValue(`Only root admin can list all ${q.iso ? 'ISOs (isofilter' : 'templates (templatefilter'}=all)`);
  const rows: TemplateInZone[] = [];
  for (const template of call.state.templates.values()) {
    if ((template.format === 'ISO') !== q.iso || template.state !== 'Ready') continue;
    if (!shown(q.filter, template, caller.accountId)) continue;
    if ((q.id !== undefined && template.id !== q.id) || (q.name !== undefined && template.name !== q.name) || !matchesKeyword(q.keyword, template.name, template.displayText)) continue;
    if (q.hypervisor !== undefined && template.hypervisor !== undefined && template.hypervisor.toLowerCase() !== q.hypervisor.toLowerCase()) continue;
    if (!matchesTags(call.state, template.id, q.tags)) continue;
    for (const zoneId of template.zoneIds) if (q.zoneid === undefined || q.zoneid === zoneId) rows.push({ template, zoneId });
  }
  return rows;
}

/** A template or ISO a user sees (its own, or a public one); admins find any, and the core says what they may do. */
function visibleImage(call: Call, id: string, iso: boolean): Template {
  const template = call.state.templates.get(id);
  const { caller } = call.me();
  const visible = template && template.state === 'Ready' && (template.format === 'ISO') === iso && (template.isPublic || template.accountId === caller.accountId || caller.role !== 'User');
  if (!visible) throw badValue(`Unable to find ${iso ? 'ISO' : 'template'} with id ${id}`);
  return template;
}

function hypervisorOf(text: string): Hypervisor {
  const found = HYPERVISORS.find((h) => h.toLowerCase() === text.trim().toLowerCase());
  if (!found) throw badValue(`Hypervisor type ${text} is not supported: use one of ${HYPERVISORS.join(', ')}`);
  return found;
}

function zoneIdsOf(call: Call, zoneId: string | undefined, zoneIds: readonly string[] | undefined): string[] | undefined {
  if (zoneId !== undefined && zoneIds !== undefined) throw badValue('Please specify only one of zoneid and zoneids');
  const ids = zoneIds ?? (zoneId === undefined ? undefined : [zoneId]);
  if (ids === undefined) throw badValue('Please specify zoneid or zoneids');
  // -1 is every zone, as CloudStack's cross-zone registration.
  if (ids.includes('-1')) return undefined;
  for (const id of ids) if (!call.state.zones.has(id)) throw badValue(`Unable to find zone with id ${id}`);
  return [...ids];
}

function checkOsType(osTypeId: string | undefined): void {
  if (osTypeId !== undefined && !osTypeById(osTypeId)) throw badValue(`Please specify a valid guest OS type: unable to find guest OS type with id ${osTypeId}`);
}

function registeredId(events: readonly DomainEvent[]): string | undefined {
  for (const event of events) if (event.type === 'templateRegistered') return event.template.id;
  return undefined;
}

function rowsOf(template: Template): TemplateInZone[] {
  return template.zoneIds.map((zoneId) => ({ template, zoneId }));
}

const IMAGE_PARAMS = {
  ...LIST_PARAMS,
  id: param.uuid('the ID of the image', { related: 'listTemplates,listIsos' }),
  name: param.string('the name of the image'),
  zoneid: param.uuid('list only the copies in this zone', { related: 'listZones' }),
  hypervisor: param.string('the hypervisor the images are for'),
  ...TAGS_FILTER,
};

export const listTemplates = defineCommand({
  name: 'listTemplates',
  description: 'List all public, private, and privileged templates.',
  isAsync: false,
  since: '3.0.0',
  related: 'registerTemplate',
  params: {
    ...IMAGE_PARAMS,
    templatefilter: param.choice(`which templates: ${FILTER_HELP}`, FILTERS, { required: true }),
  },
  responseObject: 'template',
  response: templateView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const rows = imageRows(call, { ...p, filter: p.templatefilter, iso: false });
    const ctx = call.view();
    return listResult(rows, (row) => templateView.render(row, ctx));
  },
});

export const listIsos = defineCommand({
  name: 'listIsos',
  description: 'Lists all available ISO files.',
  isAsync: false,
  since: '3.0.0',
  related: 'registerIso',
  params: {
    ...IMAGE_PARAMS,
    isofilter: param.choice(`which ISOs (default selfexecutable): ${FILTER_HELP}`, FILTERS),
    bootable: param.boolean('true for bootable ISOs (all are)'),
    isready: param.boolean('true for ISOs that are ready (all listed are)'),
    ispublic: param.boolean('true for public ISOs only, false for private ones'),
  },
  responseObject: 'iso',
  response: isoView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const rows = imageRows(call, { ...p, filter: p.isofilter ?? 'selfexecutable', iso: true }).filter((row) => (p.ispublic === undefined || row.template.isPublic === p.ispublic) && p.bootable !== false && p.isready !== false);
    const ctx = call.view();
    return listResult(rows, (row) => isoView.render(row, ctx));
  },
});

export const registerTemplate = defineCommand({
  name: 'registerTemplate',
  description: 'Registers a template from a URL in one zone, several, or all (zoneid -1).',
  isAsync: false,
  since: '3.0.0',
  related: 'listTemplates',
  params: {
    name: param.string('the name of the template', { required: true }),
    displaytext: param.string('the display text of the template', { required: true }),
    format: param.choice('the format of the template', ['QCOW2', 'RAW', 'VHD', 'OVA'] as const, { required: true }),
    hypervisor: param.string('the hypervisor the template is for', { required: true }),
    url: param.string('the URL the template is downloaded from', { required: true, length: 2048 }),
    zoneid: param.uuid('the zone of the template; -1 for every zone', { related: 'listZones' }),
    zoneids: param.list('the zones of the template', { related: 'listZones' }),
    ostypeid: param.uuid('the guest OS type of the template', { related: 'listOsTypes' }),
    ispublic: param.boolean('whether every account may deploy from it; default false'),
    isfeatured: param.boolean('whether it is featured (admins); default false'),
    isextractable: param.boolean('whether it can be downloaded (accepted)'),
    passwordenabled: param.boolean('whether it supports password reset (accepted)'),
    sshkeyenabled: param.boolean('whether it supports SSH key reset (accepted)'),
    isdynamicallyscalable: param.boolean('whether VMs from it can be scaled while running (accepted)'),
    requireshvm: param.boolean('whether it needs hardware virtualization (accepted)'),
    checksum: param.string('the checksum of the image (accepted)'),
    bits: param.integer('32 or 64 (accepted)'),
    templatetag: param.string('the tag of the template (accepted)'),
    directdownload: param.boolean('whether hosts download it directly (accepted)'),
    details: param.map('details of the template (accepted)'),
    account: param.string('the account to register the template for (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
  },
  responseObject: 'template',
  response: templateView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const hypervisor = hypervisorOf(p.hypervisor);
    const zoneIds = zoneIdsOf(call, p.zoneid, p.zoneids);
    checkOsType(p.ostypeid);
    if (p.isfeatured && call.me().caller.role !== 'RootAdmin') throw badValue('Only admins can register featured templates');
    const events = call.run({
      type: 'registerTemplate',
      name: p.name,
      accountId: ownerAccountId(call, p.account, p.domainid),
      format: p.format,
      hypervisor,
      sizeGiB: REGISTERED_IMAGE_GIB,
      displayText: p.displaytext,
      osTypeId: p.ostypeid ?? DEFAULT_OS_TYPE_ID,
      isPublic: p.ispublic ?? false,
      ...(p.isfeatured === undefined ? {} : { isFeatured: p.isfeatured }),
      ...(zoneIds === undefined ? {} : { zoneIds }),
    });
    const template = call.state.templates.get(registeredId(events)!)!;
    const ctx = call.view();
    return listResult(rowsOf(template), (row) => templateView.render(row, ctx));
  },
});

export const registerIso = defineCommand({
  name: 'registerIso',
  description: 'Registers an ISO from a URL.',
  isAsync: false,
  since: '3.0.0',
  related: 'listIsos',
  params: {
    name: param.string('the name of the ISO', { required: true }),
    displaytext: param.string('the display text of the ISO', { required: true }),
    url: param.string('the URL the ISO is downloaded from', { required: true, length: 2048 }),
    zoneid: param.uuid('the zone of the ISO; -1 for every zone', { required: true, related: 'listZones' }),
    ostypeid: param.uuid('the guest OS type of the ISO', { related: 'listOsTypes' }),
    ispublic: param.boolean('whether every account may use it; default false'),
    isfeatured: param.boolean('whether it is featured (admins); default false'),
    bootable: param.boolean('whether VMs boot from it (all are here); default true'),
    isextractable: param.boolean('whether it can be downloaded (accepted)'),
    checksum: param.string('the checksum of the image (accepted)'),
    account: param.string('the account to register the ISO for (admins; with domainid)'),
    domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
  },
  responseObject: 'iso',
  response: isoView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const zoneIds = zoneIdsOf(call, p.zoneid, undefined);
    checkOsType(p.ostypeid);
    if (p.isfeatured && call.me().caller.role !== 'RootAdmin') throw badValue('Only admins can register featured ISOs');
    const events = call.run({
      type: 'registerTemplate',
      name: p.name,
      accountId: ownerAccountId(call, p.account, p.domainid),
      format: 'ISO',
      sizeGiB: REGISTERED_IMAGE_GIB,
      displayText: p.displaytext,
      osTypeId: p.ostypeid ?? DEFAULT_OS_TYPE_ID,
      isPublic: p.ispublic ?? false,
      ...(p.isfeatured === undefined ? {} : { isFeatured: p.isfeatured }),
      ...(zoneIds === undefined ? {} : { zoneIds }),
    });
    const iso = call.state.templates.get(registeredId(events)!)!;
    const ctx = call.view();
    return listResult(rowsOf(iso), (row) => isoView.render(row, ctx));
  },
});

export const createTemplate = defineCommand({
  name: 'createTemplate',
  description: 'Creates a template from a volume (a stopped VM\'s root disk, or a data disk) or from a snapshot.',
  isAsync: true,
  since: '3.0.0',
  related: 'listTemplates',
  cmdClass: 'org.apache.cloudstack.api.command.user.template.CreateTemplateCmd',
  params: {
    name: param.string('the name of the template', { required: true }),
    displaytext: param.string('the display text of the template', { required: true }),
    ostypeid: param.uuid('the guest OS type of the template', { required: true, related: 'listOsTypes' }),
    volumeid: param.uuid('the volume to make the template of', { related: 'listVolumes' }),
    snapshotid: param.uuid('the snapshot to make the template of', { related: 'listSnapshots' }),
    ispublic: param.boolean('whether every account may deploy from it; default false'),
    isfeatured: param.boolean('whether it is featured (accepted)'),
    passwordenabled: param.boolean('whether it supports password reset (accepted)'),
    isdynamicallyscalable: param.boolean('whether VMs from it can be scaled while running (accepted)'),
    requireshvm: param.boolean('whether it needs hardware virtualization (accepted)'),
    bits: param.integer('32 or 64 (accepted)'),
    details: param.map('details of the template (accepted)'),
  },
  responseObject: 'template',
  response: templateView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    checkOsType(p.ostypeid);
    let accountId: string;
    if (p.volumeid !== undefined && p.snapshotid === undefined) {
      const volume = call.state.volumes.get(p.volumeid);
      if (!volume || volume.state === 'Destroy') throw badValue(`Unable to find volume with id ${p.volumeid}`);
      accountId = volume.accountId;
    } else if (p.snapshotid !== undefined && p.volumeid === undefined) {
      const snapshot = call.state.snapshots.get(p.snapshotid);
      if (!snapshot || snapshot.state !== 'BackedUp') throw badValue(`Unable to find snapshot with id ${p.snapshotid}`);
      accountId = snapshot.accountId;
    } else {
      throw badValue(p.volumeid === undefined ? 'Failed to create private template record, need to specify snapshotId or volumeId' : 'Failed to create private template record, please specify only one of volume ID and snapshot ID');
    }
    const { job, events } = call.startJob(
      {
        type: 'createTemplate',
        name: p.name,
        accountId,
        displayText: p.displaytext,
        osTypeId: p.ostypeid,
        ...(p.volumeid === undefined ? {} : { volumeId: p.volumeid }),
        ...(p.snapshotid === undefined ? {} : { snapshotId: p.snapshotid }),
        ...(p.ispublic === undefined ? {} : { isPublic: p.ispublic }),
      },
      { instanceType: 'Template', instanceId: registeredId },
    );
    const id = registeredId(events);
    return { kind: 'async', jobId: job.id, ...(id === undefined ? {} : { id }) };
  },
});

export const updateTemplate = defineCommand({
  name: 'updateTemplate',
  description: 'Updates the name, display text or guest OS type of a template.',
  isAsync: false,
  since: '3.0.0',
  related: 'listTemplates',
  params: {
    id: param.uuid('the ID of the template', { required: true, related: 'listTemplates' }),
    name: param.string('the new name'),
    displaytext: param.string('the new display text'),
    ostypeid: param.uuid('the new guest OS type', { related: 'listOsTypes' }),
    format: param.string('the format (accepted, unchanged)'),
    passwordenabled: param.boolean('whether it supports password reset (accepted)'),
    sshkeyenabled: param.boolean('whether it supports SSH key reset (accepted)'),
    isdynamicallyscalable: param.boolean('whether VMs from it can be scaled while running (accepted)'),
    requireshvm: param.boolean('whether it needs hardware virtualization (accepted)'),
    bootable: param.boolean('whether VMs boot from it (accepted)'),
    sortkey: param.integer('the sort key (accepted)'),
    details: param.map('details of the template (accepted)'),
  },
  responseObject: 'template',
  response: templateView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    visibleImage(call, p.id, false);
    checkOsType(p.ostypeid);
    call.run({
      type: 'updateTemplate',
      id: p.id,
      ...(p.name === undefined ? {} : { name: p.name }),
      ...(p.displaytext === undefined ? {} : { displayText: p.displaytext }),
      ...(p.ostypeid === undefined ? {} : { osTypeId: p.ostypeid }),
    });
    const template = call.state.templates.get(p.id)!;
    return { kind: 'object', object: templateView.render({ template, zoneId: template.zoneIds[0]! }, call.view()) };
  },
});

function deleteImage(iso: boolean) {
  return defineCommand({
    name: iso ? 'deleteIso' : 'deleteTemplate',
    description: iso ? 'Deletes an ISO.' : 'Deletes a template; refused while VMs deployed from it exist, unless forced.',
    isAsync: true,
    since: '3.0.0',
    related: iso ? 'listIsos' : 'listTemplates',
    cmdClass: iso ? 'org.apache.cloudstack.api.command.user.iso.DeleteIsoCmd' : 'org.apache.cloudstack.api.command.user.template.DeleteTemplateCmd',
    params: {
      id: param.uuid(`the ID of the ${iso ? 'ISO' : 'template'}`, { required: true, related: iso ? 'listIsos' : 'listTemplates' }),
      zoneid: param.uuid('the zone to delete it from (it is deleted from every zone here)', { related: 'listZones' }),
      forced: param.boolean('delete it even though VMs were deployed from it'),
    },
    responseObject: 'success',
    response: SUCCESS_FIELDS,
    roles: ANY_ROLE,
    handle(call, p) {
      visibleImage(call, p.id, iso);
      const { job } = call.startJob({ type: 'deleteTemplate', id: p.id, ...(p.forced === undefined ? {} : { forced: p.forced }) }, { instanceType: iso ? 'Iso' : 'Template', instanceId: p.id });
      return { kind: 'async', jobId: job.id };
    },
  });
}

export const deleteTemplate = deleteImage(false);
export const deleteIso = deleteImage(true);

export const listOsTypes = defineCommand({
  name: 'listOsTypes',
  description: 'Lists all supported OS types for this cloud.',
  isAsync: false,
  since: '3.0.0',
  related: 'listOsCategories',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the OS type', { related: 'listOsTypes' }),
    oscategoryid: param.uuid('the OS category of the types', { related: 'listOsCategories' }),
    description: param.string('the description of the OS type'),
  },
  responseObject: 'ostype',
  response: osTypeView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const types = OS_TYPES.filter(
      (t) => (p.id === undefined || t.id === p.id) && (p.oscategoryid === undefined || t.categoryId === p.oscategoryid) && (p.description === undefined || t.description === p.description) && matchesKeyword(p.keyword, t.description),
    );
    const ctx = call.view();
    return listResult(types, (t) => osTypeView.render(t, ctx));
  },
});

export const listOsCategories = defineCommand({
  name: 'listOsCategories',
  description: 'Lists all supported OS categories for this cloud.',
  isAsync: false,
  since: '3.0.0',
  related: 'listOsTypes',
  params: {
    ...LIST_PARAMS,
    id: param.uuid('the ID of the OS category', { related: 'listOsCategories' }),
    name: param.string('the name of the OS category'),
  },
  responseObject: 'oscategory',
  response: osCategoryView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const categories = OS_CATEGORIES.filter((c) => (p.id === undefined || c.id === p.id) && (p.name === undefined || c.name === p.name) && matchesKeyword(p.keyword, c.name));
    const ctx = call.view();
    return listResult(categories, (c) => osCategoryView.render(c, ctx));
  },
});
