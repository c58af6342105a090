/**
 * COINGECKO STAND-IN — not CoinGecko. The dApp's optional fiat estimate reads a CoinGecko-compatible
 * price API, which the test machines cannot reach, so this local server answers the one endpoint the
 * dApp uses as CoinGecko's public API reference (docs.coingecko.com, "Coin Price by IDs") documents it:
 *
 *   GET /api/v3/simple/price?ids=a,b&vs_currencies=usd,eur[&include_last_updated_at=true]
 *     200 { "<id>": { "<currency>": <number>, …, "last_updated_at": <unix seconds> } }
 *         ids and currencies are comma-separated and case-insensitive; an unknown id is left out of
 *         the answer (no id known: `{}`) and so is an unknown currency
 *     400 { error } without `ids` or `vs_currencies`
 *     429 when `failNext(429)` was called (as the public API's rate limit answers)
 *
 * Answers carry `Access-Control-Allow-Origin: *`, as the public API's do, so a browser can read them.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface CoinGeckoStandIn {
  /** The API base a client appends `/simple/price` to, e.g. `http://127.0.0.1:PORT/api/v3`. */
  apiUrl: string;
  /** Sets a coin's price in a currency, and when CoinGecko last updated it (default: now). */
  setPrice(id: string, currency: string, price: number, updatedAt?: Date): void;
  /** The next `times` requests answer `status` (e.g. 429) with CoinGecko's error body. */
  failNext(status: number, times?: number): void;
  /** Price requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function startCoinGeckoStandIn(): Promise<CoinGeckoStandIn> {
  const prices = new Map<string, { values: Map<string, number>; updatedAt: number }>();
  let failures: { status: number; times: number } | undefined;
  let received = 0;

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "GET" || url.pathname !== "/api/v3/simple/price") return send(404, { error: "Not found" });
    received++;
    if (failures && failures.times > 0) {
      failures.times--;
      return send(failures.status, {
        status: { error_code: failures.status, error_message: "You've exceeded the Rate Limit." },
      });
    }
    const list = (name: string) =>
      (url.searchParams.get(name) ?? "")
        .split(",")
        .map((part) => part.trim().toLowerCase())
        .filter(Boolean);
    const ids = list("ids");
    const currencies = list("vs_currencies");
    if (ids.length === 0) return send(400, { error: "Missing parameter ids" });
    if (currencies.length === 0) return send(400, { error: "Missing parameter vs_currencies" });
    const withTime = url.searchParams.get("include_last_updated_at") === "true";
    const answer: Record<string, Record<string, number>> = {};
    for (const id of ids) {
      const coin = prices.get(id);
      if (!coin) continue;
      const entry: Record<string, number> = {};
      for (const currency of currencies) {
        const value = coin.values.get(currency);
        if (value !== undefined) entry[currency] = value;
      }
      if (withTime) entry.last_updated_at = coin.updatedAt;
      answer[id] = entry;
    }
    send(200, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/v3`,
    setPrice(id, currency, price, updatedAt = new Date()) {
      const coin = prices.get(id) ?? { values: new Map(), updatedAt: 0 };
      coin.values.set(currency.toLowerCase(), price);
      coin.updatedAt = Math.floor(updatedAt.getTime() / 1000);
      prices.set(id, coin);
    },
    failNext(status, times = 1) {
      failures = { status, times };
    },
    requests: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
