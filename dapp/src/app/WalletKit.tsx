/**
 * The wallet stack: wagmi, RainbowKit and its stylesheet. Loaded on demand by `wallet.tsx`, so the
 * first page load (layout, Discover) doesn't download or run it.
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
import { type ReactNode, useEffect, useRef } from "react";
import { http, type Chain } from "viem";
import { WagmiProvider, createConfig } from "wagmi";
import type { RuntimeConfig } from "../config.ts";
import { useHarmonie } from "../lib/harmonie.tsx";

export { NetworkGuard } from "./NetworkGuard.tsx";

function createWagmiConfig(config: RuntimeConfig) {
  const target = harmonieChains[config.chainId]!;
  // The deployment's chain first (the default); the others so a wallet on them is recognised.
  const chains = [target, ...Object.values(harmonieChains).filter((c) => c.id !== target.id)] as [Chain, ...Chain[]];
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

/** wagmi + RainbowKit around the app; the QueryClientProvider is already above (App.tsx). */
export function WalletProviders({ children }: { children: ReactNode }) {
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
        {children}
      </RainbowKitProvider>
    </WagmiProvider>
  );
}

/** RainbowKit's button; opens the connect dialog at once if the visitor clicked before the kit loaded. */
export function WalletButton({ openNow, onOpened }: { openNow: boolean; onOpened: () => void }) {
  const { openConnectModal } = useConnectModal();
  const opened = useRef(false);
  useEffect(() => {
    // openConnectModal is only defined once RainbowKit knows the wallet is disconnected.
    if (!openNow || !openConnectModal || opened.current) return;
    opened.current = true;
    openConnectModal();
    onOpened();
  }, [openNow, openConnectModal, onOpened]);
  return <ConnectButton chainStatus={{ smallScreen: "icon", largeScreen: "name" }} showBalance={false} />;
}
