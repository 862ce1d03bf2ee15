import type { Id } from './model/entities.js';
import { FINDING_CODES, type FindingCode } from './rules/codes.js';

/**
 * A finding is what a design rule says about a cloud: `code` is stable (a user's CI may gate on
 * it), `path` names the entity by its names (`zones/dc1/pods/rack-2/startIp`), `message` says
 * what is wrong with the numbers involved, and `hint` says what to change.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  path: string;
  message: string;
  hint: string;
  /** The entity the finding is about, so a caller can map it back to where it was declared. */
  entityId?: Id;
  /** The field of that entity, when the finding is about one field. */
  field?: string;
}

export function finding(
  code: FindingCode,
  subject: { path: string; entityId?: Id; field?: string },
  message: string,
  hint: string,
): Finding {
  const path = subject.field ? `${subject.path}/${subject.field}` : subject.path;
  const out: Finding = { code, severity: FINDING_CODES[code].severity, path, message, hint };
  if (subject.entityId !== undefined) out.entityId = subject.entityId;
  if (subject.field !== undefined) out.field = subject.field;
  return out;
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** The canonical order of findings: severity, then path, then code, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
