/**
 * A chain reader for pages that work without the wallet kit (Offline): plain viem over the
 * configured RPC, so checking a saved copy's licence does not load wagmi.
 */
import { useMemo } from "react";
import { http, createClient } from "viem";
import { useHarmonie } from "./harmonie.tsx";

export function useStandaloneReader() {
  const { chain, config } = useHarmonie();
  return useMemo(
    () => createClient({ chain, transport: http(config.rpcUrl, { retryCount: 0, timeout: 8_000 }) }),
    [chain, config.rpcUrl],
  );
}
