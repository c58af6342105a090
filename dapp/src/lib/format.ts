import { formatEther } from "viem";

/** CORE amounts with at most 4 decimals: "12.5 CORE". */
export function core(wei: bigint, symbol = "CORE"): string {
  const [whole, fraction = ""] = formatEther(wei).split(".");
  const trimmed = fraction.slice(0, 4).replace(/0+$/, "");
  return `${Number(whole).toLocaleString("en")}${trimmed ? `.${trimmed}` : ""} ${symbol}`;
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function dateOf(unixSeconds: bigint | number): string {
  return new Date(Number(unixSeconds) * 1000).toLocaleString("en", { dateStyle: "medium", timeStyle: "short" });
}

export function blobUrl(bytes: Uint8Array, type: string): string {
  return URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}
