/**
 * The chain and the visitor's wallet for pages, without wagmi: reads go through a plain viem client
 * over the configured RPC, so an artist or track page renders from its deep link before (and without)
 * the wallet kit; the account and wallet client are the kit's once it has loaded (wallet-state.ts).
 */
import { type Chain, type Client, type HttpTransport, createClient, http } from "viem";
import { type Harmonie, useHarmonie } from "./harmonie.tsx";

export { type Wallet, useAccount, useConnect, useWallet, useWalletState } from "./wallet-state.ts";

/**
 * A bare viem client: the SDK calls viem's actions on it (tree-shaken), so a page carries only the
 * actions it uses, not all of `publicActions`. Pages do the same (`getBlock(reader)` from viem/actions).
 */
export type Reader = Client<HttpTransport, Chain>;

const readers = new WeakMap<Harmonie, Reader>();

/** A read client on the deployment's chain (whatever chain the wallet is on): one per app. */
export function useReader(): Reader {
  return readerOf(useHarmonie());
}

export function readerOf(harmonie: Harmonie): Reader {
  let reader = readers.get(harmonie);
  if (!reader) {
    reader = createClient({ chain: harmonie.chain, transport: http(harmonie.config.rpcUrl) });
    readers.set(harmonie, reader);
  }
  return reader;
}
