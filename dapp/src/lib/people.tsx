/** Accounts shown the way people know them: "@nova" when the account has a profile, else "0x1234…abcd". */
import { ContractError, getAccountByHandle, getProfile } from "@harmonie/sdk";
import { useQuery } from "@tanstack/react-query";
import { type Address, isAddress, isAddressEqual, zeroAddress } from "viem";
import { shortAddress } from "./format.ts";
import { useHarmonie } from "./harmonie.tsx";
import { useReader } from "./wallet.ts";

/** The account's handle, `null` without a profile, `undefined` while loading. */
export function useHandle(address: Address | undefined): string | null | undefined {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const query = useQuery({
    queryKey: ["handle", address?.toLowerCase()],
    enabled: !!address && !isAddressEqual(address, zeroAddress),
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return (await getProfile(reader, { deployment, account: address! })).handle;
      } catch (error) {
        if (error instanceof ContractError && error.errorName === "ArtistProfilesUnknownProfile") return null;
        throw error;
      }
    },
  });
  return query.data;
}

/** An account in running text: its handle if it has one (the full address on hover). */
export function Account({ address }: { address: Address }) {
  const handle = useHandle(address);
  return <span title={address}>{handle ? `@${handle}` : shortAddress(address)}</span>;
}

/**
 * An address typed by a person: "0x…" or "@handle" (or "handle"). Resolved to the account, `null`
 * when it names nobody, `undefined` while looking the handle up or when the field is empty.
 */
export function useAccountInput(text: string): Address | null | undefined {
  const { deployment } = useHarmonie();
  const reader = useReader();
  const value = text.trim();
  const handle = isAddress(value) ? undefined : value.replace(/^@/, "");
  const lookup = useQuery({
    queryKey: ["account-of", handle],
    enabled: !!handle,
    queryFn: async () => (await getAccountByHandle(reader, { deployment, handle: handle! })) ?? null,
  });
  if (value === "") return undefined;
  if (isAddress(value)) return value;
  return lookup.data;
}
