import type { Id, TrafficType } from './entities.js';

/**
 * What a physical network offers besides its traffic: the network service providers CloudStack
 * adds to every physical network it creates, and the virtual router elements the VirtualRouter
 * and VpcVirtualRouter providers need enabled before they can be. The ids of these records, and
 * of the traffic types a physical network may carry, are handed out with the physical network.
 */

export const NETWORK_SERVICE_PROVIDER_NAMES = ['VirtualRouter', 'SecurityGroupProvider', 'VpcVirtualRouter', 'InternalLbVm', 'ConfigDrive'] as const;
export type NetworkServiceProviderName = (typeof NETWORK_SERVICE_PROVIDER_NAMES)[number];
export type NetworkServiceProviderState = 'Enabled' | 'Disabled';

/** The services each provider's network element implements, as CloudStack lists them. */
export const PROVIDER_SERVICES: Readonly<Record<NetworkServiceProviderName, readonly string[]>> = {
  VirtualRouter: ['Dhcp', 'Dns', 'Firewall', 'Gateway', 'Lb', 'PortForwarding', 'SourceNat', 'StaticNat', 'UserData', 'Vpn'],
  SecurityGroupProvider: ['SecurityGroup'],
  VpcVirtualRouter: ['Dhcp', 'Dns', 'Gateway', 'Lb', 'NetworkACL', 'PortForwarding', 'SourceNat', 'StaticNat', 'UserData', 'Vpn'],
  InternalLbVm: ['Lb'],
  ConfigDrive: ['UserData'],
};

/** Providers whose element must be configured (configureVirtualRouterElement) before they are enabled. */
export const PROVIDERS_WITH_ELEMENT: ReadonlySet<NetworkServiceProviderName> = new Set(['VirtualRouter', 'VpcVirtualRouter']);

export interface VirtualRouterElement {
  id: Id;
  enabled: boolean;
}

export interface NetworkServiceProvider {
  id: Id;
  name: NetworkServiceProviderName;
  state: NetworkServiceProviderState;
  services: string[];
  element?: VirtualRouterElement;
}

export interface PhysicalNetworkServices {
  /** The physical network's id. */
  id: Id;
  providers: NetworkServiceProvider[];
  /** The id of each traffic type on this physical network, whether it carries it yet or not. */
  trafficTypeIds: Record<TrafficType, Id>;
}
