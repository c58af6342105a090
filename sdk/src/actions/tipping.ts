import type { Address, Hex } from "viem";
import { signTypedData } from "viem/actions";
import { MessageTooLongError, AccountRequiredError, InvalidInputError } from "../errors.ts";
import { harmonieTippingAbi } from "../generated/abis.ts";
import type { Deployment } from "../deployments.ts";
import {
  type DeploymentOption,
  type HarmonieClient,
  type WriteResult,
  addressOf,
  eventArgs,
  read,
  resolveDeployment,
  send,
} from "./internal.ts";

const tipping = (deployment: Deployment) =>
  ({ address: addressOf(deployment, "HarmonieTipping"), abi: harmonieTippingAbi }) as const;

/** Longest tip message the contract accepts, in UTF-8 bytes. */
export const MAX_TIP_MESSAGE_BYTES = 280;

export interface TipParams extends DeploymentOption {
  artist: Address;
  /** Amount in wei of CORE (use viem's `parseEther`). */
  amount: bigint;
  /** The live session the tip belongs to, if any. */
  streamId?: bigint;
  /** Up to 280 bytes of UTF-8, public and permanent in the `TipSent` event. */
  message?: string;
}

export interface TipResult extends WriteResult {
  artist: Address;
  from: Address;
  streamId: bigint;
  amount: bigint;
  message: string;
}

function validateTip(params: TipParams) {
  const bytes = new TextEncoder().encode(params.message ?? "").length;
  if (bytes > MAX_TIP_MESSAGE_BYTES) throw new MessageTooLongError(bytes, MAX_TIP_MESSAGE_BYTES);
  if (params.amount <= 0n) throw new InvalidInputError("A tip must carry a positive amount of CORE.");
}

/**
 * The contract call for a tip, for viem's `simulateContract` or wagmi's `useSimulateContract`.
 *
 * @example
 * const call = tipCall({ deployment, artist, amount: parseEther("1"), message: "encore!" });
 * const { request } = await publicClient.simulateContract({ ...call, account });
 */
export function tipCall(params: TipParams & { deployment: Deployment }) {
  validateTip(params);
  return {
    ...tipping(params.deployment),
    functionName: "tip",
    args: [params.artist, params.streamId ?? 0n, params.message ?? ""],
    value: params.amount,
  } as const;
}

/**
 * Tips an artist in CORE, optionally during a live session and with a message.
 *
 * @example
 * const { hash, amount } = await tip(walletClient, { artist, amount: parseEther("1"), message: "encore!" });
 * @throws MessageTooLongError, WrongChainError, InsufficientFundsError, UserRejectedError,
 *   ContractError (e.g. `HarmonieTippingBelowMinimum`)
 */
export async function tip(client: HarmonieClient, params: TipParams): Promise<TipResult> {
  const deployment = resolveDeployment(client, params);
  const { hash, receipt, logs } = await send(client, deployment, tipCall({ ...params, deployment }), "TipSent");
  return { hash, receipt, ...eventArgs<Omit<TipResult, keyof WriteResult>>(logs, "TipSent") };
}

export interface WithdrawalResult extends WriteResult {
  artist: Address;
  to: Address;
  /** CORE paid out. */
  amount: bigint;
  /** Platform fee kept for the treasury. */
  fee: bigint;
}

/**
 * Withdraws the caller's tips, less the platform fee, to the caller or to `to`.
 *
 * @example
 * const { amount, fee } = await withdrawTips(walletClient);
 */
export async function withdrawTips(client: HarmonieClient, params: DeploymentOption & { to?: Address } = {}) {
  const deployment = resolveDeployment(client, params);
  const call = params.to
    ? ({ ...tipping(deployment), functionName: "withdrawTo", args: [params.to] } as const)
    : ({ ...tipping(deployment), functionName: "withdraw", args: [] } as const);
  const { hash, receipt, logs } = await send(client, deployment, call, "Withdrawn");
  return {
    hash,
    receipt,
    ...eventArgs<Omit<WithdrawalResult, keyof WriteResult>>(logs, "Withdrawn"),
  } as WithdrawalResult;
}

