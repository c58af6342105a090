import { RainbowKitProvider, connectorsForWallets, darkTheme } from "@rainbow-me/rainbowkit";
import { injectedWallet } from "@rainbow-me/rainbowkit/wallets";
import "@rainbow-me/rainbowkit/styles.css";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { harmonieChains } from "@harmonie/sdk";
import { useState } from "react";
import { BrowserRouter } from "react-router";
import { http, type Chain } from "viem";
import { WagmiProvider, createConfig } from "wagmi";
import type { RuntimeConfig } from "../config.ts";
import { type Harmonie, HarmonieProvider } from "../lib/harmonie.tsx";
import { Layout } from "./Layout.tsx";

function createWagmiConfig(config: RuntimeConfig) {
  const target = harmonieChains[config.chainId]!;
  // The deployment's chain first (the default); the others so a wallet on them is recognised.
  const chains = [target, ...Object.values(harmonieChains).filter((c) => c.id !== target.id)] as [Chain, ...Chain[]];
  // Browser wallets announce themselves (EIP-6963) and RainbowKit lists each one; the generic
  // injected entry covers older wallets. No WalletConnect: it needs a hosted relay and project id.
  const connectors = connectorsForWallets([{ groupName: "Wallets", wallets: [injectedWallet] }], {
    appName: "HarmonieCORE",
    projectId: "unused",
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

export function App({ harmonie }: { harmonie: Harmonie }) {
  const [state] = useState(() => ({
    wagmi: createWagmiConfig(harmonie.config),
    harmonie,
    queries: new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: 1 } } }),
  }));
  return (
    <WagmiProvider config={state.wagmi}>
      <QueryClientProvider client={state.queries}>
        <RainbowKitProvider
          theme={darkTheme({ accentColor: "#f5b72f", accentColorForeground: "#14122b" })}
          initialChain={state.harmonie.chain}
        >
          <HarmonieProvider value={state.harmonie}>
            <BrowserRouter>
              <Layout />
            </BrowserRouter>
          </HarmonieProvider>
        </RainbowKitProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
