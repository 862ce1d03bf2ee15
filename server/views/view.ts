import type { CloudState } from '../../core/model/state.js';
import type { Caller } from '../../core/ports.js';
import type { ActivityLog } from '../activity.js';
import { formatDate, type JsonObject, type JsonValue } from '../http/respond.js';

/**
 * Response objects, declared as tables of fields: each field's API name, the type listApis
 * reports, its description, and how to read it from a record. One table gives both the JSON a
 * command returns and the `response` list of listApis, so the two cannot drift apart; a test
 * checks every rendered value against its declared type (the JSON types cloudstack-go expects).
 */

/** Response field types as listApis reports them. */
export type FieldType = 'string' | 'uuid' | 'boolean' | 'integer' | 'long' | 'double' | 'date' | 'list' | 'map' | 'set' | 'responseobject';

export interface ViewContext {
  state: Readonly<CloudState>;
  activity: ActivityLog;
  /** Who asks: some fields (the host of a VM) are for admins only. */
  caller: Caller | undefined;
}

export interface FieldSpec<T> {
  name: string;
  type: FieldType;
  description: string;
  get: (record: T, ctx: ViewContext) => JsonValue | undefined;
  /** Nested objects' fields, for listApis. */
  fields?: readonly ResponseField[];
}

/** A response field as listApis lists it. */
export interface ResponseField {
  name: string;
  type: FieldType;
  description: string;
  response?: readonly ResponseField[];
}

export interface View<T> {
  readonly fields: readonly ResponseField[];
  readonly specs: readonly FieldSpec<T>[];
  render(record: T, ctx: ViewContext): JsonObject;
}

export function defineView<T>(specs: readonly FieldSpec<T>[]): View<T> {
  return {
    specs,
    fields: specs.map((s) => ({ name: s.name, type: s.type, description: s.description, ...(s.fields ? { response: s.fields } : {}) })),
    render(record, ctx) {
      const out: JsonObject = {};
      for (const s of specs) {
        const value = s.get(record, ctx);
        // Gson leaves nulls out; so do we.
        if (value !== undefined) out[s.name] = value;
      }
      return out;
    },
  };
}

/** A field, compactly: `field('id', 'string', 'the ID of the zone', (z) => z.id)`. */
export function field<T>(name: string, type: FieldType, description: string, get: (record: T, ctx: ViewContext) => JsonValue | undefined): FieldSpec<T> {
  return { name, type, description, get };
}

/** A nested list of objects rendered by another view. */
export function nested<T, U>(name: string, description: string, view: View<U>, get: (record: T, ctx: ViewContext) => readonly U[] | undefined): FieldSpec<T> {
  return {
    name,
    type: 'list',
    description,
    fields: view.fields,
    get: (record, ctx) => get(record, ctx)?.map((item) => view.render(item, ctx)),
  };
}

/** The `created` date of an entity, from the event log. */
export function createdOf(id: string, ctx: ViewContext): string | undefined {
  const ms = ctx.activity.createdMsOf(id);
  return ms === undefined ? undefined : formatDate(ms);
}

export function isAdmin(ctx: ViewContext): boolean {
  return ctx.caller?.role === 'RootAdmin';
}
