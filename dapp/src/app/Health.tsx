/**
 * Which of the deployment's services answer: the indexer (its `_meta` block, the SDK's
 * `getIndexerStatus`), the IPFS gateway (the empty identity CID every gateway knows) and the live
 * signalling service (its `/health`). When one does not, a banner says what that means for the
 * visitor, so an empty list or a missing figure is never taken for "nothing there".
 */
import { getIndexerStatus } from "@harmonie/sdk";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";
import type { RuntimeConfig } from "../config.ts";
import { useHarmonie } from "../lib/harmonie.tsx";
import { HEALTH_KEY } from "./health-key.ts";

type Service = "indexer" | "ipfs" | "signalling";
export type Health = Record<Service, boolean | undefined>;

const TIMEOUT_MS = 5_000;
/** The first check waits this long after start-up, unless a read fails first. */
const FIRST_CHECK_MS = 2_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timed out")), TIMEOUT_MS)),
  ]);
}

/** Any HTTP answer below 500 means the service is there (a 404 for a probe path is fine). */
async function answers(url: string, init?: RequestInit): Promise<boolean> {
  try {
    const response = await withTimeout(fetch(url, { ...init, cache: "no-store" }));
    return response.status < 500;
  } catch {
    return false;
  }
}

/** `ws://host:port/path` → `http://host:port/path/health`. */
function signallingHealthUrl(signallingUrl: string): string {
  const url = new URL(signallingUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : "http:";
  url.pathname = `${url.pathname.replace(/\/$/, "")}/health`;
  return url.href;
}

export async function probeServices(config: RuntimeConfig): Promise<Health> {
  const [indexer, ipfs, signalling] = await Promise.all([
    withTimeout(getIndexerStatus(config.indexerUrl)).then(
      () => true,
      () => false,
    ),
    answers(`${config.ipfsGatewayUrl.replace(/\/$/, "")}/ipfs/bafkqaaa`, { method: "HEAD" }),
    config.signallingUrl ? answers(signallingHealthUrl(config.signallingUrl)) : Promise.resolve(undefined),
  ]);
  return { indexer, ipfs, signalling };
}

function subscribeOnline(callback: () => void) {
  window.addEventListener("online", callback);
  window.addEventListener("offline", callback);
  return () => {
    window.removeEventListener("online", callback);
    window.removeEventListener("offline", callback);
  };
}

/**
 * Whether the first check may run: it would compete with the page's own first reads for the network and
 * delay what the visitor came for, so it waits FIRST_CHECK_MS, or until a read fails (then at once).
 */
function useFirstCheckDue(): boolean {
  const queries = useQueryClient();
  const [due, setDue] = useState(false);
  useEffect(() => {
    if (due) return;
    const timer = setTimeout(() => setDue(true), FIRST_CHECK_MS);
    const unsubscribe = queries.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.query.state.status === "error") setDue(true);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [due, queries]);
  return due;
}

/** The services' health, checked every 20 s (5 s while one is down, to say soon when it is back). */
export function useServiceHealth(): Health | undefined {
  const { config } = useHarmonie();
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  const due = useFirstCheckDue();
  const health = useQuery({
    queryKey: [...HEALTH_KEY, online],
    queryFn: () => probeServices(config),
    enabled: online && due,
    retry: false,
    refetchInterval: (query) => {
      const data = query.state.data;
      return data && Object.values(data).includes(false) ? 5_000 : 20_000;
    },
  });
  return online ? health.data : undefined;
}

const EFFECTS: Record<Service, [name: string, effect: string]> = {
  indexer: [
    "the index",
    "lists, totals and tip histories can't load, and figures that come from it are shown as unknown",
  ],
  ipfs: ["file storage (IPFS)", "covers, profiles and audio can't load"],
  signalling: ["the live video service", "live video and chat can't connect (tips still work)"],
};

/** The default export: the layout loads it beside the first page, keeping the query code out of the entry chunk. */
export default function HealthBanner() {
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  const health = useServiceHealth();
  if (!online)
    return (
      <div className="banner health" role="status" data-testid="health-banner">
        <p>
          You are offline. Pages you opened before and your saved tracks (Offline) still work; everything else waits for
          the connection.
        </p>
      </div>
    );
  const down = (Object.keys(EFFECTS) as Service[]).filter((service) => health?.[service] === false);
  if (down.length === 0) return null;
  return (
    <div className="banner health" role="status" data-testid="health-banner">
      <p>
        <strong>
          {down.length === 1 ? "One of HarmonieCORE's services is" : "Some of HarmonieCORE's services are"} not
          answering right now:
        </strong>
      </p>
      <ul>
        {down.map((service) => (
          <li key={service} data-testid={`health-${service}`}>
            {EFFECTS[service][0]}: {EFFECTS[service][1]}.
          </li>
        ))}
      </ul>
      <p className="muted">Checking again every few seconds.</p>
    </div>
  );
}
