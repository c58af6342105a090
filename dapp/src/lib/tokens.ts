/**
 * What a payment token is called and how many decimals it has: the deployment's tokens (CORE and the
 * stablecoins allow-listed at deployment) are known; any other token (e.g. one a proposal would
 * allow-list) is asked once for its ERC-20 symbol and decimals.
 */
import { CORE, type PaymentToken, paymentTokens } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type Address, erc20Abi, isAddressEqual } from "viem";
import { useHarmonie } from "./harmonie.tsx";
import { useReader } from "./wallet.ts";

export function useToken(address: Address | undefined): PaymentToken | undefined {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const known = address && paymentTokens(deployment).find((t) => isAddressEqual(t.address, address));
  const read = useQuery({
    queryKey: ["erc20", address],
    enabled: !!address && !known,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async (): Promise<PaymentToken> => {
      const [symbol, decimals] = await Promise.all([
        reader.readContract({ address: address!, abi: erc20Abi, functionName: "symbol" }),
        reader.readContract({ address: address!, abi: erc20Abi, functionName: "decimals" }),
      ]);
      return { address: address!, symbol, decimals };
    },
  });
  return known || read.data;
}

export const isCore = (address: Address | undefined) => !address || isAddressEqual(address, CORE);
