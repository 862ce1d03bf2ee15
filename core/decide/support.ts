import type { Caller, Rng } from '../ports.js';
import { type Finding, finding } from '../findings.js';
import { uuidFor } from '../ids.js';
import type { DomainEvent } from '../model/events.js';
import type { CloudState } from '../model/state.js';
import { netmaskToPrefix, parseCidr, parseIpv4, type Cidr } from '../net/ipv4.js';
import type { FindingCode } from '../rules/codes.js';

/**
 * What decide needs from outside: time, seeded randomness, the caller, and how to treat rule
 * violations. `enforce` is CloudStack's behaviour (a broken rule rejects the command); `plan`
 * records the violation as a finding and still applies the command when it can be applied, so
 * a planner sees every problem of a design at once instead of the first one.
 */
export interface DecideContext {
  nowMs: number;
  rng: Rng;
  actor: Caller;
  mode: 'enforce' | 'plan';
}

export interface Rejection {
  code: FindingCode;
  /** CloudStack's API error code: 431 for parameter errors, 530 for internal refusals, 531 for permissions. */
  errorCode: number;
  message: string;
  findings: Finding[];
}

export type Decision =
  | { ok: true; events: DomainEvent[]; findings: Finding[] }
  | { ok: false; rejection: Rejection };

/** Codes CloudStack raises as CloudRuntimeException (error 530) rather than a parameter error. */
const INTERNAL_ERROR_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'TRAFFIC_TYPE_DUPLICATE',
  'ZONE_BASIC_MULTIPLE_PHYSICAL_NETWORKS',
  'STORAGE_RANGE_NO_STORAGE_NETWORK',
  'STORAGE_RANGE_OVERLAPS_POD_RANGE',
  'STORAGE_RANGES_OVERLAP',
  'CLUSTER_HOSTS_OVER_MAX',
]);

const API_ERROR_CODES: Partial<Record<FindingCode, number>> = {
  PERMISSION_DENIED: 531,
  INSUFFICIENT_CAPACITY: 533,
  RESOURCE_UNAVAILABLE: 534,
  RESOURCE_LIMIT_EXCEEDED: 535,
  RESOURCE_IN_USE: 536,
  NETWORK_RULE_CONFLICT: 537,
};

export function errorCodeOf(code: FindingCode): number {
  return API_ERROR_CODES[code] ?? (INTERNAL_ERROR_CODES.has(code) ? 530 : 431);
}

/** A decision that refuses its command. */
export type Refusal = Extract<Decision, { ok: false }>;

export function reject(code: FindingCode, message: string, findings: Finding[] = []): Refusal {
  return { ok: false, rejection: { code, errorCode: errorCodeOf(code), message, findings } };
}

/** Applies the mode: in `enforce`, the first error finding rejects the command with all findings. */
export function conclude(ctx: DecideContext, findings: Finding[], events: DomainEvent[]): Decision {
  if (ctx.mode === 'enforce') {
    const first = findings.find((f) => f.severity === 'error');
    if (first) return reject(first.code, first.message, findings);
  }
  return { ok: true, events, findings };
}

/** The id and sequence number the k-th entity created by this decision gets. */
export function newId(state: Readonly<CloudState>, k = 0): { id: string; idSeq: number } {
  const idSeq = state.idSeq + k;
  return { id: uuidFor(state.idNamespace, idSeq), idSeq };
}

/**
 * Parses the parameters of one command, collecting every malformed one before giving up, so an
 * API caller learns about all of them in one reply.
 */
export class ParamReader {
  readonly problems: Finding[] = [];

  constructor(private readonly path: string) {}

  get failed(): boolean {
    return this.problems.length > 0;
  }

  rejection(): Decision {
    const first = this.problems[0]!;
    return reject('INVALID_PARAMETER', first.message, this.problems);
  }

  private problem(field: string, message: string, hint: string): void {
    this.problems.push(finding('INVALID_PARAMETER', { path: this.path, field }, message, hint));
  }

  ipv4(field: string, text: string): number {
    const ip = parseIpv4(text);
    if (ip === undefined) {
      this.problem(field, `${field} "${text}" is not a valid IPv4 address`, 'write four numbers 0-255 separated by dots, e.g. 10.0.0.1');
      return 0;
    }
    return ip;
  }

  optionalIpv4(field: string, text: string | undefined): number | undefined {
    return text === undefined ? undefined : this.ipv4(field, text);
  }

  netmask(field: string, text: string): number {
    const prefix = netmaskToPrefix(text);
    if (prefix === undefined) {
      this.problem(field, `${field} "${text}" is not a valid netmask`, 'use a contiguous mask such as 255.255.255.0');
      return 32;
    }
    return prefix;
  }

  cidr(field: string, text: string): Cidr {
    const cidr = parseCidr(text);
    if (cidr === undefined) {
      this.problem(field, `${field} "${text}" is not a valid IPv4 CIDR`, 'write an address and a prefix length 0-32, e.g. 10.1.1.0/24');
      return { network: 0, prefix: 32 };
    }
    return cidr;
  }

  positive(field: string, value: number, integer = false): number {
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      this.problem(field, `${field} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`, `give ${field} a value above 0`);
    }
    return value;
  }

  ratio(field: string, value: number | undefined, min: number, max: number): number | undefined {
    if (value !== undefined && (!Number.isFinite(value) || value < min || value > max)) {
      this.problem(field, `${field} must be between ${min} and ${max}, got ${value}`, `choose ${field} within ${min}..${max}`);
    }
    return value;
  }

  name(field: string, value: string): string {
    if (value.trim() === '') this.problem(field, `${field} must not be empty`, `give ${field} a value`);
    return value;
  }

  vlan(field: string, value: number | undefined): number | undefined {
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 4095)) {
      this.problem(field, `${field} ${value} is outside the VLAN ids 0..4095`, 'use a VLAN id between 1 and 4094');
    }
    return value;
  }
}
