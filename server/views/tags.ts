import type { Id } from '../../core/model/entities.js';
import type { CloudState } from '../../core/model/state.js';
import type { ResourceTag } from '../../core/model/tenant.js';
import { param } from '../registry/params.js';
import { defineView, field, type FieldSpec, nested } from './view.js';

/**
 * Tags as every taggable resource shows them (`tags: [{key, value, resourcetype, resourceid,
 * account, domainid, domain, domainpath}]`) and as list commands filter by them
 * (`tags[0].key=env&tags[0].value=prod`: a resource must carry every pair given). Shared by the
 * views and lists of VMs, volumes, snapshots and templates, and of networks, addresses and rules.
 */

const domainOfTag = (tag: ResourceTag, state: Readonly<CloudState>) => state.domains.get(state.accounts.get(tag.accountId)?.domainId ?? '');

export const tagView = defineView<ResourceTag>([
  field('key', 'string', 'the tag key', (t) => t.key),
  field('value', 'string', 'the tag value', (t) => t.value),
  field('resourcetype', 'string', 'the type of the tagged resource', (t) => t.resourceType),
  field('resourceid', 'string', 'the ID of the tagged resource', (t) => t.resourceId),
  field('account', 'string', 'the account of the tagged resource', (t, ctx) => ctx.state.accounts.get(t.accountId)?.name),
  field('domainid', 'string', 'the domain of that account', (t, ctx) => ctx.state.accounts.get(t.accountId)?.domainId),
  field('domain', 'string', 'the domain name of that account', (t, ctx) => domainOfTag(t, ctx.state)?.name),
  field('domainpath', 'string', 'the domain path of that account', (t, ctx) => domainOfTag(t, ctx.state)?.path),
]);

/** The tags of a resource, in the order they were created. */
export function tagsOf(state: Readonly<CloudState>, resourceId: Id): ResourceTag[] {
  const out: ResourceTag[] = [];
  for (const id of state.index.tagsByResource.get(resourceId) ?? []) {
    const tag = state.tags.get(id);
    if (tag) out.push(tag);
  }
  return out;
}

/** The `tags` field of a resource's view (always a list, empty when untagged, as CloudStack sends it). */
export function tagsField<T>(description: string, idOf: (record: T) => Id): FieldSpec<T> {
  return nested<T, ResourceTag>('tags', description, tagView, (record, ctx) => tagsOf(ctx.state, idOf(record)));
}

/** The `tags` parameter of list commands. */
export const TAGS_FILTER = {
  tags: param.map('only resources carrying every one of these tags: tags[0].key=k&tags[0].value=v'),
};

/** Whether a resource carries every tag of the filter (keys and values exactly); no filter matches all. */
export function matchesTags(state: Readonly<CloudState>, resourceId: Id, filter: readonly Record<string, string>[] | undefined): boolean {
  if (filter === undefined || filter.length === 0) return true;
  const tags = tagsOf(state, resourceId);
  return filter.every((wanted) => tags.some((tag) => tag.key === wanted['key'] && (wanted['value'] === undefined || tag.value === wanted['value'])));
}
