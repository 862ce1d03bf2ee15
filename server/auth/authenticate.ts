import { accountStateOf, callerOf, userByApiKey } from '../../core/identity.js';
import type { CloudState } from '../../core/model/state.js';
import { unauthorized } from '../errors.js';
import type { RequestParams } from '../http/params.js';
import { parseExpires, verifySignature } from '../http/signing.js';
import type { Identity } from '../registry/command.js';
import type { SessionStore } from './sessions.js';

/**
 * Who sends a request, by CloudStack's two ways: a signed request (apiKey + signature, and with
 * signatureVersion=3 an `expires` date not yet past), or a session opened by login (the
 * `sessionkey` parameter or cookie; when both are sent they must agree). Every failure is the
 * same 401, so a caller learns nothing about which check failed.
 */

export interface AuthenticationInput {
  params: RequestParams;
  cookies: Readonly<Record<string, string>>;
  state: Readonly<CloudState>;
  sessions: SessionStore;
  nowMs: number;
}

export function authenticate(input: AuthenticationInput): Identity {
  const { params, state } = input;
  const apiKey = params.byName.get('apikey');
  const signature = params.byName.get('signature');
  if (apiKey !== undefined || signature !== undefined) return bySignature(input, apiKey, signature);
  const fromParam = params.byName.get('sessionkey');
  const fromCookie = input.cookies.sessionkey;
  const key = fromParam ?? fromCookie;
  if (key === undefined || key === '') throw unauthorized('unable to verify user credentials');
  if (fromParam !== undefined && fromCookie !== undefined && fromCookie !== '' && fromParam !== fromCookie) {
    input.sessions.end(fromParam);
    throw unauthorized('unable to verify user credentials');
  }
  const session = input.sessions.use(key, input.nowMs);
  const user = session === undefined ? undefined : state.users.get(session.userId);
  const account = user === undefined ? undefined : state.accounts.get(user.accountId);
  const caller = user === undefined ? undefined : callerOf(state, user.id);
  if (!session || !user || !account || !caller || user.state !== 'enabled' || accountStateOf(account) !== 'enabled') {
    if (session) input.sessions.end(session.key);
    throw unauthorized('unable to verify user credentials');
  }
  return { user, account, caller, session };
}

function bySignature(input: AuthenticationInput, apiKey: string | undefined, signature: string | undefined): Identity {
  const { params, state } = input;
  if (apiKey === undefined || signature === undefined) throw unauthorized();
  if (params.byName.get('signatureversion') === '3') {
    const expires = params.byName.get('expires');
    const expiresMs = expires === undefined ? undefined : parseExpires(expires);
    if (expiresMs === undefined || expiresMs < input.nowMs) throw unauthorized();
  }
  const user = userByApiKey(state, apiKey);
  const account = user === undefined ? undefined : state.accounts.get(user.accountId);
  const caller = user === undefined ? undefined : callerOf(state, user.id);
  if (!user || !account || !caller || user.state !== 'enabled' || accountStateOf(account) !== 'enabled') throw unauthorized();
  if (user.secretKey === undefined || !verifySignature(params.received, user.secretKey, signature)) throw unauthorized();
  return { user, account, caller };
}

/** The cookies of a request, by name (first wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    let value = part.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // A cookie value that is not percent-encoding is taken as it is.
    }
    if (name !== '' && !(name in out)) out[name] = value;
  }
  return out;
}
