import { type Finding, finding } from '../findings.js';
import type { Subject } from './ip-range.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Network domains: at most 190 characters, labels of 1-63 of a-z, 0-9 and '-', no '-' at either end. */
export function checkNetworkDomain(subject: Subject & { field?: string }, domain: string): Finding[] {
  const labels = domain.split('.');
  const bad = labels.find((label) => !LABEL.test(label));
  if (domain.length > 190 || bad !== undefined) {
    return [
      finding('NETWORK_DOMAIN_INVALID', subject,
        domain.length > 190 ? `network domain is ${domain.length} characters long, over 190` : `network domain "${domain}" has an invalid label "${bad}"`,
        'use labels of 1-63 letters, digits and hyphens (no hyphen first or last), joined by dots'),
    ];
  }
  return [];
}
