import type { Id } from './entities.js';

/**
 * Commands of guest networking that neither the build nor the first lifecycle slice had: the end
 * of a network offering, and a VPC's name and restart (the network counterparts are in
 * tenant-commands.ts).
 */

/** Only an offering that is not one of the defaults and that no network uses can go. */
export interface DeleteNetworkOffering {
  type: 'deleteNetworkOffering';
  id: Id;
}

export interface UpdateVpc {
  type: 'updateVPC';
  id: Id;
  name?: string;
  displayText?: string;
}

export interface RestartVpc {
  type: 'restartVPC';
  id: Id;
  /** The VPC's routers are replaced by new ones rather than reconfigured. */
  cleanup?: boolean;
}

export type NetworkCommand = DeleteNetworkOffering | UpdateVpc | RestartVpc;
