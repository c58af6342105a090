/**
 * The chain and the visitor's wallet for pages, without wagmi: reads go through a plain viem client
 * over the configured RPC, so an artist or track page renders from its deep link before (and without)
 * the wallet kit; the account and wallet client are the kit's once it has loaded (wallet-state.ts).
 */
import { type PublicClient, createPublicClient, http } from "viem";
import { type Harmonie, useHarmonie } from "./harmonie.tsx";

export { type Wallet, useAccount, useConnect, useWallet, useWalletState } from "./wallet-state.ts";

const readers = new WeakMap<Harmonie, PublicClient>();

/** A read client on the deployment's chain (whatever chain the wallet is on): one per app. */
export function useReader(): PublicClient {
  return readerOf(useHarmonie());
}

export function readerOf(harmonie: Harmonie): PublicClient {
  let reader = readers.get(harmonie);
  if (!reader) {
    reader = createPublicClient({ chain: harmonie.chain, transport: http(harmonie.config.rpcUrl) });
    readers.set(harmonie, reader);
  }
  return reader;
}
