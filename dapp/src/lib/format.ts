import { formatUnits } from "viem";

// Building an Intl formatter costs a page's start-up tens of milliseconds on a phone (toLocaleString
// builds one per call): amounts group their digits by hand ("12,345"), dates use one formatter made
// on first use, so a page that shows no date never builds it.
let dated: Intl.DateTimeFormat | undefined;

/** A token amount with at most 4 decimals: "12.5 USDC". */
export function amountOf(value: bigint, token: { symbol: string; decimals: number }): string {
  const [whole, fraction = ""] = formatUnits(value, token.decimals).split(".");
  const trimmed = fraction.slice(0, 4).replace(/0+$/, "");
  return `${whole!.replace(/\B(?=(\d{3})+$)/g, ",")}${trimmed ? `.${trimmed}` : ""} ${token.symbol}`;
}

/** CORE amounts with at most 4 decimals: "12.5 CORE". */
export function core(wei: bigint, symbol = "CORE"): string {
  return amountOf(wei, { symbol, decimals: 18 });
}

/** Per-token totals of amounts, in the order tokens are first seen: "2 CORE · 3.5 USDC". */
export function totalsOf(items: { amount: bigint; token: { address: string; symbol: string; decimals: number } }[]) {
  const totals = new Map<string, { amount: bigint; token: { symbol: string; decimals: number } }>();
  for (const { amount, token } of items) {
    const key = token.address.toLowerCase();
    totals.set(key, { amount: (totals.get(key)?.amount ?? 0n) + amount, token });
  }
  return [...totals.values()].map(({ amount, token }) => amountOf(amount, token)).join(" · ");
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function dateOf(unixSeconds: bigint | number): string {
  dated ??= new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
  return dated.format(new Date(Number(unixSeconds) * 1000));
}

export function blobUrl(bytes: Uint8Array, type: string): string {
  return URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}
