import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { mayCall } from '../core/identity.js';
import type { Command } from '../core/model/commands.js';
import type { DomainEvent } from '../core/model/events.js';
import { authenticate, parseCookies } from './auth/authenticate.js';
import { type ConsoleOptions, mountConsole } from './console.js';
import { PasswordHasher, generateApiKeys } from './auth/secrets.js';
import { SessionStore } from './auth/sessions.js';
import { defaultRegistry } from './commands/index.js';
import { API_ERROR, ApiError, apiErrorOfRejection, missingParameter, unauthorized } from './errors.js';
import { parseRequestParams, type RequestParams } from './http/params.js';
import { errorObject, headerText, JSON_CONTENT_TYPE, type JsonObject, toJson, toXml, XML_CONTENT_TYPE } from './http/respond.js';
import type { JobRecord } from './jobs.js';
import type { AnyCommand, Call, CookieChange, HandlerResult, Identity, Services } from './registry/command.js';
import { pageOf } from './registry/lists.js';
import type { Registry } from './registry/registry.js';
import type { JobPlan, ServerRuntime } from './runtime.js';
import { ResponseCache } from './http/response-cache.js';
import { QueryMemo } from './registry/memo.js';
import { RenderCache } from './views/render-cache.js';
import type { ViewContext } from './views/view.js';

/**
 * The CloudStack API over HTTP: `/client/api`, GET or POST (form-encoded). Routes stay thin:
 * parse the parameters, authenticate, check the caller's role, parse the command's parameters,
 * run its handler, and write the envelope (JSON, or XML when no format was asked for). Every
 * error leaves as CloudStack's error object with the HTTP status equal to its code; anything
 * unexpected is logged and answered with a generic 530, never a stack trace.
 */

export interface AppDeps {
  runtime: ServerRuntime;
  registry?: Registry;
  passwords?: PasswordHasher;
  sessions?: SessionStore;
  /** default.page.size: the default and largest page. */
  pageSizeMax?: number;
  /** Where errors nobody expected are written (with their stack): the server's log, not the client. */
  log?: (line: string) => void;
  /** The cache of rendered response objects (tests look into it); a new one by default. */
  renderCache?: RenderCache;
  /** The web console at `/` (server/console.ts); without it only the API is served. */
  console?: ConsoleOptions;
}

/** Request bodies larger than this are refused (413): user data tops out at 1 MiB Base64. */
const BODY_LIMIT = '4mb';

export function createApp(deps: AppDeps): Express {
  const registry = deps.registry ?? defaultRegistry();
  const renderCache = deps.renderCache ?? new RenderCache();
  const responses = new ResponseCache(() => deps.runtime.version);
  deps.runtime.observeEvents((event) => renderCache.observe(event));
  const services: Services = {
    passwords: deps.passwords ?? new PasswordHasher(),
    sessions: deps.sessions ?? new SessionStore(),
    newApiKeys: generateApiKeys,
    pageSizeMax: deps.pageSizeMax ?? 500,
    renderCache,
    memo: new QueryMemo(() => deps.runtime.version),
  };
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use('/client/api', express.raw({ type: () => true, limit: BODY_LIMIT }));
  app.all('/client/api', (req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(API_ERROR.METHOD_NOT_ALLOWED).setHeader('Allow', 'GET, POST').end();
      return;
    }
    return handleApiRequest(req, res, { runtime: deps.runtime, responses, registry, services, log });
  });
  if (deps.console) mountConsole(app, deps.console);
  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found: the API is at /client/api\n');
  });
  // Errors of the body reader (too large, unreadable): CloudStack-shaped, never express's page with a stack.
  app.use((error: { status?: number; statusCode?: number; message?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status ?? error.statusCode ?? 500;
    const apiError = status === 413 ? new ApiError(413, `the request body is larger than ${BODY_LIMIT}`) : status < 500 ? new ApiError(API_ERROR.MALFORMED_PARAMETER, `the request body could not be read: ${error.message ?? 'unknown reason'}`) : internalError(error, log);
    const wantsJson = /(?:^|[?&])response=json(?:&|$)/i.test(req.originalUrl);
    res.setHeader('X-Description', headerText(apiError.message));
    send(res, wantsJson ? 'json' : 'xml', apiError.errorCode, 'errorresponse', errorObject(apiError));
  });
  return app;
}

interface Context {
  runtime: ServerRuntime;
  responses: ResponseCache;
  registry: Registry;
  services: Services;
  log: (line: string) => void;
}

