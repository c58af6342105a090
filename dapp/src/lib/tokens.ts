/**
 * What a payment token is called and how many decimals it has: the deployment's tokens (CORE and the
 * stablecoins allow-listed at deployment) are known; any other token (e.g. one a proposal would
 * allow-list) is asked once through the SDK, and its name is only its own claim (`known: false`).
 */
import { CORE, getPaymentToken, paymentTokens, type TokenInfo } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type Address, isAddressEqual } from "viem";
import { useHarmonie } from "./harmonie.tsx";
import { useReader } from "./wallet.ts";

export function useToken(
  address: Address | undefined,
): Pick<TokenInfo, "address" | "symbol" | "decimals" | "known"> | undefined {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const listed = address && paymentTokens(deployment).find((t) => isAddressEqual(t.address, address));
  const read = useQuery({
    queryKey: ["payment-token", address],
    enabled: !!address && !listed,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () => getPaymentToken(reader, { deployment, token: address! }),
  });
  return listed ? { ...listed, known: true } : read.data;
}

export const isCore = (address: Address | undefined) => !address || isAddressEqual(address, CORE);
