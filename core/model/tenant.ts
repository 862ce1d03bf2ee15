import type { GuestType, Id, Network } from './entities.js';

/**
 * What tenants use besides VMs, storage and network services: the network and VPC offerings
 * networks are created from, SSH key pairs (the public half only; a private key never reaches
 * the cloud) and tags on resources.
 */

export type OfferingState = 'Enabled' | 'Disabled';

export interface NetworkOffering {
  id: Id;
  name: string;
  displayText: string;
  guestType: GuestType;
  /** CloudStack service names the networks of the offering get (SourceNat, Lb, Firewall, ...). */
  services: string[];
  /** For the tiers of VPCs. */
  forVpc: boolean;
  /** Whether a network of the offering is given its VLAN (shared networks) rather than drawn from the pool. */
  specifyVlan: boolean;
  /** Whether a network of the offering is given its own address range (shared networks). */
  specifyIpRanges: boolean;
  /** Whether networks of the offering stay implemented without VMs. */
  persistent: boolean;
  /** Whether one public address may serve port forwarding and load balancing together. */
  conserveMode: boolean;
  /** Whether egress is allowed when no egress rule says otherwise. */
  egressDefaultPolicy: boolean;
  /** Required: the offering of the network an account gets when it deploys without naming one. */
  availability: 'Optional' | 'Required';
  networkRateMbps?: number;
  /** The tag of the guest physical network its networks use. */
  tags?: string;
  /** One of the offerings every cloud starts with. */
  isDefault: boolean;
  state: OfferingState;
}

export interface VpcOffering {
  id: Id;
  name: string;
  displayText: string;
  services: string[];
  redundantRouter: boolean;
  isDefault: boolean;
  state: OfferingState;
}

export interface SshKeyPair {
  id: Id;
  /** Unique within the account. */
  name: string;
  accountId: Id;
  /** OpenSSH public key text (`ssh-rsa AAAA... comment`). */
  publicKey: string;
  /** MD5 fingerprint of the key, colon-separated hex, as CloudStack shows it. */
  fingerprint: string;
}

/** The resource types tags can be put on, in CloudStack's ResourceObjectType spelling. */
export const TAGGABLE_TYPES = ['UserVm', 'Template', 'ISO', 'Volume', 'Snapshot', 'Network', 'Vpc', 'PublicIpAddress', 'PortForwardingRule', 'FirewallRule', 'LoadBalancer', 'SecurityGroup'] as const;
export type TaggableType = (typeof TAGGABLE_TYPES)[number];

export interface ResourceTag {
  id: Id;
  key: string;
  value: string;
  resourceType: TaggableType;
  resourceId: Id;
  /** The owner of the resource, who owns its tags. */
  accountId: Id;
}

const ISOLATED_SERVICES = ['Dhcp', 'Dns', 'UserData', 'Firewall', 'Gateway', 'Lb', 'PortForwarding', 'SourceNat', 'StaticNat', 'Vpn'];
const VPC_TIER_SERVICES = ['Dhcp', 'Dns', 'UserData', 'Lb', 'StaticNat', 'PortForwarding', 'Vpn', 'SourceNat', 'Gateway', 'NetworkACL'];

/**
 * The offerings every cloud starts with keep fixed ids in the UUID form clients expect (the last
 * digits number them), so a network created from one names the same offering in every cloud.
 */
export const DEFAULT_NETWORK_OFFERING_IDS = {
  isolatedSourceNat: '00000000-0000-4000-8000-00000000a001',
  isolated: '00000000-0000-4000-8000-00000000a002',
  shared: '00000000-0000-4000-8000-00000000a003',
  sharedSecurityGroups: '00000000-0000-4000-8000-00000000a004',
  vpcTier: '00000000-0000-4000-8000-00000000a005',
  l2: '00000000-0000-4000-8000-00000000a006',
} as const;

export const DEFAULT_VPC_OFFERING_IDS = {
  vpc: '00000000-0000-4000-8000-00000000b001',
  redundantVpc: '00000000-0000-4000-8000-00000000b002',
} as const;

