/** wagmi-backed clients for pages inside <RequireWallet> (app/wallet.tsx): wagmi is not in the entry chunk. */
import { useMemo } from "react";
import { usePublicClient, useWalletClient } from "wagmi";
import { useHarmonie } from "./harmonie.tsx";

/** A read client on the deployment's chain (whatever chain the wallet is on). */
export function useReader() {
  const { chain } = useHarmonie();
  return usePublicClient({ chainId: chain.id })!;
}

/** The connected wallet as a viem WalletClient, for SDK writes. */
export function useWallet() {
  const { data } = useWalletClient();
  return useMemo(() => data, [data]);
}