/** An artist's signed permission for anyone to pay out their tips to them. */
export interface SignedWithdrawal {
  artist: Address;
  deadline: bigint;
  signature: Hex;
}

/**
 * Signs an EIP-712 withdrawal so a relayer can pay the gas (`withdrawTipsFor`).
 *
 * @example
 * const signed = await signWithdrawal(artistWallet, { deadline: BigInt(Math.floor(Date.now() / 1000) + 3600) });
 */
export async function signWithdrawal(
  client: HarmonieClient,
  params: DeploymentOption & { deadline: bigint },
): Promise<SignedWithdrawal> {
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  const deployment = resolveDeployment(client, params);
  const nonce = await getTipNonce(client, { ...params, artist: account.address });
  const signature = await signTypedData(client, {
    account,
    domain: {
      name: "HarmonieTipping",
      version: "1",
      chainId: deployment.chainId,
      verifyingContract: tipping(deployment).address,
    },
    types: {
      Withdraw: [
        { name: "artist", type: "address" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Withdraw",
    message: { artist: account.address, nonce, deadline: params.deadline },
  });
  return { artist: account.address, deadline: params.deadline, signature };
}

/** Submits an artist's signed withdrawal; the CORE goes to the artist, the gas is the caller's. */
export async function withdrawTipsFor(client: HarmonieClient, params: DeploymentOption & SignedWithdrawal) {
  const deployment = resolveDeployment(client, params);
  const call = {
    ...tipping(deployment),
    functionName: "withdrawFor",
    args: [params.artist, params.deadline, params.signature],
  } as const;
  const { hash, receipt, logs } = await send(client, deployment, call, "Withdrawn");
  return {
    hash,
    receipt,
    ...eventArgs<Omit<WithdrawalResult, keyof WriteResult>>(logs, "Withdrawn"),
  } as WithdrawalResult;
}

/** Sets the caller's own minimum tip (on top of the protocol minimum). */
export async function setMinimumTip(client: HarmonieClient, params: DeploymentOption & { minimum: bigint }) {
  const deployment = resolveDeployment(client, params);
  const call = {
    ...tipping(deployment),
    functionName: "setMinimumTip",
    args: [params.minimum],
  } as const;
  const { hash, receipt } = await send(client, deployment, call, "MinimumTipSet");
  return { hash, receipt };
}

/**
 * What an artist can withdraw now: the net amount and the fee at today's rate.
 *
 * @example
 * const { net, fee } = await getTipEarnings(publicClient, { artist });
 */
export async function getTipEarnings(client: HarmonieClient, params: DeploymentOption & { artist: Address }) {
  const deployment = resolveDeployment(client, params);
  const [net, fee] = await read<readonly [bigint, bigint]>(client, {
    ...tipping(deployment),
    functionName: "earningsOf",
    args: [params.artist],
  });
  return { net, fee };
}

/** The smallest tip an artist accepts (protocol and artist minimum combined). */
export async function getMinimumTip(client: HarmonieClient, params: DeploymentOption & { artist: Address }) {
  const deployment = resolveDeployment(client, params);
  return read<bigint>(client, {
    ...tipping(deployment),
    functionName: "minimumTipOf",
    args: [params.artist],
  });
}

/** The nonce an artist's next signed withdrawal must carry. */
export async function getTipNonce(client: HarmonieClient, params: DeploymentOption & { artist: Address }) {
  const deployment = resolveDeployment(client, params);
  return read<bigint>(client, {
    ...tipping(deployment),
    functionName: "nonces",
    args: [params.artist],
  });
}

/** The platform fee on tips, in basis points. */
export async function getTipFee(client: HarmonieClient, params: DeploymentOption = {}) {
  const deployment = resolveDeployment(client, params);
  return read<bigint>(client, {
    ...tipping(deployment),
    functionName: "feeBps",
    args: [],
  });
}