export function defaultNetworkOfferings(): NetworkOffering[] {
  const base = { forVpc: false, specifyVlan: false, specifyIpRanges: false, persistent: false, conserveMode: true, egressDefaultPolicy: false, availability: 'Optional' as const, isDefault: true, state: 'Enabled' as const };
  const ids = DEFAULT_NETWORK_OFFERING_IDS;
  return [
    { ...base, id: ids.isolatedSourceNat, name: 'DefaultIsolatedNetworkOfferingWithSourceNatService', displayText: 'Offering for Isolated networks with Source Nat service enabled', guestType: 'Isolated', services: [...ISOLATED_SERVICES], availability: 'Required' },
    { ...base, id: ids.isolated, name: 'DefaultIsolatedNetworkOffering', displayText: 'Offering for Isolated networks with no Source Nat service', guestType: 'Isolated', services: ['Dhcp', 'Dns', 'UserData', 'Firewall'], specifyVlan: true, specifyIpRanges: true },
    { ...base, id: ids.shared, name: 'DefaultSharedNetworkOffering', displayText: 'Offering for Shared networks', guestType: 'Shared', services: ['Dhcp', 'Dns', 'UserData'], specifyVlan: true, specifyIpRanges: true },
    { ...base, id: ids.sharedSecurityGroups, name: 'DefaultSharedNetworkOfferingWithSGService', displayText: 'Offering for Shared Security group enabled networks', guestType: 'Shared', services: ['Dhcp', 'Dns', 'UserData', 'SecurityGroup'], specifyVlan: true, specifyIpRanges: true },
    { ...base, id: ids.vpcTier, name: 'DefaultIsolatedNetworkOfferingForVpcNetworks', displayText: 'Offering for Isolated VPC networks with Source Nat service enabled', guestType: 'Isolated', services: [...VPC_TIER_SERVICES], forVpc: true },
    { ...base, id: ids.l2, name: 'DefaultL2NetworkOffering', displayText: 'Offering for L2 networks', guestType: 'L2', services: [] },
  ];
}

export function defaultVpcOfferings(): VpcOffering[] {
  const services = ['Dhcp', 'Dns', 'UserData', 'Lb', 'StaticNat', 'PortForwarding', 'Vpn', 'SourceNat', 'Gateway', 'NetworkACL'];
  return [
    { id: DEFAULT_VPC_OFFERING_IDS.vpc, name: 'Default VPC offering', displayText: 'Default VPC offering', services: [...services], redundantRouter: false, isDefault: true, state: 'Enabled' },
    { id: DEFAULT_VPC_OFFERING_IDS.redundantVpc, name: 'Redundant VPC offering', displayText: 'Redundant VPC offering', services: [...services], redundantRouter: true, isDefault: true, state: 'Enabled' },
  ];
}

/**
 * The offering of a network: the one it was created from, or, for networks made without one (an
 * account's default network, a scenario's networks), the default offering of its kind.
 */
export function networkOfferingIdOf(network: Network): Id {
  if (network.networkOfferingId !== undefined) return network.networkOfferingId;
  const ids = DEFAULT_NETWORK_OFFERING_IDS;
  if (network.guestType === 'L2') return ids.l2;
  if (network.guestType === 'Shared') return network.services.includes('SecurityGroup') ? ids.sharedSecurityGroups : ids.shared;
  if (network.vpcId !== undefined) return ids.vpcTier;
  return network.services.includes('SourceNat') ? ids.isolatedSourceNat : ids.isolated;
}

/** The offering of a VPC: the one it was created from, or the default (redundant) one. */
export function vpcOfferingIdOf(vpc: { vpcOfferingId?: Id; redundantRouter: boolean }): Id {
  return vpc.vpcOfferingId ?? (vpc.redundantRouter ? DEFAULT_VPC_OFFERING_IDS.redundantVpc : DEFAULT_VPC_OFFERING_IDS.vpc);
}
