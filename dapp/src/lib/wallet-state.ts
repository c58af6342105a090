/**
 * The visitor's wallet as pages see it, without wagmi: the wallet kit (wagmi + RainbowKit,
 * app/WalletKit.tsx) is most of the app's JavaScript and loads after the page, or when an action
 * needs it (app/wallet.tsx). The account and the wallet client come from the kit once it is there
 * (undefined before, as for a visitor without a wallet). Pages import this through lib/wallet.ts; the
 * layout imports it directly (the entry chunk carries no viem client).
 */
import { createContext, useContext } from "react";
import type { Address } from "viem";
import type { UseWalletClientReturnType } from "wagmi";

/** The connected wallet as a viem WalletClient (wagmi's), for SDK writes. */
export type Wallet = NonNullable<UseWalletClientReturnType["data"]>;

export interface WalletState {
  /** The connected account; undefined while disconnected or before the kit has loaded. */
  address?: Address;
  wallet?: Wallet;
  /** The kit is loaded and has said whether a wallet is connected. */
  ready: boolean;
  /** Loads the kit (on idle, on a hover); `connect` also opens RainbowKit's connect dialog once it is there. */
  load(connect?: boolean): void;
}

export const WalletContext = createContext<WalletState>({ ready: false, load: () => {} });

export function useWalletState(): WalletState {
  return useContext(WalletContext);
}

/** The connected account, like wagmi's `useAccount` (undefined until the kit has reconnected it). */
export function useAccount(): { address?: Address } {
  return { address: useContext(WalletContext).address };
}

/** The connected wallet as a viem WalletClient, for SDK writes. */
export function useWallet(): Wallet | undefined {
  return useContext(WalletContext).wallet;
}

/** Opens the connect dialog (loading the kit first): for "Connect a wallet to …" buttons. */
export function useConnect(): () => void {
  const { load } = useContext(WalletContext);
  return () => load(true);
}
