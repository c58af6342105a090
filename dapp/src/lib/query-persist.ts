/**
 * What this device has seen, kept for when it is offline: the app's successful reads (indexer, IPFS
 * metadata, chain) are saved in localStorage — plain data only, bigints tagged, at most 2 MB, newest
 * first — and restored at start-up. Offline, a page visited before shows what it showed last (the
 * health banner says the app is offline) instead of an error; online, every restored read is stale
 * and refetched as usual.
 */
import { type DehydratedState, type QueryClient, dehydrate, hydrate } from "@tanstack/react-query";

const STORAGE_KEY = "harmonie:queries";
const MAX_BYTES = 2_000_000;
const MAX_AGE_MS = 14 * 24 * 3600_000;
/** Reads worth nothing after a reload (object URLs, clocks, prices) or that probe the services. */
const SKIPPED = new Set(["ipfs-image", "chain-time", "service-health", "livepeer-studio", "fiat-price"]);

const replacer = (_: string, value: unknown) => (typeof value === "bigint" ? { $bigint: value.toString() } : value);
const reviver = (_: string, value: unknown) => {
  const tagged = value as { $bigint?: unknown } | null;
  return tagged && typeof tagged === "object" && typeof tagged.$bigint === "string" && Object.keys(tagged).length === 1
    ? BigInt(tagged.$bigint)
    : value;
};

/** JSON-safe data only: no bytes, blobs, maps or class instances (they would not come back as they were). */
function plain(value: unknown, depth = 0): boolean {
  if (value === null || ["string", "number", "boolean", "bigint", "undefined"].includes(typeof value)) return true;
  if (typeof value !== "object" || depth > 12) return false;
  if (Array.isArray(value)) return value.every((item) => plain(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every((item) => plain(item, depth + 1));
}

/** Puts the last saved reads back in the cache (as stale data). */
export function restoreQueries(client: QueryClient) {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (!saved) return;
    const { savedAt, state } = JSON.parse(saved, reviver) as { savedAt: number; state: DehydratedState };
    if (Date.now() - savedAt > MAX_AGE_MS) return localStorage.removeItem(STORAGE_KEY);
    // Restored reads are as old as can be: each is refetched when a page uses it (a reload revalidates,
    // whatever the staleTime), except the immutable ones (staleTime Infinity, e.g. IPFS content by CID).
    for (const query of state.queries) query.state.dataUpdatedAt = 0;
    hydrate(client, state);
  } catch {
    localStorage.removeItem(STORAGE_KEY); // unreadable (another version's): start afresh
  }
}

/** Saves the cache's successful reads a second after the last one arrived. */
export function persistQueries(client: QueryClient) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    const state = dehydrate(client, {
      shouldDehydrateQuery: (query) =>
        query.state.status === "success" && !SKIPPED.has(String(query.queryKey[0])) && plain(query.state.data),
    });
    // Newest first, dropping the oldest until it fits.
    state.queries.sort((a, b) => b.state.dataUpdatedAt - a.state.dataUpdatedAt);
    let text = JSON.stringify({ savedAt: Date.now(), state }, replacer);
    while (text.length > MAX_BYTES && state.queries.length > 0) {
      state.queries.splice(Math.floor(state.queries.length * 0.75));
      text = JSON.stringify({ savedAt: Date.now(), state }, replacer);
    }
    try {
      localStorage.setItem(STORAGE_KEY, text);
    } catch {
      // Storage full or disabled: offline pages then show their errors, as without this.
    }
  };
  return client.getQueryCache().subscribe((event) => {
    if (event.type !== "updated" || event.action.type !== "success") return;
    clearTimeout(timer);
    timer = setTimeout(save, 1_000);
  });
}
