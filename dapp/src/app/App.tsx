import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { BrowserRouter } from "react-router";
import { type Harmonie, HarmonieProvider } from "../lib/harmonie.tsx";
import { Layout } from "./Layout.tsx";
import { WalletProvider } from "./wallet.tsx";

export function App({ harmonie }: { harmonie: Harmonie }) {
  const [queries] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: 1 } } }));
  // The query cache sits above the (lazily loaded) wallet providers, so it survives their arrival.
  return (
    <QueryClientProvider client={queries}>
      <HarmonieProvider value={harmonie}>
        <WalletProvider>
          <BrowserRouter>
            <Layout />
          </BrowserRouter>
        </WalletProvider>
      </HarmonieProvider>
    </QueryClientProvider>
  );
}
