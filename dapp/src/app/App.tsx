import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { BrowserRouter } from "react-router";
import { type Harmonie, HarmonieProvider } from "../lib/harmonie.tsx";
import { persistQueries, restoreQueries } from "../lib/query-persist.ts";
import { HEALTH_KEY } from "./health-key.ts";
import { Layout } from "./Layout.tsx";
import { prefetchDeepLink } from "./prefetch.ts";
import { WalletProvider } from "./wallet.tsx";

export function App({ harmonie }: { harmonie: Harmonie }) {
  const [queries] = useState(() => {
    const client: QueryClient = new QueryClient({
      defaultOptions: { queries: { staleTime: 10_000, retry: 1 } },
      // A failed read may mean a service went down: check them now rather than at the next probe.
      queryCache: new QueryCache({
        onError: (_, query) => {
          if (query.queryKey[0] === HEALTH_KEY[0]) return;
          const probed = client.getQueryCache().findAll({ queryKey: HEALTH_KEY });
          const last = Math.max(0, ...probed.map((q) => q.state.dataUpdatedAt));
          if (Date.now() - last > 3_000) void client.invalidateQueries({ queryKey: HEALTH_KEY });
        },
      }),
    });
    // What this device saw last time, for offline: restored stale, refetched when online.
    restoreQueries(client);
    persistQueries(client);
    prefetchDeepLink(client, harmonie, location.pathname);
    return client;
  });
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
