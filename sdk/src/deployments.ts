import type { Address } from "viem";
import { NoDeploymentError } from "./errors.ts";
import { knownDeployments } from "./generated/deployments.ts";

/** The protocol's contracts. */
export type ContractName =
  | "HarmonieTipping"
  | "ContentRegistry"
  | "ArtistProfiles"
  | "LiveStreams"
  | "StakedCore"
  | "HarmonieGovernor"
  | "TimelockController";

/** An ERC-20 that tips accept besides native CORE (on Core: the bridged USDC and USDT). */
export interface PaymentToken {
  address: Address;
  symbol: string;
  decimals: number;
}

/** Where the protocol lives on one chain: the shape `npm run deploy` writes to deployments/<chainId>.json. */
export interface Deployment {
  chainId: number;
  network?: string;
  contracts: Record<ContractName, { address: Address; blockNumber: number }>;
  /** The ERC-20s governance had allow-listed at deployment; `getPaymentToken` asks the chain about any other. */
  tokens?: PaymentToken[];
}

/**
 * The deployment for a chain: the one passed in, else the one shipped with the SDK.
 *
 * @example
 * const deployment = getDeployment(1114);
 * console.log(deployment.contracts.HarmonieTipping.address);
 */
export function getDeployment(chainId: number | undefined, deployment?: Deployment): Deployment {
  if (deployment) return deployment;
  const known = chainId === undefined ? undefined : knownDeployments[chainId];
  if (!known) throw new NoDeploymentError(chainId);
  return known;
}

export { knownDeployments };
