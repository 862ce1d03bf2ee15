import { randomBytes } from 'node:crypto';

/**
 * Login sessions (CloudStack's servlet sessions): a session key (20 random bytes, URL-safe
 * Base64) that the client sends back as the `sessionkey` parameter or cookie, and the container
 * session id (JSESSIONID). Sessions live in memory: after a restart clients log in again, which
 * every client does on a 401.
 */

export interface Session {
  key: string;
  jsessionId: string;
  userId: string;
  createdMs: number;
  lastUsedMs: number;
}

/** CloudStack's default session timeout: 30 minutes without a request. */
export const SESSION_TIMEOUT_SECONDS = 1800;

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(readonly timeoutSeconds = SESSION_TIMEOUT_SECONDS) {}

  create(userId: string, nowMs: number): Session {
    const session: Session = {
      key: randomBytes(20).toString('base64url'),
      jsessionId: randomBytes(16).toString('hex').toUpperCase(),
      userId,
      createdMs: nowMs,
      lastUsedMs: nowMs,
    };
    this.sessions.set(session.key, session);
    return session;
  }

  /** The live session of a key, touched; an expired one is dropped. */
  use(key: string, nowMs: number): Session | undefined {
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (nowMs - session.lastUsedMs > this.timeoutSeconds * 1000) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastUsedMs = nowMs;
    return session;
  }

  end(key: string): void {
    this.sessions.delete(key);
  }

  /** Ends every session of a user (disabled, deleted). */
  endAllOf(userId: string): void {
    for (const [key, session] of this.sessions) if (session.userId === userId) this.sessions.delete(key);
  }
}
