/**
 * The contract's handle rule, as the SDK's `isValidHandle` has it (actions/profiles.ts), without that
 * module: it carries the profile contract's ABI and viem's client, which an artist page's first render
 * must not wait for. Same limits (the generated protocol constants); test/handles.test.ts checks they agree.
 */
import { protocolLimits } from "@harmonie/sdk";

const { MIN_HANDLE_LENGTH, MAX_HANDLE_LENGTH } = protocolLimits.ArtistProfiles;
const HANDLE = new RegExp(`^[a-z0-9_]{${MIN_HANDLE_LENGTH},${MAX_HANDLE_LENGTH}}$`);

/** Whether a handle is valid: the contract's length bounds, in lowercase a–z, 0–9 and `_`. */
export function isValidHandle(handle: string): boolean {
  return HANDLE.test(handle);
}
