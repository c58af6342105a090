/**
 * The wallet stack: wagmi, RainbowKit and its stylesheet. Loaded on demand by `wallet.tsx`, so no
 * page's first load (layout, Discover, an artist or a track) downloads or runs it.
 */
import {
  ConnectButton,
  RainbowKitProvider,
  connectorsForWallets,
  darkTheme,
  useConnectModal,
} from "@rainbow-me/rainbowkit";
import { injectedWallet, walletConnectWallet } from "@rainbow-me/rainbowkit/wallets";
import "@rainbow-me/rainbowkit/styles.css";
import { harmonieChains } from "@harmonie/sdk";
import { useEffect } from "react";
import { createPortal } from "react-dom";
import { type Address, http, type Chain } from "viem";
import { WagmiProvider, createConfig, useAccount, useWalletClient } from "wagmi";
import type { RuntimeConfig } from "../config.ts";
import { useHarmonie } from "../lib/harmonie.tsx";
import type { Wallet } from "../lib/wallet-state.ts";
import { NetworkGuard } from "./NetworkGuard.tsx";

// Every chain the protocol knows is Core (or the local chain that stands in for it): one mark for all of
// them in RainbowKit's chain button and lists, drawn here (an orange disc, a ring, a core).
const CORE_ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 28 28"><circle cx="14" cy="14" r="14" fill="#ff9211"/><circle cx="14" cy="14" r="8" fill="none" stroke="#fff" stroke-width="3"/><circle cx="14" cy="14" r="3" fill="#fff"/></svg>',
  );

function createWagmiConfig(config: RuntimeConfig) {
  const marked = (chain: Chain) => ({ ...chain, iconUrl: CORE_ICON, iconBackground: "#ff9211" });
  const target = marked(harmonieChains[config.chainId]!);
  // The deployment's chain first (the default); the others so a wallet on them is recognised.
  const others = Object.values(harmonieChains).filter((c) => c.id !== target.id);
  const chains = [target, ...others.map(marked)] as [Chain, ...Chain[]];
  // Browser wallets announce themselves (EIP-6963) and RainbowKit lists each one; the generic
  // injected entry covers older wallets. WalletConnect (phone wallets) needs Reown's hosted relay and
  // a project id, so it is offered only when the deployment's config.json names one.
  const projectId = config.walletConnectProjectId;
  const wallets = projectId ? [injectedWallet, walletConnectWallet] : [injectedWallet];
  const connectors = connectorsForWallets([{ groupName: "Wallets", wallets }], {
    appName: "HarmonieCORE",
    projectId: projectId ?? "unused",
  });
  return createConfig({
    chains,
    connectors,
    // EIP-6963: every installed wallet announces itself and RainbowKit lists it.
    multiInjectedProviderDiscovery: true,
    transports: Object.fromEntries(
      chains.map((chain) => [chain.id, chain.id === target.id && config.rpcUrl ? http(config.rpcUrl) : http()]),
    ),
  });
}

// One wagmi config per page load: it holds the connection state.
let wagmiConfig: ReturnType<typeof createWagmiConfig> | undefined;

/** What the kit tells the app (lib/wallet.ts's WalletContext): the account and its wallet client. */
export interface KitAccount {
  address?: Address;
  wallet?: Wallet;
}

/**
 * wagmi + RainbowKit beside the app (the QueryClientProvider is above both, App.tsx): the account goes
 * up through `onAccount`, the Connect button and the network prompt into the layout's slots (portals,
 * inside a `data-rk` box for RainbowKit's theme), the connect dialog opens over everything.
 */
export function WalletRoot({
  onAccount,
  connectSlot,
  guardSlot,
  openNow,
  onOpened,
}: {
  onAccount: (account: KitAccount) => void;
  connectSlot: HTMLElement | undefined;
  guardSlot: HTMLElement | undefined;
  openNow: boolean;
  onOpened: () => void;
}) {
  const harmonie = useHarmonie();
  wagmiConfig ??= createWagmiConfig(harmonie.config);
  return (
    <WagmiProvider config={wagmiConfig}>
      <RainbowKitProvider
        theme={darkTheme({ accentColor: "#f5b72f", accentColorForeground: "#14122b" })}
        initialChain={harmonie.chain}
        // The app is in English; this also keeps RainbowKit's other translations unused (see vite.config.ts).
        locale="en-US"
      >
        <AccountReport onAccount={onAccount} />
        {connectSlot &&
          createPortal(
            <div data-rk="">
              <WalletButton openNow={openNow} onOpened={onOpened} />
            </div>,
            connectSlot,
          )}
        {guardSlot && createPortal(<NetworkGuard />, guardSlot)}
      </RainbowKitProvider>
    </WagmiProvider>
  );
}

function AccountReport({ onAccount }: { onAccount: (account: KitAccount) => void }) {
  const { address } = useAccount();
  const { data: wallet } = useWalletClient();
  useEffect(() => onAccount({ address, wallet }), [onAccount, address, wallet]);
  return null;
}

/** RainbowKit's button; opens the connect dialog when the app asks (a click before the kit loaded, a "Connect a wallet to tip"). */
function WalletButton({ openNow, onOpened }: { openNow: boolean; onOpened: () => void }) {
  const { openConnectModal } = useConnectModal();
  useEffect(() => {
    // openConnectModal is only defined once RainbowKit knows the wallet is disconnected.
    if (!openNow || !openConnectModal) return;
    openConnectModal();
    onOpened();
  }, [openNow, openConnectModal, onOpened]);
  return <ConnectButton chainStatus={{ smallScreen: "icon", largeScreen: "name" }} showBalance={false} />;
}
