/**
 * Shared helpers for the rule tests: plan a design and pick out its findings, assert that a
 * finding is present with the right severity and a message naming the values involved, and
 * run single commands through the decider against a built cloud, the way an API caller would.
 */
import { expect } from 'vitest';
import { decide, step, type DecideContext, type Decision } from '../../../core/decider.js';
import type { Finding, Severity } from '../../../core/findings.js';
import type { Id } from '../../../core/model/entities.js';
import type { CloudState } from '../../../core/model/state.js';
import { planScenario, type PlanFinding } from '../../../core/plan.js';
import { SYSTEM_CALLER } from '../../../core/ports.js';
import { SeededRng } from '../../../core/rng.js';
import type { FindingCode } from '../../../core/rules/codes.js';
import type { ScenarioSpec } from '../../../core/scenario/schema.js';

/** Every finding the planner reports for a design: build, whole-design rules, demand and budgets. */
export function planFindings(spec: ScenarioSpec): PlanFinding[] {
  return planScenario(spec).report.findings;
}

export function withCode<F extends Finding>(findings: readonly F[], code: FindingCode): F[] {
  return findings.filter((f) => f.code === code);
}

function describe(findings: readonly Finding[]): string {
  return findings.map((f) => `  ${f.severity} ${f.code} at ${f.path}: ${f.message}`).join('\n') || '  (none)';
}

/**
 * Asserts that some finding has `code`, the given severity, and a message containing every
 * fragment. Returns that finding for further checks (its path, for example).
 */
export function expectFinding<F extends Finding>(findings: readonly F[], code: FindingCode, severity: Severity, ...fragments: string[]): F {
  const candidates = withCode(findings, code);
  if (candidates.length === 0) {
    expect.fail(`expected a ${code} finding, got:\n${describe(findings)}`);
  }
  const hit = candidates.find((f) => fragments.every((fragment) => f.message.includes(fragment)));
  if (!hit) {
    expect.fail(`no ${code} message contains all of ${JSON.stringify(fragments)}; the ${code} findings are:\n${describe(candidates)}`);
  }
  expect(hit.severity).toBe(severity);
  return hit;
}

export function expectNoFinding(findings: readonly Finding[], code: FindingCode): void {
  const hits = withCode(findings, code);
  if (hits.length > 0) expect.fail(`expected no ${code} finding, got:\n${describe(hits)}`);
}

/** The decide context an API caller gets: virtual time zero, a seeded random source, the system caller. */
export function context(mode: DecideContext['mode']): DecideContext {
  return { nowMs: 0, rng: new SeededRng(1), actor: SYSTEM_CALLER, mode };
}

/** The cloud a design builds into (every command applied, as in a plan). */
export function builtState(spec: ScenarioSpec): CloudState {
  return planScenario(spec).state;
}

export function rejectionOf(decision: Decision): Extract<Decision, { ok: false }>['rejection'] {
  if (decision.ok) expect.fail(`expected a rejection, the command was accepted with findings:\n${describe(decision.findings)}`);
  return decision.rejection;
}

export function acceptedFindings(decision: Decision): Finding[] {
  if (!decision.ok) expect.fail(`expected the command to be accepted, it was rejected: ${decision.rejection.code} (${decision.rejection.errorCode}) ${decision.rejection.message}`);
  return decision.findings;
}

export { decide, step };

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the built cloud has no ${what}`);
  return value;
}

export function zoneIdOf(state: CloudState, zone: string): Id {
  return must([...state.zones.values()].find((z) => z.name === zone), `zone ${zone}`).id;
}

export function podIdOf(state: CloudState, zone: string, pod: string): Id {
  const zoneId = zoneIdOf(state, zone);
  return must([...state.pods.values()].find((p) => p.zoneId === zoneId && p.name === pod), `pod ${pod} in zone ${zone}`).id;
}

export function clusterIdOf(state: CloudState, cluster: string): Id {
  return must([...state.clusters.values()].find((c) => c.name === cluster), `cluster ${cluster}`).id;
}

export function hostIdOf(state: CloudState, host: string): Id {
  return must([...state.hosts.values()].find((h) => h.name === host), `host ${host}`).id;
}

export function physicalNetworkIdOf(state: CloudState, network: string): Id {
  return must([...state.physicalNetworks.values()].find((n) => n.name === network), `physical network ${network}`).id;
}

export function networkIdOf(state: CloudState, network: string): Id {
  return must([...state.networks.values()].find((n) => n.name === network), `network ${network}`).id;
}