async function handleApiRequest(req: Request, res: Response, context: Context): Promise<void> {
  const queryAt = req.originalUrl.indexOf('?');
  const queryString = queryAt < 0 ? '' : req.originalUrl.slice(queryAt + 1);
  const contentType = req.headers['content-type'] ?? '';
  const body = Buffer.isBuffer(req.body) && (contentType === '' || contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) ? req.body.toString('utf8') : undefined;
  // Until the parameters are parsed, a glance at the raw text says how to answer a failure to parse them.
  let format: 'json' | 'xml' = /(?:^|&)response=json(?:&|$)/i.test(`${queryString}&${body ?? ''}`) ? 'json' : 'xml';
  const glanced = /(?:^|&)command=([A-Za-z]+)(?:&|$)/i.exec(`${queryString}&${body ?? ''}`)?.[1];
  const glancedCommand = glanced === undefined ? undefined : context.registry.get(glanced);
  let responseName = glancedCommand ? `${glancedCommand.name.toLowerCase()}response` : 'errorresponse';
  try {
    const params = parseRequestParams(queryString, body);
    format = params.byName.get('response')?.toLowerCase() === 'json' ? 'json' : 'xml';
    const commandName = params.byName.get('command');
    const command = commandName === undefined ? undefined : context.registry.get(commandName);
    if (command) responseName = `${command.name.toLowerCase()}response`;
    const cookies = parseCookies(req.headers.cookie);
    const nowMs = context.runtime.nowMs();
    const identity = command?.authentication === 'none' ? undefined : authenticate({ params, cookies, state: context.runtime.state, sessions: context.services.sessions, nowMs });
    if (!command) {
      throw new ApiError(API_ERROR.UNSUPPORTED_ACTION, commandName === undefined ? 'no command was given (the command parameter)' : `Unknown API command: ${commandName}`);
    }
    if (identity && !mayCall(context.runtime.state, identity.caller, command.name, command.roles)) {
      throw unauthorized(`The given command '${command.name}' either does not exist, is not available for user.`);
    }
    const parsed = parseCommandParams(command, params);
    // A read-only command asked again by the same user at the same state: the same bytes.
    const cacheKey = command.cacheable && identity ? `${command.name}\u0000${identity.user.id}\u0000${identity.caller.role}\u0000${format}\u0000${JSON.stringify(parsed)}` : undefined;
    const cached = cacheKey === undefined ? undefined : context.responses.get(cacheKey);
    if (cached !== undefined) {
      await durable(context.runtime);
      sendBytes(res, format, 200, cached);
      return;
    }
    const version = context.runtime.version;
    const call = new ApiCall(command, params, cookies, identity, context);
    const result = command.handle(call, parsed);
    const { inner, cookies: cookieChanges, json } = shape(command, result, parsed, context.services.pageSizeMax, format);
    // Nothing is answered before the store holds it: what a client saw survives a crash.
    await durable(context.runtime);
    for (const cookie of cookieChanges) res.append('Set-Cookie', cookieHeader(cookie));
    const reply = Buffer.from(json !== undefined ? `{"${responseName}":${json}}` : format === 'json' ? toJson(responseName, inner) : toXml(responseName, inner));
    if (cacheKey !== undefined && cookieChanges.length === 0) context.responses.set(cacheKey, version, reply);
    sendBytes(res, format, 200, reply);
  } catch (error) {
    // A refused command may still have written (a failed job): that too is answered once it is on disk.
    if (!(error instanceof ApiError && error.errorCode === API_ERROR.INTERNAL_ERROR)) await durable(context.runtime).catch(() => undefined);
    const apiError = error instanceof ApiError ? error : internalError(error, context.log);
    res.setHeader('X-Description', headerText(apiError.message));
    send(res, format, apiError.errorCode, responseName, errorObject(apiError));
  }
}

async function durable(runtime: ServerRuntime): Promise<void> {
  try {
    await runtime.durable();
  } catch {
    throw new ApiError(API_ERROR.INTERNAL_ERROR, 'the management server could not write to its database');
  }
}

