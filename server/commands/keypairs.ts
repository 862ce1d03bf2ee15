import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { DomainEvent } from '../../core/model/events.js';
import { badValue } from '../errors.js';
import { ANY_ROLE, type Call, defineCommand, listResult } from '../registry/command.js';
import { accountScope, matchesKeyword, SCOPED_LIST_PARAMS } from '../registry/lists.js';
import { param } from '../registry/params.js';
import { SUCCESS_FIELDS } from '../views/results.js';
import { sshKeyPairView } from '../views/tenant.js';
import { ownerAccountId } from './vms.js';

/**
 * SSH key pairs. The cloud keeps only public keys: createSSHKeyPair makes an RSA 2048 pair here,
 * hands the public half (OpenSSH format) and its MD5 fingerprint to the core, and answers with
 * the private key, which is never stored and cannot be asked for again.
 */

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An SSH mpint: big-endian, no leading zero bytes, and a zero byte first when the top bit is set. */
function sshMpint(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return sshString(trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** The OpenSSH one-line form of an RSA public key: `ssh-rsa <base64 of the wire blob>`. */
export function openSshPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || jwk.n === undefined || jwk.e === undefined) throw new Error('not an RSA public key');
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshMpint(Buffer.from(jwk.e, 'base64url')), sshMpint(Buffer.from(jwk.n, 'base64url'))]);
  return `ssh-rsa ${blob.toString('base64')}`;
}

/** The key's wire blob, when the text is an OpenSSH public key whose blob names its own type. */
function keyBlob(publicKey: string): Buffer | undefined {
  const match = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: .*)?$/.exec(publicKey);
  if (!match) return undefined;
  const blob = Buffer.from(match[2]!, 'base64');
  if (blob.length < 4) return undefined;
  const typeLength = blob.readUInt32BE(0);
  if (4 + typeLength > blob.length || blob.subarray(4, 4 + typeLength).toString('latin1') !== match[1]) return undefined;
  return blob;
}

/** MD5 of the key blob in colon-separated hex, the fingerprint CloudStack shows. */
export function md5Fingerprint(publicKey: string): string | undefined {
  const blob = keyBlob(publicKey);
  if (!blob) return undefined;
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

function registeredKeyPair(call: Call, events: readonly DomainEvent[]) {
  for (const event of events) if (event.type === 'sshKeyPairRegistered') return call.state.sshKeyPairs.get(event.sshKeyPair.id)!;
  throw new Error('no sshKeyPairRegistered event');
}

const OWNER_PARAMS = {
  account: param.string('the account of the key pair (admins; with domainid)'),
  domainid: param.uuid('the domain of that account', { related: 'listDomains' }),
};

export const listSSHKeyPairs = defineCommand({
  name: 'listSSHKeyPairs',
  description: 'List registered keypairs.',
  isAsync: false,
  since: '4.0.0',
  related: 'createSSHKeyPair,registerSSHKeyPair',
  params: {
    ...SCOPED_LIST_PARAMS,
    id: param.uuid('the ID of the key pair', { related: 'listSSHKeyPairs' }),
    name: param.string('the name of the key pair'),
    fingerprint: param.string('the fingerprint of the key pair'),
  },
  responseObject: 'sshkeypair',
  response: sshKeyPairView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const inScope = accountScope(call, p, 'own');
    const pairs = [...call.state.sshKeyPairs.values()].filter(
      (k) => inScope(k.accountId) && (p.id === undefined || k.id === p.id) && (p.name === undefined || k.name === p.name) && (p.fingerprint === undefined || k.fingerprint === p.fingerprint) && matchesKeyword(p.keyword, k.name),
    );
    const ctx = call.view();
    return listResult(pairs, (k) => sshKeyPairView.render(k, ctx));
  },
});

export const createSSHKeyPair = defineCommand({
  name: 'createSSHKeyPair',
  description: 'Create a new keypair and returns the private key',
  isAsync: false,
  since: '4.0.0',
  related: 'listSSHKeyPairs',
  params: {
    name: param.string('the name of the key pair', { required: true }),
    ...OWNER_PARAMS,
  },
  responseObject: 'keypair',
  response: [...sshKeyPairView.fields, { name: 'privatekey', type: 'string', description: 'the private key, PEM (shown only here, never stored)' }],
  roles: ANY_ROLE,
  handle(call, p) {
    const accountId = ownerAccountId(call, p.account, p.domainid);
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    const openSsh = openSshPublicKey(publicKey);
    const events = call.run({ type: 'registerSSHKeyPair', name: p.name, accountId, publicKey: openSsh, fingerprint: md5Fingerprint(openSsh)! });
    const pair = registeredKeyPair(call, events);
    return { kind: 'object', object: { ...sshKeyPairView.render(pair, call.view()), privatekey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() } };
  },
});

export const registerSSHKeyPair = defineCommand({
  name: 'registerSSHKeyPair',
  description: 'Register a public key in a keypair under a certain name',
  isAsync: false,
  since: '4.0.0',
  related: 'listSSHKeyPairs',
  params: {
    name: param.string('the name of the key pair', { required: true }),
    publickey: param.string('the public key, OpenSSH one-line format', { required: true, length: 5120 }),
    ...OWNER_PARAMS,
  },
  responseObject: 'keypair',
  response: sshKeyPairView.fields,
  roles: ANY_ROLE,
  handle(call, p) {
    const publicKey = p.publickey.trim();
    const fingerprint = md5Fingerprint(publicKey);
    if (fingerprint === undefined) throw badValue('Public key is invalid');
    const accountId = ownerAccountId(call, p.account, p.domainid);
    const events = call.run({ type: 'registerSSHKeyPair', name: p.name, accountId, publicKey, fingerprint });
    return { kind: 'object', object: sshKeyPairView.render(registeredKeyPair(call, events), call.view()) };
  },
});

export const deleteSSHKeyPair = defineCommand({
  name: 'deleteSSHKeyPair',
  description: 'Deletes a keypair by name',
  isAsync: false,
  since: '4.0.0',
  related: 'listSSHKeyPairs',
  params: {
    name: param.string('the name of the key pair', { required: true }),
    ...OWNER_PARAMS,
  },
  responseObject: 'success',
  response: SUCCESS_FIELDS,
  roles: ANY_ROLE,
  handle(call, p) {
    call.run({ type: 'deleteSSHKeyPair', name: p.name, accountId: ownerAccountId(call, p.account, p.domainid) });
    return { kind: 'success' };
  },
});
