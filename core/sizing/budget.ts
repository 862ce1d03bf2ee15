import type { Id } from '../model/entities.js';
import type { FindingCode } from '../rules/codes.js';

/**
 * A budget: one resource of one scope (a pod's reserved IPs, a cluster's memory, a zone's public
 * IPs), with what the plan needs, what the design supplies, and what may actually be used
 * (`limit`: the supply up to the disable threshold where CloudStack stops allocating).
 */
export type BudgetStatus = 'ok' | 'near-full' | 'exhausted';

export const BUDGET_KINDS = [
  'pod.reservedIps',
  'pod.cidr',
  'pod.linkLocalIps',
  'pod.storageIps',
  'pod.guestIps',
  'physicalNetwork.guestVnets',
  'zone.publicIps',
  'zone.ipv6Subnets',
  'zone.secondaryStorage',
  'network.guestIps',
  'cluster.memory',
  'cluster.cpu',
  'cluster.guests',
  'cluster.nMinus1',
  'cluster.primaryStorage',
  'cluster.localStorage',
] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

export interface BudgetLine {
  label: string;
  amount: number;
}

export interface Budget {
  kind: BudgetKind;
  /** Readable path of the scope: `zones/dc1/pods/rack-2`. */
  scope: string;
  entityId: Id;
  zoneId: Id;
  /** What is budgeted, in words. */
  resource: string;
  unit: string;
  demand: number;
  supply: number;
  limit: number;
  /** Demand above this share of the supply raises CloudStack's capacity alert. */
  notificationThreshold: number;
  headroom: number;
  /** demand / limit; above 1 the resource is exhausted. */
  utilization: number;
  status: BudgetStatus;
  breakdown: BudgetLine[];
  recommendation?: string;
}

/** What each kind raises when exhausted, and when near full (if it has a warning level). */
export const BUDGET_CODES: Readonly<Record<BudgetKind, { exhausted: FindingCode; nearFull?: FindingCode }>> = {
  'pod.reservedIps': { exhausted: 'POD_RESERVED_RANGE_EXHAUSTED', nearFull: 'POD_RESERVED_RANGE_NEAR_FULL' },
  'pod.cidr': { exhausted: 'POD_CIDR_EXHAUSTED' },
  'pod.linkLocalIps': { exhausted: 'POD_LINK_LOCAL_EXHAUSTED' },
  'pod.storageIps': { exhausted: 'POD_STORAGE_RANGE_EXHAUSTED' },
  'pod.guestIps': { exhausted: 'BASIC_POD_GUEST_RANGE_EXHAUSTED' },
  'physicalNetwork.guestVnets': { exhausted: 'GUEST_VNET_EXHAUSTED', nearFull: 'GUEST_VNET_NEAR_FULL' },
  'zone.publicIps': { exhausted: 'PUBLIC_IP_EXHAUSTED', nearFull: 'PUBLIC_IP_NEAR_FULL' },
  'zone.ipv6Subnets': { exhausted: 'IPV6_GUEST_PREFIX_EXHAUSTED' },
  'zone.secondaryStorage': { exhausted: 'SECONDARY_STORAGE_EXHAUSTED', nearFull: 'SECONDARY_STORAGE_NEAR_FULL' },
  'network.guestIps': { exhausted: 'SHARED_NETWORK_RANGE_EXHAUSTED' },
  'cluster.memory': { exhausted: 'CLUSTER_MEMORY_EXHAUSTED', nearFull: 'CLUSTER_CAPACITY_NEAR_FULL' },
  'cluster.cpu': { exhausted: 'CLUSTER_CPU_EXHAUSTED', nearFull: 'CLUSTER_CAPACITY_NEAR_FULL' },
  'cluster.guests': { exhausted: 'CLUSTER_GUEST_LIMIT_EXHAUSTED' },
  'cluster.nMinus1': { exhausted: 'CLUSTER_N_MINUS_1_VIOLATED' },
  'cluster.primaryStorage': { exhausted: 'PRIMARY_STORAGE_EXHAUSTED', nearFull: 'PRIMARY_STORAGE_NEAR_FULL' },
  'cluster.localStorage': { exhausted: 'PRIMARY_STORAGE_EXHAUSTED', nearFull: 'PRIMARY_STORAGE_NEAR_FULL' },
};

export type BudgetInput = Pick<Budget, 'kind' | 'scope' | 'entityId' | 'zoneId' | 'resource' | 'unit' | 'supply' | 'breakdown'> & {
  /** Share of the supply that may be used; 1 when CloudStack allocates to the last unit. */
  disableThreshold?: number;
  notificationThreshold?: number;
};

export function makeBudget(input: BudgetInput): Budget {
  const demand = input.breakdown.reduce((sum, line) => sum + line.amount, 0);
  const limit = input.supply * (input.disableThreshold ?? 1);
  const notificationThreshold = input.notificationThreshold ?? 0.75;
  const utilization = limit > 0 ? demand / limit : demand > 0 ? Infinity : 0;
  const status: BudgetStatus = demand > limit ? 'exhausted' : demand > input.supply * notificationThreshold ? 'near-full' : 'ok';
  return {
    kind: input.kind,
    scope: input.scope,
    entityId: input.entityId,
    zoneId: input.zoneId,
    resource: input.resource,
    unit: input.unit,
    demand: round(demand),
    supply: round(input.supply),
    limit: round(limit),
    notificationThreshold,
    headroom: round(limit - demand),
    utilization: Number.isFinite(utilization) ? Math.round(utilization * 10000) / 10000 : utilization,
    status,
    breakdown: input.breakdown.filter((line) => line.amount !== 0).map((line) => ({ label: line.label, amount: round(line.amount) })),
  };
}

/** Budgets hold whole units or two decimals; floating noise never reaches a report. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

export { formatCount } from '../format.js';
