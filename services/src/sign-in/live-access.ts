/**
 * The on-chain admission of live sessions, shared by every live service (signalling rooms, the SFU):
 * who may publish a session (its artist, while it is open) and who may watch it
 * (`LiveStreams.canWatch`: an open session, or a licence of its gating track).
 *
 * Chain reads are cheap to ask for and expensive to make: one block number per `blockCacheMs`, and
 * each read shared by everyone asking the same question at the same block (50 requests at once cost
 * one read). A refusal is confirmed once at the newest block (a licence bought, or a session opened,
 * a moment ago counts), at most `freshReadsPerMinute` times per wallet, so a flood cannot amplify
 * into chain reads. A failed read rejects with `LiveAccessUnavailable`, whose message holds nothing of
 * the RPC (the cause is for the operator's log).
 */
import { type Address, BaseError, ContractFunctionRevertedError } from "viem";
import { getBlockNumber, readContract } from "viem/actions";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import type { Deployment } from "../../../sdk/src/deployments.ts";
import { liveStreamsAbi } from "../../../sdk/src/generated/abis.ts";
import { createRateLimiter } from "../http/rate-limit.ts";

/** The chain could not be read; `cause` has the detail, `message` is safe to show. */
export class LiveAccessUnavailable extends Error {
  override name = "LiveAccessUnavailable";
  constructor(cause: unknown) {
    super("The live service cannot read the chain right now. Try again in a moment.", { cause });
  }
}

export type PublishDecision =
  { allowed: true } | { allowed: false; reason: "unknown-session" | "not-artist" | "closed"; artist?: Address };

export interface LiveAccess {
  /** Whether `address` may publish `streamId` (its artist, session open). @throws LiveAccessUnavailable */
  mayPublish(address: Address, streamId: bigint): Promise<PublishDecision>;
  /** `LiveStreams.canWatch(address, streamId)`. @throws LiveAccessUnavailable */
  mayWatch(address: Address, streamId: bigint): Promise<boolean>;
}

/**
 * @example
 * const access = createLiveAccess({ client, deployment });
 * if (!(await access.mayWatch(fan, 42n))) throw new HttpError(403, "AccessDeniedError", "…");
 */
export function createLiveAccess(params: {
  client: HarmonieClient;
  deployment: Deployment;
  /** How long a read block number is reused. Default 1 s. */
  blockCacheMs?: number;
  /** Refusals re-checked at a fresh block, per wallet and minute. Default 20. */
  freshReadsPerMinute?: number;
}): LiveAccess {
  const { client } = params;
  const liveStreams = params.deployment.contracts.LiveStreams.address;
  const blockCacheMs = params.blockCacheMs ?? 1_000;
  const freshReads = createRateLimiter({ max: params.freshReadsPerMinute ?? 20, windowMs: 60_000 });
  let block: { number: bigint; at: number } | undefined;
  let blockRead: Promise<bigint> | undefined;
  const reads = new Map<string, Promise<unknown>>();

  const currentBlock = async (fresh: boolean): Promise<bigint> => {
    if (!fresh && block && Date.now() - block.at < blockCacheMs) return block.number;
    blockRead ??= getBlockNumber(client, { cacheTime: 0 })
      .then((number) => {
        if (block?.number !== number) reads.clear(); // answers for older blocks are never asked again
        block = { number, at: Date.now() };
        return number;
      })
      .finally(() => (blockRead = undefined));
    return blockRead;
  };
  const cachedRead = async <T>(key: string, read: (blockNumber: bigint) => Promise<T>, fresh: boolean): Promise<T> => {
    const blockNumber = await currentBlock(fresh);
    const cacheKey = `${key}@${blockNumber}`;
    let pending = reads.get(cacheKey) as Promise<T> | undefined;
    if (!pending) {
      if (reads.size > 10_000) reads.clear();
      pending = read(blockNumber);
      reads.set(cacheKey, pending);
      pending.catch(() => reads.delete(cacheKey)); // failures are not cached
    }
    return pending;
  };
  const reverted = (error: unknown) =>
    error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError) !== null;
  /** Reads at the cached block; a refusal is confirmed at the newest block when the wallet has budget. */
  const confirmed = async <T>(address: Address, read: (fresh: boolean) => Promise<T>, ok: (value: T) => boolean) => {
    try {
      const value = await read(false);
      if (ok(value) || !freshReads.take(address.toLowerCase()).allowed) return value;
      return await read(true);
    } catch (error) {
      throw new LiveAccessUnavailable(error);
    }
  };

  return {
    async mayPublish(address, streamId) {
      const key = streamId.toString();
      const sessionRead = (fresh: boolean) =>
        cachedRead(
          `session:${key}`,
          (blockNumber) =>
            readContract(client, {
              address: liveStreams,
              abi: liveStreamsAbi,
              functionName: "sessionOf",
              args: [streamId],
              blockNumber,
            }).then(
              (session) => ({ found: true as const, session }),
              (error) => (reverted(error) ? { found: false as const } : Promise.reject(error)),
            ),
          fresh,
        );
      const read = await confirmed(
        address,
        sessionRead,
        (r) => r.found && r.session.artist.toLowerCase() === address.toLowerCase() && r.session.closedAt === 0n,
      );
      if (!read.found) return { allowed: false, reason: "unknown-session" };
      if (read.session.artist.toLowerCase() !== address.toLowerCase())
        return { allowed: false, reason: "not-artist", artist: read.session.artist };
      if (read.session.closedAt !== 0n) return { allowed: false, reason: "closed", artist: read.session.artist };
      return { allowed: true };
    },

    async mayWatch(address, streamId) {
      const key = streamId.toString();
      const watchRead = (fresh: boolean) =>
        cachedRead(
          `watch:${address.toLowerCase()}:${key}`,
          (blockNumber) =>
            readContract(client, {
              address: liveStreams,
              abi: liveStreamsAbi,
              functionName: "canWatch",
              args: [address, streamId],
              blockNumber,
            }),
          fresh,
        );
      return confirmed(address, watchRead, (allowed) => allowed);
    },
  };
}
