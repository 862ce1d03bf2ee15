import { type OsCategory, osCategoryById, type OsType, osTypeById } from '../../core/data/os-types.js';
import type { Template } from '../../core/model/compute.js';
import { tagsField } from './tags.js';
import { createdOf, defineView, field, type FieldSpec, type ViewContext } from './view.js';

/**
 * Templates and ISOs (ISOs are templates of format ISO, as in CloudStack) once per zone that
 * holds them, as listTemplates and listIsos report them; guest OS types and their categories.
 */

const GIB_BYTES = 1024 ** 3;

/** listTemplates and listIsos report an image once per zone that holds it. */
export interface TemplateInZone {
  template: Template;
  zoneId: string;
}

/** Featured: marked so, or (images the cloud was built with) public images of the system account. */
export function isFeatured(template: Template): boolean {
  return template.isFeatured ?? (template.isPublic && template.accountId === 'system');
}

const ownerDomain = (t: TemplateInZone, ctx: ViewContext) => ctx.state.domains.get(ctx.state.accounts.get(t.template.accountId)?.domainId ?? '');

function imageFields(what: 'template' | 'ISO'): FieldSpec<TemplateInZone>[] {
  return [
    field('id', 'string', `the ID of the ${what}`, (t) => t.template.id),
    field('name', 'string', `the name of the ${what}`, (t) => t.template.name),
    field('displaytext', 'string', `the display text of the ${what}`, (t) => t.template.displayText ?? t.template.name),
    field('format', 'string', `the format of the ${what}`, (t) => t.template.format),
    field('hypervisor', 'string', `the hypervisor the ${what} is for`, (t) => t.template.hypervisor),
    field('size', 'long', `the size of the ${what} in bytes`, (t) => t.template.sizeGiB * GIB_BYTES),
    field('physicalsize', 'long', `the size of the ${what} on secondary storage in bytes`, (t) => t.template.sizeGiB * GIB_BYTES),
    field('ostypeid', 'string', 'the guest OS type', (t) => t.template.osTypeId),
    field('ostypename', 'string', 'the name of the guest OS type', (t) => (t.template.osTypeId === undefined ? undefined : osTypeById(t.template.osTypeId)?.description)),
    field('ispublic', 'boolean', `whether the ${what} is public`, (t) => t.template.isPublic),
    field('isfeatured', 'boolean', `whether the ${what} is featured`, (t) => isFeatured(t.template)),
    field('isready', 'boolean', `whether the ${what} is ready to use`, (t) => t.template.state === 'Ready'),
    field('status', 'string', `the download status of the ${what}`, (t) => (t.template.state === 'Ready' ? 'Download Complete' : 'Removed')),
    field('templatetype', 'string', `the type of the ${what}`, () => 'USER'),
    field('bootable', 'boolean', 'whether a VM boots from it', () => true),
    field('crossZones', 'boolean', `whether the ${what} is available in every zone`, () => false),
    field('isextractable', 'boolean', `whether the ${what} can be downloaded`, () => false),
    field('passwordenabled', 'boolean', `whether the ${what} supports password reset`, () => false),
    field('sshkeyenabled', 'boolean', `whether the ${what} supports SSH key reset`, () => false),
    field('isdynamicallyscalable', 'boolean', 'whether VMs from it can be scaled while running', () => false),
    field('requireshvm', 'boolean', `whether the ${what} needs hardware virtualization`, () => true),
    field('zoneid', 'string', 'the zone ID this entry is about', (t) => t.zoneId),
    field('zonename', 'string', 'the zone name this entry is about', (t, ctx) => ctx.state.zones.get(t.zoneId)?.name),
    field('account', 'string', `the account that owns the ${what}`, (t, ctx) => ctx.state.accounts.get(t.template.accountId)?.name),
    field('accountid', 'string', `the ID of the account that owns the ${what}`, (t) => t.template.accountId),
    field('domainid', 'string', 'the domain ID of the owner', (t, ctx) => ctx.state.accounts.get(t.template.accountId)?.domainId),
    field('domain', 'string', 'the domain name of the owner', (t, ctx) => ownerDomain(t, ctx)?.name),
    field('domainpath', 'string', 'the domain path of the owner', (t, ctx) => ownerDomain(t, ctx)?.path),
    field('created', 'date', `the date the ${what} was registered`, (t, ctx) => createdOf(t.template.id, ctx)),
    tagsField<TemplateInZone>(`the tags of the ${what}`, (t) => t.template.id),
    field('hasannotations', 'boolean', `whether the ${what} has annotations`, () => false),
  ];
}

export const templateView = defineView<TemplateInZone>(imageFields('template'));
export const isoView = defineView<TemplateInZone>(imageFields('ISO'));

export const osTypeView = defineView<OsType>([
  field('id', 'string', 'the ID of the OS type', (t) => t.id),
  field('name', 'string', 'the name of the OS type', (t) => t.description),
  field('description', 'string', 'the description of the OS type', (t) => t.description),
  field('oscategoryid', 'string', 'the ID of the OS category', (t) => t.categoryId),
  field('oscategoryname', 'string', 'the name of the OS category', (t) => osCategoryById(t.categoryId)?.name),
  field('isuserdefined', 'boolean', 'whether the OS type was added by an admin', () => false),
  field('fordisplay', 'boolean', 'whether the OS type is shown to users', () => true),
]);

export const osCategoryView = defineView<OsCategory>([
  field('id', 'string', 'the ID of the OS category', (c) => c.id),
  field('name', 'string', 'the name of the OS category', (c) => c.name),
  field('isfeatured', 'boolean', 'whether the category is featured', () => false),
]);
