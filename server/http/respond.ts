import { type ApiError } from '../errors.js';

/**
 * CloudStack's response envelope: one top-level key, `<command>response`, holding the command's
 * answer; JSON with Gson's typing (absent fields omitted, numbers as numbers, dates as strings),
 * or XML when the client asked for no format (CloudStack's default).
 */

export type JsonValue = string | number | boolean | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** The version the server reports; clients that compare versions see a current CloudStack. */
export const CLOUDSTACK_VERSION = '4.20.0.0';

export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';
export const XML_CONTENT_TYPE = 'text/xml; charset=UTF-8';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** CloudStack's date format, `yyyy-MM-dd'T'HH:mm:ssZ`, in UTC: `2026-01-01T12:00:00+0000`. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0000`;
}

/** The inner object of an error reply. */
export function errorObject(error: ApiError): JsonObject {
  return {
    uuidList: [],
    errorcode: error.errorCode,
    ...(error.csErrorCode === undefined ? {} : { cserrorcode: error.csErrorCode }),
    errortext: error.message,
  };
}

/** A value for the X-Description header: one line of printable Latin-1, as HTTP headers allow. */
export function headerText(text: string): string {
  return text.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, ' ').slice(0, 1024);
}

export function toJson(responseName: string, inner: JsonObject): string {
  return JSON.stringify({ [responseName]: inner });
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function xmlElement(name: string, value: JsonValue): string {
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${xmlFields(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function xmlFields(object: JsonObject): string {
  return Object.entries(object)
    .filter((entry): entry is [string, JsonValue] => entry[1] !== undefined)
    .map(([key, value]) => xmlElement(key, value))
    .join('');
}

/** The XML form: a root element named like the JSON key, lists as repeated elements. */
export function toXml(responseName: string, inner: JsonObject): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${responseName} cloud-stack-version="${CLOUDSTACK_VERSION}">${xmlFields(inner)}</${responseName}>`;
}
