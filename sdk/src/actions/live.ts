import type { Address } from "viem";
import { getContractEvents } from "viem/actions";
import type { Deployment } from "../deployments.ts";
import { InvalidInputError } from "../errors.ts";
import { liveStreamsAbi } from "../generated/abis.ts";
import { protocolLimits } from "../generated/protocol.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteOptions,
  type WriteResult,
  addressOf,
  contractCall,
  read,
  resolveDeployment,
  send,
  waitAsAsked,
} from "./internal.ts";

const liveStreams = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "LiveStreams"), abi: liveStreamsAbi }) as const;

const { MAX_TITLE_BYTES } = protocolLimits.LiveStreams;

/**
 * Opens a live session owned by the caller; tips can then name it by `streamId`.
 *
 * @example
 * const { streamId } = await openSession(walletClient, { title: "Friday set", playbackId });
 */
export async function openSession(
  client: HarmonieClient,
  params: WriteOptions & { title: string; playbackId: string; gatingTrackId?: bigint },
) {
  const deployment = resolveDeployment(client, params);
  const call = openSessionCall({ ...params, deployment });
  const { hash, receipt, event } = await send(client, deployment, call, "SessionOpened", waitAsAsked(params));
  const { streamId } = event;
  return { hash, receipt, streamId };
}

/**
 * The contract call opening a live session, gated by a track licence when `gatingTrackId` is given;
 * the title's length is checked first.
 *
 * @example
 * const call = openSessionCall({ deployment, title: "Friday set", playbackId });
 */
export function openSessionCall(params: {
  deployment: Deployment;
  title: string;
  playbackId: string;
  gatingTrackId?: bigint;
}) {
  const bytes = new TextEncoder().encode(params.title).length;
  if (bytes === 0 || bytes > MAX_TITLE_BYTES) {
    throw new InvalidInputError(`A session title is 1 to ${MAX_TITLE_BYTES} bytes of UTF-8, got ${bytes}.`);
  }
  return contractCall({
    ...liveStreams(params.deployment),
    functionName: "openSession",
    args: [params.title, params.playbackId, params.gatingTrackId ?? 0n],
  });
}

/** Closes the caller's session, recording its peak audience. */
export async function closeSession(
  client: HarmonieClient,
  params: WriteOptions & { streamId: bigint; peakViewers: number },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = closeSessionCall({ ...params, deployment });
  const { hash, receipt } = await send(client, deployment, call, "SessionClosed", waitAsAsked(params));
  return { hash, receipt };
}

/** The contract call closing the caller's session with its peak audience. */
export function closeSessionCall(params: { deployment: Deployment; streamId: bigint; peakViewers: number }) {
  return contractCall({
    ...liveStreams(params.deployment),
    functionName: "closeSession",
    args: [params.streamId, params.peakViewers],
  });
}

/** A live session as stored on chain (`closedAt` 0 while live). */
export async function getSession(client: HarmonieClient, params: DeploymentOption & { streamId: bigint }) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...liveStreams(deployment),
    functionName: "sessionOf",
    args: [params.streamId],
  });
}

/** Whether an account may watch a session (open, or holding access to its gating track). */
export async function canWatch(
  client: HarmonieClient,
  params: DeploymentOption & { account: Address; streamId: bigint },
) {
  const deployment = resolveDeployment(client, params);
  return read(client, {
    ...liveStreams(deployment),
    functionName: "canWatch",
    args: [params.account, params.streamId],
  });
}

/**
 * The playback id a session was opened with (it lives only in the `SessionOpened` event), or
 * undefined when no such session was opened on this chain.
 *
 * @example
 * const playbackId = await getSessionPlaybackId(publicClient, { streamId });
 */
export async function getSessionPlaybackId(
  client: HarmonieClient,
  params: DeploymentOption & { streamId: bigint },
): Promise<string | undefined> {
  const deployment = resolveDeployment(client, params);
  const [opened] = await getContractEvents(client, {
    ...liveStreams(deployment),
    eventName: "SessionOpened",
    args: { streamId: params.streamId },
    fromBlock: BigInt(deployment.contracts.LiveStreams.blockNumber),
  });
  return opened ? (opened.args as { playbackId: string }).playbackId : undefined;
}
