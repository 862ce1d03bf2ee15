import type { AffinityGroup } from '../../core/model/compute.js';
import type { SshKeyPair } from '../../core/model/tenant.js';
import { defineView, field, type ViewContext } from './view.js';

/** SSH key pairs (the public half; a created pair's private key is added once, by its command) and affinity groups. */

const ownerDomain = (accountId: string, ctx: ViewContext) => ctx.state.domains.get(ctx.state.accounts.get(accountId)?.domainId ?? '');

export const sshKeyPairView = defineView<SshKeyPair>([
  field('id', 'string', 'the ID of the key pair', (k) => k.id),
  field('name', 'string', 'the name of the key pair', (k) => k.name),
  field('fingerprint', 'string', 'the MD5 fingerprint of the public key, colon-separated hex', (k) => k.fingerprint),
  field('account', 'string', 'the account that owns the key pair', (k, ctx) => ctx.state.accounts.get(k.accountId)?.name),
  field('domainid', 'string', 'the domain of the owner', (k, ctx) => ctx.state.accounts.get(k.accountId)?.domainId),
  field('domain', 'string', 'the domain name of the owner', (k, ctx) => ownerDomain(k.accountId, ctx)?.name),
  field('hasannotations', 'boolean', 'whether the key pair has annotations', () => false),
]);

export const affinityGroupView = defineView<AffinityGroup>([
  field('id', 'string', 'the ID of the affinity group', (g) => g.id),
  field('name', 'string', 'the name of the affinity group', (g) => g.name),
  field('description', 'string', 'the description of the affinity group', (g) => g.description),
  field('type', 'string', 'the type of the affinity group', (g) => g.type),
  field('account', 'string', 'the account that owns the group', (g, ctx) => ctx.state.accounts.get(g.accountId)?.name),
  field('domainid', 'string', 'the domain of the owner', (g, ctx) => ctx.state.accounts.get(g.accountId)?.domainId),
  field('domain', 'string', 'the domain name of the owner', (g, ctx) => ownerDomain(g.accountId, ctx)?.name),
  field('domainpath', 'string', 'the domain path of the owner', (g, ctx) => ownerDomain(g.accountId, ctx)?.path),
  field('virtualmachineIds', 'list', 'the IDs of the VMs in the group', (g) => [...g.vmIds]),
]);

export const affinityGroupTypeView = defineView<string>([field('type', 'string', 'the type of affinity group', (type) => type)]);