function internalError(error: unknown, log: (line: string) => void): ApiError {
  log(`cloudplane serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new ApiError(API_ERROR.INTERNAL_ERROR, 'Internal error executing command, please contact your system administrator', 4250);
}

function send(res: Response, format: 'json' | 'xml', status: number, responseName: string, inner: JsonObject): void {
  sendText(res, format, status, format === 'json' ? toJson(responseName, inner) : toXml(responseName, inner));
}

function sendBytes(res: Response, format: 'json' | 'xml', status: number, body: Buffer): void {
  res.status(status);
  res.setHeader('Content-Type', format === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE);
  res.end(body);
}

function sendText(res: Response, format: 'json' | 'xml', status: number, body: string): void {
  res.status(status);
  res.setHeader('Content-Type', format === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE);
  res.end(body);
}

function cookieHeader(cookie: CookieChange): string {
  const parts = [`${cookie.name}=${cookie.value}`];
  if (cookie.path !== undefined) parts.push(`Path=${cookie.path}`);
  if (cookie.maxAgeSeconds !== undefined) parts.push(`Max-Age=${cookie.maxAgeSeconds}`);
  if (cookie.maxAgeSeconds === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (cookie.httpOnly) parts.push('HttpOnly');
  return parts.join('; ');
}

/** The command's declared parameters, parsed; a missing required one is a 431. */
function parseCommandParams(command: AnyCommand, params: RequestParams): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(command.params)) {
    const value = spec.read({ apiName: command.name, name, params });
    if (value === undefined) {
      if (spec.required) throw missingParameter(command.name, name);
      continue;
    }
    parsed[name] = value;
  }
  return parsed;
}

/**
 * A handler's result as the inner object of the envelope; for a JSON list whose items have a
 * JSON renderer (kept rendered between requests), the inner object as JSON text instead.
 */
function shape(command: AnyCommand, result: HandlerResult, parsed: Record<string, unknown>, pageSizeMax: number, format: 'json' | 'xml'): { inner: JsonObject; cookies: readonly CookieChange[]; json?: string } {
  switch (result.kind) {
    case 'list': {
      const page = pageOf(result.items, parsed.page as number | undefined, parsed.pagesize as number | undefined, pageSizeMax);
      const total = result.items.length;
      // Nothing at all is {}; a page past the end is {count}: clients stop paging on either.
      if (total === 0) return { inner: {}, cookies: [] };
      if (page.length === 0) return { inner: { count: total }, cookies: [] };
      if (format === 'json' && result.json !== undefined) {
        const json = result.json;
        return { inner: {}, cookies: [], json: `{"count":${total},"${command.responseObject}":[${page.map((item) => json(item as never)).join(',')}]}` };
      }
      return { inner: { count: total, [command.responseObject]: page.map((item) => result.render(item as never)) }, cookies: [] };
    }
    case 'object':
      return { inner: { [command.responseObject]: result.object }, cookies: [] };
    case 'fields':
      return { inner: result.fields, cookies: result.cookies ?? [] };
    case 'success':
      return { inner: { success: true, ...(result.displayText === undefined ? {} : { displaytext: result.displayText }) }, cookies: [] };
    case 'async':
      return { inner: { ...(result.id === undefined ? {} : { id: result.id }), jobid: result.jobId }, cookies: [] };
  }
}

class ApiCall implements Call {
  constructor(
    private readonly command: AnyCommand,
    private readonly params: RequestParams,
    private readonly cookies: Readonly<Record<string, string>>,
    readonly identity: Identity | undefined,
    private readonly context: Context,
  ) {}

  get apiName(): string {
    return this.command.name;
  }

  get state() {
    return this.context.runtime.state;
  }

  get runtime(): ServerRuntime {
    return this.context.runtime;
  }

  get services(): Services {
    return this.context.services;
  }

  get registry() {
    return this.context.registry;
  }

  get request() {
    return { params: this.params, cookies: this.cookies };
  }

  me(): Identity {
    if (!this.identity) throw unauthorized();
    return this.identity;
  }

  view(): ViewContext {
    return { state: this.state, activity: this.runtime.activity, caller: this.identity?.caller };
  }

  run(command: Command): readonly DomainEvent[] {
    const result = this.runtime.submit(command, this.me().caller);
    if (!result.ok) throw apiErrorOfRejection(result.rejection);
    return result.events;
  }

  startJob(command: Command, plan: Omit<JobPlan, 'apiName' | 'cmdClass' | 'responseObject'>): { job: JobRecord; events: readonly DomainEvent[] } {
    const full: JobPlan = { ...plan, apiName: this.command.name, cmdClass: this.command.cmdClass ?? `org.apache.cloudstack.api.command.${this.command.name}Cmd`, responseObject: this.command.responseObject };
    const result = this.runtime.submit(command, this.me().caller, { job: full });
    if (result.job) return { job: result.job, events: result.ok ? result.events : [] };
    if (!result.ok) throw apiErrorOfRejection(result.rejection);
    throw new Error(`${command.type} was accepted but started no job`);
  }
}
