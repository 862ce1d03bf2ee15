import type { Command } from '../../core/model/commands.js';
import type { Account } from '../../core/model/entities.js';
import type { DomainEvent } from '../../core/model/events.js';
import type { RoleType, User } from '../../core/model/identity.js';
import type { CloudState } from '../../core/model/state.js';
import type { Caller } from '../../core/ports.js';
import type { Session, SessionStore } from '../auth/sessions.js';
import type { PasswordHasher } from '../auth/secrets.js';
import type { RequestParams } from '../http/params.js';
import type { JsonObject } from '../http/respond.js';
import type { JobRecord } from '../jobs.js';
import type { JobPlan, ServerRuntime } from '../runtime.js';
import type { RenderCache } from '../views/render-cache.js';
import type { ResponseField, ViewContext } from '../views/view.js';
import type { QueryMemo } from './memo.js';
import type { ParamSpecs, ParsedParams } from './params.js';

/**
 * An API command, declared as data: its name and description as listApis shows them, whether it
 * is async, its parameters (typed), the object name of its response, the role types that may call
 * it, and a handler that turns parsed parameters into a core command or a query and shapes the
 * answer. The app does everything else: parsing, authentication, the role check, pagination,
 * the envelope, errors.
 */
export interface ApiCommand<P extends ParamSpecs> {
  name: string;
  description: string;
  isAsync: boolean;
  since?: string;
  /** Related APIs, comma-separated (for clients' completion). */
  related?: string;
  params: P;
  /** The object name of the response: the list key, the object key, or the async result key. */
  responseObject: string;
  /** The fields of the response object, for listApis (a view's `fields`). */
  response: readonly ResponseField[];
  /** Role types that may call it when no rule of the caller's role decides. */
  roles: readonly RoleType[];
  /** `none`: callable without credentials (login). */
  authentication?: 'none';
  /**
   * A pure query of the state and the caller (a list): its reply may be kept and answered again
   * while the state does not change (http/response-cache.ts). Never for anything that reads the
   * clock or changes something.
   */
  cacheable?: true;
  /** CloudStack's command class, shown as `cmd` by the async job APIs. */
  cmdClass?: string;
  handle(call: Call, params: ParsedParams<P>): HandlerResult;
}

/** A command with its parameter types erased, as the registry holds it. */
export interface AnyCommand extends Omit<ApiCommand<ParamSpecs>, 'handle'> {
  handle(call: Call, params: Readonly<Record<string, unknown>>): HandlerResult;
}

export function defineCommand<P extends ParamSpecs>(command: ApiCommand<P>): AnyCommand {
  return command as unknown as AnyCommand;
}

/** A cookie to set (or clear, with maxAgeSeconds 0) with the reply. */
export interface CookieChange {
  name: string;
  value: string;
  path?: string;
  httpOnly?: boolean;
  maxAgeSeconds?: number;
}

/** What a handler returns; the app turns it into the envelope. */
export type HandlerResult =
  /**
   * A list: the app pages it (page, pagesize) and renders the page. `count` is the total. With
   * `json`, a JSON reply takes each item's JSON text from it (a cached render) instead.
   */
  | { kind: 'list'; items: readonly unknown[]; render: (item: never) => JsonObject; json?: (item: never) => string }
  /** One object under the response object name. */
  | { kind: 'object'; object: JsonObject }
  /** Fields directly under the response name (login, queryAsyncJobResult). */
  | { kind: 'fields'; fields: JsonObject; cookies?: readonly CookieChange[] }
  | { kind: 'success'; displayText?: string }
  /** An async command was queued: `{jobid}`, plus `id` for async creates. */
  | { kind: 'async'; jobId: string; id?: string };

export function listResult<T>(items: readonly T[], render: (item: T) => JsonObject, json?: (item: T) => string): HandlerResult {
  return { kind: 'list', items, render: render as (item: never) => JsonObject, ...(json === undefined ? {} : { json: json as (item: never) => string }) };
}

/** The authenticated user behind a request. */
export interface Identity {
  user: User;
  account: Account;
  caller: Caller;
  /** Set when the request came with a session (login) rather than a signature. */
  session?: Session;
}

export interface Services {
  passwords: PasswordHasher;
  sessions: SessionStore;
  /** A new API key pair. */
  newApiKeys(): { apiKey: string; secretKey: string };
  /** The default and largest page size (default.page.size). */
  pageSizeMax: number;
  /** Rendered response objects kept between requests (views/render-cache.ts). */
  renderCache: RenderCache;
  /** Query results kept while the state does not change (registry/memo.ts). */
  memo: QueryMemo;
}

/** Everything a handler may use. */
export interface Call {
  readonly apiName: string;
  readonly state: Readonly<CloudState>;
  readonly runtime: ServerRuntime;
  readonly services: Services;
  readonly registry: { all(): readonly AnyCommand[] };
  readonly request: { params: RequestParams; cookies: Readonly<Record<string, string>> };
  readonly identity: Identity | undefined;
  /** The caller; throws 401 when the command ran without credentials. */
  me(): Identity;
  /** The context views render in, for this caller. */
  view(): ViewContext;
  /** Decides a command as the caller; returns its events or throws the CloudStack error. */
  run(command: Command): readonly DomainEvent[];
  /** Decides a command that starts an async job; a refusal found before the job starts is thrown. */
  startJob(command: Command, plan: Omit<JobPlan, 'apiName' | 'cmdClass' | 'responseObject'>): { job: JobRecord; events: readonly DomainEvent[] };
}

/** Who may call a command when no rule of the caller's role decides. */
export const ANY_ROLE: readonly RoleType[] = ['Admin', 'ResourceAdmin', 'DomainAdmin', 'User'];
export const ROOT_ADMIN_ONLY: readonly RoleType[] = ['Admin'];
export const DOMAIN_ADMINS: readonly RoleType[] = ['Admin', 'DomainAdmin'];
