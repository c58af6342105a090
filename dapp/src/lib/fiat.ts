/**
 * A fiat estimate of a token amount, when the deployment configures a price source (`fiat` in
 * config.json; off by default). Only an estimate: tips are sent and shown in their token.
 */
import type { PaymentToken } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { formatUnits } from "viem";
import type { RuntimeConfig } from "../config.ts";

const DEFAULT_COIN_IDS: Record<string, string> = { CORE: "coredaoorg", USDC: "usd-coin", USDT: "tether" };
/** CoinGecko refreshes a price every 60 s; one older than this says the source has stopped. */
const STALE_AFTER_S = 3600;

export type FiatPrice = { price: number } | { unknown: "no price" | "stale" };

/** Reads `/simple/price`'s answer for one coin in one currency (`last_updated_at` in unix seconds). */
export function priceFrom(body: unknown, id: string, currency: string, nowS: number): FiatPrice {
  const entry = (body as Record<string, Record<string, unknown> | undefined> | null)?.[id];
  const price = entry?.[currency];
  if (typeof price !== "number" || !Number.isFinite(price) || price < 0) return { unknown: "no price" };
  const updatedAt = entry?.last_updated_at;
  if (typeof updatedAt === "number" && nowS - updatedAt > STALE_AFTER_S) return { unknown: "stale" };
  return { price };
}

// Intl formats any three letters as a currency (with 2 decimals): only ISO 4217's get that style.
let isoCurrencies: Set<string> | undefined;

/** "≈ $5.20": the amount times the price, in the visitor's locale; a non-ISO currency (btc) by its code. */
export function estimateOf(amount: bigint, decimals: number, price: number, currency: string, locale?: string) {
  const value = Number(formatUnits(amount, decimals)) * price;
  const code = currency.toUpperCase();
  isoCurrencies ??= new Set(Intl.supportedValuesOf("currency"));
  return isoCurrencies.has(code)
    ? `≈ ${new Intl.NumberFormat(locale, { style: "currency", currency: code }).format(value)}`
    : `≈ ${value.toPrecision(3)} ${code}`;
}

/** The estimate's line for a tip form: undefined when no price source is configured for this token. */
export function useFiatEstimate(
  fiat: RuntimeConfig["fiat"],
  token: PaymentToken,
  amount: bigint | undefined,
): string | undefined {
  const id = fiat && ({ ...DEFAULT_COIN_IDS, ...fiat.coinIds } as Record<string, string | undefined>)[token.symbol];
  const currency = fiat?.currency.toLowerCase() ?? "";
  const read = useQuery({
    queryKey: ["fiat-price", fiat?.priceApiUrl, id, currency],
    enabled: !!id,
    staleTime: 60_000,
    refetchInterval: 60_000,
    retry: 1,
    queryFn: async (): Promise<FiatPrice> => {
      const url = new URL(`${fiat!.priceApiUrl.replace(/\/$/, "")}/simple/price`);
      url.search = new URLSearchParams({
        ids: id!,
        vs_currencies: currency,
        include_last_updated_at: "true",
      }).toString();
      const response = await fetch(url);
      if (!response.ok) throw new Error(`price source answered HTTP ${response.status}`);
      return priceFrom(await response.json(), id!, currency, Date.now() / 1000);
    },
  });
  if (!id) return undefined;
  const code = currency.toUpperCase();
  // A failed refresh hides the last rate too: an estimate is shown only while the source answers.
  if (read.isError) return `No ${code} estimate right now: the price source did not answer.`;
  if (!read.data) return `≈ … ${code}`;
  if ("unknown" in read.data)
    return read.data.unknown === "stale"
      ? `No ${code} estimate right now: the price source's last rate is over an hour old.`
      : `No ${code} estimate: the price source has no rate for ${token.symbol}.`;
  return amount === undefined ? undefined : estimateOf(amount, token.decimals, read.data.price, currency);
}
