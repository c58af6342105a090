import type { Address } from "viem";
import type { Deployment } from "../deployments.ts";
import { liveStreamsAbi } from "../generated/abis.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteResult,
  addressOf,
  read,
  resolveDeployment,
  send,
} from "./internal.ts";

const liveStreams = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "LiveStreams"), abi: liveStreamsAbi }) as const;

/**
 * Opens a live session owned by the caller; tips can then name it by `streamId`.
 *
 * @example
 * const { streamId } = await openSession(walletClient, { title: "Friday set", playbackId });
 */
export async function openSession(
  client: HarmonieClient,
  params: DeploymentOption & { title: string; playbackId: string; gatingTrackId?: bigint },
) {
  const deployment = resolveDeployment(client, params);
  const call = {
    ...liveStreams(deployment),
    functionName: "openSession",
    args: [params.title, params.playbackId, params.gatingTrackId ?? 0n],
  } as const;
  const { hash, receipt, event } = await send(client, deployment, call, "SessionOpened");
  const { streamId } = event;
  return { hash, receipt, streamId };
}

/** Closes the caller's session, recording its peak audience. */
export async function closeSession(
  client: HarmonieClient,
  params: DeploymentOption & { streamId: bigint; peakViewers: number },
): Promise<WriteResult> {
  const deployment = resolveDeployment(client, params);
  const call = {
    ...liveStreams(deployment),
    functionName: "closeSession",
    args: [params.streamId, params.peakViewers],
  } as const;
  const { hash, receipt } = await send(client, deployment, call, "SessionClosed");
  return { hash, receipt };
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
