import type { Id } from './entities.js';

/** Facts of the commands in network-commands.ts. */
export type NetworkEvent =
  | { type: 'networkOfferingDeleted'; networkOfferingId: Id }
  | { type: 'vpcUpdated'; vpcId: Id; name?: string; displayText?: string }
  /** The VPC's routers apply their configuration again (new routers, when cleaned up, come as vmCreated events). */
  | { type: 'vpcRestarted'; vpcId: Id; cleanup: boolean; atMs: number };
