/** Accounts shown the way people know them: "@nova" when the account has a profile, else "0x1234…abcd". */
import { getAccountsByHandles } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type Address, isAddress, zeroAddress } from "viem";
import { accountOfQuery, handleQuery } from "./chain-queries.ts";
import { shortAddress } from "./format.ts";
import { isValidHandle } from "./handles.ts";
import { useHarmonie } from "./harmonie.tsx";
import { Name } from "./text.tsx";

export { accountOfQuery };

/** viem's `isAddressEqual` for two well-formed addresses, without its chunk (viem's client). */
const sameAddress = (a: Address, b: Address) => a.toLowerCase() === b.toLowerCase();

/** The account's handle, `null` without a profile, `undefined` while loading. */
export function useHandle(address: Address | undefined): string | null | undefined {
  const query = useQuery({
    ...handleQuery(useHarmonie(), address),
    enabled: !!address && !sameAddress(address, zeroAddress),
    staleTime: 60_000,
  });
  return query.data;
}

/** An account in running text: its handle if it has one (the full address on hover). */
export function Account({ address }: { address: Address }) {
  const handle = useHandle(address);
  return <span title={address}>{handle ? <Name text={`@${handle}`} /> : shortAddress(address)}</span>;
}

/**
 * An address typed by a person: "0x…" or "@handle" (or "handle"). Resolved to the account, `null`
 * when it names nobody, `undefined` while looking the handle up or when the field is empty.
 */
export function useAccountInput(text: string): Address | null | undefined {
  const harmonie = useHarmonie();
  const value = text.trim();
  const handle = isAddress(value) ? undefined : value.replace(/^@/, "");
  const lookup = useQuery({ ...accountOfQuery(harmonie, handle ?? ""), enabled: !!handle });
  if (value === "") return undefined;
  if (isAddress(value)) return value;
  return lookup.data;
}

/**
 * Handles are a–z, 0–9 and _ (the contract's rule), so look-alikes are ASCII ones: "n0va" for "nova",
 * "rnbalax" for "mbalax". Two handles look alike when their skeletons (each confusable spelled one way)
 * are equal.
 */
const CONFUSABLES: [string, string][] = [
  ["rn", "m"],
  ["vv", "w"],
  ["cl", "d"],
  ["0", "o"],
  ["1", "l"],
  ["i", "l"],
  ["5", "s"],
];
const SPELLINGS: Record<string, string[]> = { m: ["rn"], w: ["vv"], d: ["cl"], o: ["0"], l: ["1", "i"], s: ["5"] };

export function handleSkeleton(handle: string): string {
  return CONFUSABLES.reduce((text, [from, to]) => text.replaceAll(from, to), handle.toLowerCase());
}

/** Handles with the same skeleton as `handle` (itself included), at most `limit` of them. */
export function lookalikeHandles(handle: string, limit = 256): string[] {
  let spellings = [""];
  for (const char of handleSkeleton(handle)) {
    const options = [char, ...(SPELLINGS[char] ?? [])];
    spellings = spellings.flatMap((prefix) => options.map((option) => prefix + option)).slice(0, limit);
  }
  return spellings.filter(isValidHandle);
}

/**
 * Other accounts whose handle looks like this account's (from the indexer; none while it is
 * unavailable), so a page can warn before a fan tips the wrong artist.
 */
export function useLookalikes(address: Address, handle: string | null | undefined) {
  const { indexerUrl } = useHarmonie();
  const query = useQuery({
    queryKey: ["lookalikes", handle],
    enabled: !!handle,
    staleTime: 60_000,
    queryFn: () => getAccountsByHandles(indexerUrl, { handles: lookalikeHandles(handle!), first: 10 }),
  });
  return (query.data ?? []).filter((account) => !sameAddress(account.address, address));
}
