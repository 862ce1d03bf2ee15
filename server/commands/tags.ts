import { TAGGABLE_TYPES } from '../../core/model/tenant.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, defineCommand, listResult } from '../registry/command.js';
import { accountScope, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { tagView } from '../views/tags.js';

/**
 * Resource tags: created and deleted on several resources of one type at once (async, success),
 * and listed. A tag belongs to the owner of its resource and goes when the resource goes.
 */

const resourceType = (description: string) => param.choice(description, TAGGABLE_TYPES, { required: true });

export const createTags = defineCommand({
  name: 'createTags',
  description: 'Creates resource tag(s)',
  isAsync: true,
  since: '4.0.0',
  related: 'listTags',
  cmdClass: 'org.apache.cloudstack.api.command.user.tag.CreateTagsCmd',
  params: {
    resourceids: param.list('the resources to tag', { required: true }),
    resourcetype: resourceType(`the type of those resources: ${TAGGABLE_TYPES.join(', ')}`),
    tags: param.map('the tags: tags[0].key=k&tags[0].value=v', { required: true }),
    customer: param.string('the customer the tags are for (accepted)'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const tags = p.tags.map((entry) => {
      if (entry['key'] === undefined || entry['value'] === undefined) throw badValue('Every tag needs a key and a value: tags[i].key and tags[i].value');
      return { key: entry['key'], value: entry['value'] };
    });
    const { job } = call.startJob({ type: 'createTags', resourceType: p.resourcetype, resourceIds: p.resourceids, tags }, {});
    return { kind: 'async', jobId: job.id };
  },
});

export const deleteTags = defineCommand({
  name: 'deleteTags',
  description: 'Deleting resource tag(s)',
  isAsync: true,
  since: '4.0.0',
  related: 'listTags',
  cmdClass: 'org.apache.cloudstack.api.command.user.tag.DeleteTagsCmd',
  params: {
    resourceids: param.list('the resources whose tags to delete', { required: true }),
    resourcetype: resourceType('the type of those resources'),
    tags: param.map('only these tags (tags[0].key, and tags[0].value to match the value too); every tag when absent'),
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    const tags = p.tags?.map((entry) => {
      if (entry['key'] === undefined) throw badValue('Every tag to delete needs its key: tags[i].key');
      return { key: entry['key'], ...(entry['value'] === undefined ? {} : { value: entry['value'] }) };
    });
    const { job } = call.startJob({ type: 'deleteTags', resourceType: p.resourcetype, resourceIds: p.resourceids, ...(tags === undefined ? {} : { tags }) }, {});
    return { kind: 'async', jobId: job.id };
  },
});

export const listTags = defineCommand({
  name: 'listTags',
  description: 'List resource tag(s)',
  isAsync: false,
  since: '4.0.0',
  related: 'createTags',
  params: {
    ...SCOPED_LIST_PARAMS,
    resourceid: param.string('the resource whose tags to list'),
    resourcetype: param.choice('the type of the tagged resources', TAGGABLE_TYPES),
    key: param.string('the tag key'),
    value: param.string('the tag value'),
    customer: param.string('the customer of the tags (accepted)'),
  },
  responseObject: 'tag',
  response: tagView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const tags = [...call.state.tags.values()].filter(
      (t) =>
        inScope(t.accountId) &&
        (p.resourceid === undefined || t.resourceId === p.resourceid) &&
        (p.resourcetype === undefined || t.resourceType === p.resourcetype) &&
        (p.key === undefined || t.key === p.key) &&
        (p.value === undefined || t.value === p.value) &&
        matchesKeyword(p.keyword, t.key, t.value),
    );
    const ctx = call.view();
    return listResult(tags, (t) => tagView.render(t, ctx));
  },
});
