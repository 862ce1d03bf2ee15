/**
 * The console's client of /client/api, as CloudStack's own UI does it: POST login with username,
 * password and domain path, keep the session key from the reply, then send it as the
 * `sessionkey` parameter with every call; the browser sends the JSESSIONID and sessionkey cookies
 * the login set (HttpOnly, path /client) by itself. Replies are JSON (`response=json`). A failed
 * call throws an ApiFailure whose message is CloudStack's errortext.
 */

export type Obj = Record<string, unknown>;

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly command: string,
  ) {
    super(message);
  }
}

export interface Session {
  sessionKey: string;
  username: string;
  userId: string;
  account: string;
  domainId: string;
  /** CloudStack's account type: 1 root admin, 2 domain admin, 0 user. */
  accountType: string;
}

const ENDPOINT = '/client/api';
const STORED_SESSION = 'cloudplane.console.session';
/** listApis' default page size, the largest a page may be. */
const PAGE_SIZE = 500;
const JOB_POLL_MS = 1000;

export type Params = Record<string, string | number | boolean | undefined>;

export class Api {
  session: Session | undefined;
  /** Called when the server no longer knows the session (timed out, logged out elsewhere). */
  onSessionLost: () => void = () => undefined;

  constructor() {
    const stored = sessionStorage.getItem(STORED_SESSION);
    this.session = stored === null ? undefined : (JSON.parse(stored) as Session);
  }

  get isAdmin(): boolean {
    return this.session?.accountType === '1';
  }

  async login(username: string, password: string, domain: string): Promise<Session> {
    const reply = await this.post('login', { username, password, domain: domain === '' ? '/' : domain });
    const session: Session = {
      sessionKey: String(reply.sessionkey),
      username: String(reply.username),
      userId: String(reply.userid),
      account: String(reply.account),
      domainId: String(reply.domainid),
      accountType: String(reply.type),
    };
    this.session = session;
    sessionStorage.setItem(STORED_SESSION, JSON.stringify(session));
    return session;
  }

  async logout(): Promise<void> {
    try {
      await this.call('logout');
    } finally {
      this.forget();
    }
  }

  forget(): void {
    this.session = undefined;
    sessionStorage.removeItem(STORED_SESSION);
  }

  /** One command; the inner object of its reply. */
  async call(command: string, params: Params = {}): Promise<Obj> {
    if (!this.session) throw new ApiFailure('You are not logged in.', 401, command);
    try {
      return await this.post(command, { ...params, sessionkey: this.session.sessionKey });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401 && command !== 'logout' && !/not available for user/.test(error.message)) {
        this.forget();
        this.onSessionLost();
      }
      throw error;
    }
  }

  /** Every item of a list command, page by page. */
  async list(command: string, key: string, params: Params = {}): Promise<Obj[]> {
    const out: Obj[] = [];
    for (let page = 1; ; page++) {
      const reply = await this.call(command, { ...params, page, pagesize: PAGE_SIZE });
      const items = (reply[key] as Obj[] | undefined) ?? [];
      out.push(...items);
      const count = typeof reply.count === 'number' ? reply.count : 0;
      if (items.length === 0 || out.length >= count) return out;
    }
  }

  /** An async command, followed to its end: the job's result, or its errortext thrown. */
  async job(command: string, params: Params = {}, onProgress?: (text: string) => void): Promise<Obj> {
    const started = await this.call(command, params);
    const jobId = started.jobid;
    if (typeof jobId !== 'string') return started;
    onProgress?.(`${command}: job ${jobId} is running…`);
    for (;;) {
      const job = await this.call('queryAsyncJobResult', { jobid: jobId });
      if (job.jobstatus === 1) return (job.jobresult as Obj | undefined) ?? {};
      if (job.jobstatus === 2) {
        const result = (job.jobresult as Obj | undefined) ?? {};
        throw new ApiFailure(typeof result.errortext === 'string' ? result.errortext : `${command} failed`, Number(result.errorcode ?? 530), command);
      }
      await new Promise((resolve) => window.setTimeout(resolve, JOB_POLL_MS));
    }
  }

  private async post(command: string, params: Params): Promise<Obj> {
    const body = new URLSearchParams();
    body.set('command', command);
    body.set('response', 'json');
    for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') body.set(name, String(value));
    let response: Response;
    try {
      response = await fetch(ENDPOINT, { method: 'POST', body, credentials: 'same-origin' });
    } catch {
      throw new ApiFailure('The management server cannot be reached. Check that it is running and try again.', 0, command);
    }
    const text = await response.text();
    let parsed: Obj | undefined;
    try {
      parsed = JSON.parse(text) as Obj;
    } catch {
      parsed = undefined;
    }
    const inner = parsed?.[`${command.toLowerCase()}response`] as Obj | undefined;
    if (!response.ok) {
      const errorText = typeof inner?.errortext === 'string' ? inner.errortext : `The management server answered HTTP ${response.status} to ${command}.`;
      throw new ApiFailure(errorText, response.status, command);
    }
    if (!inner) throw new ApiFailure(`The management server's answer to ${command} could not be read.`, response.status, command);
    return inner;
  }
}

export function str(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}
