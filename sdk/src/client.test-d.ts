/**
 * Type tests, checked by `npm run typecheck -w sdk` (never executed): the public signatures accept
 * what they document and refuse what they must.
 */
import { http, parseEther, type Address, type Hash } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { harmonieLocal } from "./chains.ts";
import { createHarmonieClient } from "./client.ts";
import { tip, tipCall, type TipResult } from "./actions/tipping.ts";
import { flagTrackCall, getTrack, setRegistrantCall } from "./actions/catalog.ts";
import type { Deployment } from "./deployments.ts";
import type { ContractErrorName } from "./errors.ts";

declare const deployment: Deployment;
declare const artist: Address;
const harmonie = createHarmonieClient({
  chain: harmonieLocal,
  transport: http(),
  account: privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
  deployment,
});

export async function typeTests() {
  // Writes resolve to the decoded event fields plus the transaction.
  const result: TipResult = await harmonie.tip({ artist, amount: parseEther("1"), message: "hi" });
  const hash: Hash = result.hash;
  const amount: bigint = result.amount;

  // @ts-expect-error the amount is a bigint (wei), not a number
  await harmonie.tip({ artist, amount: 1 });
  // @ts-expect-error an artist is required
  await harmonie.tip({ amount: 1n });
  // @ts-expect-error bound actions take no deployment: the client has one
  await harmonie.tip({ artist, amount: 1n, deployment });

  // Standalone actions take any viem client.
  await tip(harmonie.client, { artist, amount: 1n, deployment });
  // Track lookups take an id or an ISRC, not both missing.
  await getTrack(harmonie.client, { isrc: "US-RC1-76-07839", deployment });
  // @ts-expect-error neither trackId nor isrc
  await getTrack(harmonie.client, { deployment });

  // The call builder is typed against the generated ABI.
  const call = tipCall({ artist, amount: 1n, deployment });
  const functionName: "tip" | "tipWithReferrer" | "tipToken" = call.functionName;
  // @ts-expect-error a token tip carries no CORE: narrow on the function first
  const unnarrowed: bigint = call.value;
  const value: bigint = call.functionName === "tipToken" ? 0n : call.value;
  // Bound actions keep the id-or-ISRC alternatives.
  await harmonie.getTrack({ isrc: "US-RC1-76-07839" });
  // @ts-expect-error neither trackId nor isrc
  await harmonie.getTrack({});
  const bought = await harmonie.purchaseLicense({ isrc: "US-RC1-76-07839", offerId: 0n });
  const renewal: boolean = bought.renewal;
  // @ts-expect-error an offer id is a bigint
  await harmonie.purchaseLicense({ trackId: 1n, offerId: 0 });
  const status: "active" | "flagged" | "revoked" = (await harmonie.getTrack({ trackId: 1n })).status;
  const { expiresAt }: { expiresAt: bigint } = await harmonie.getLicenseStatus({ account: artist, trackId: 1n });
  // Governance call builders are typed against the ABI and fit `propose`.
  const flag = flagTrackCall({ deployment, isrc: "US-RC1-76-07839", reason: "disputed" });
  const flagName: "flagTrack" = flag.functionName;
  await harmonie.propose({
    calls: [flag, setRegistrantCall({ deployment, code: "US-RC1", registrant: artist })],
    description: "d",
  });
  // Contract errors come from the generated ABIs, new ones included.
  const names: ContractErrorName[] = ["ContentRegistryRegistrantApprovalRequired", "LiveStreamsGateNotExclusive"];
  // @ts-expect-error licensing v1's error is gone: a frozen track is ContentRegistryTrackFrozen
  const gone: ContractErrorName = "ContentRegistryTrackFlagged";
  // @ts-expect-error a proposal needs its calls or its raw actions
  await harmonie.propose({ description: "d" });

  // The client takes the app's referrer once.
  createHarmonieClient({ chain: harmonieLocal, transport: http(), referrer: artist });
  return { hash, amount, functionName, value, unnarrowed, renewal, status, expiresAt, flagName, names, gone };
}

// The local chain's id is the literal 31337, as viem types its own chains.
const localId: 31337 = harmonieLocal.id;
// @ts-expect-error — another chain's id is not the local chain's
const notLocal: 1116 = harmonieLocal.id;
void localId;
void notLocal;

// The action core keeps viem's types: calls are checked against the ABI, results typed by it.
import { harmonieTippingAbi } from "./generated/abis.ts";
import { contractCall, eventOf, read } from "./actions/internal.ts";
import { harmonieActions } from "./client.ts";
import { isContractError } from "./errors.ts";
import { createWalletClient, type TransactionReceipt } from "viem";

declare const receipt: TransactionReceipt;
declare const tipping: `0x${string}`;
export async function actionCoreTypeTests() {
  const minimum: bigint = await read(harmonie.client, {
    address: tipping,
    abi: harmonieTippingAbi,
    functionName: "minimumTipOf",
    args: [artist, artist],
  });
  await read(harmonie.client, {
    address: tipping,
    abi: harmonieTippingAbi,
    // @ts-expect-error a misspelt function name fails to compile
    functionName: "minimumTipOff",
    args: [artist, artist],
  });
  // @ts-expect-error a wrong result type: minimumTipOf returns a bigint
  const wrong: string = await read(harmonie.client, {
    address: tipping,
    abi: harmonieTippingAbi,
    functionName: "minimumTipOf",
    args: [artist, artist],
  });
  await read(harmonie.client, {
    address: tipping,
    abi: harmonieTippingAbi,
    functionName: "minimumTipOf",
    // @ts-expect-error wrong argument types: an artist and a token address, not numbers
    args: [1n, 2n],
  });
  // Write calls: the literal function name survives, a misspelt one or a wrong argument does not compile.
  const withdraw = contractCall({
    address: tipping,
    abi: harmonieTippingAbi,
    functionName: "withdraw",
    args: [artist],
  });
  const withdrawName: "withdraw" = withdraw.functionName;
  // @ts-expect-error a misspelt write
  contractCall({ address: tipping, abi: harmonieTippingAbi, functionName: "withdrow", args: [artist] });
  // @ts-expect-error a wrong argument type
  contractCall({ address: tipping, abi: harmonieTippingAbi, functionName: "withdraw", args: [1n] });
  // Events decode by the ABI's names and types.
  const sent = eventOf(receipt, harmonieTippingAbi, "TipSent");
  const sentAmount: bigint = sent.amount;
  // @ts-expect-error an unknown event name
  eventOf(receipt, harmonieTippingAbi, "TipSend");
  // @ts-expect-error a wrong field type: the message is a string
  const sentMessage: bigint = sent.message;

  // Contract errors narrow to their named arguments.
  const error: unknown = new Error();
  if (isContractError(error, "HarmonieTippingMessageTooLong")) {
    const max: bigint = error.args.maxLength;
    // @ts-expect-error this error has no `minimum`
    void error.args.minimum;
    void max;
  }
  if (isContractError(error) && error.errorName === "HarmonieTippingBelowMinimum") {
    const min: bigint = error.args.minimum;
    void min;
  }
  // @ts-expect-error an error name that no contract declares
  isContractError(error, "HarmonieTippingTooPoor");

  // A misspelt option of createHarmonieClient fails to compile (and is named at run time).
  // @ts-expect-error `deployments` is not an option: did you mean `deployment`?
  createHarmonieClient({ chain: harmonieLocal, transport: http(), deployments: deployment });
  // harmonieActions extends any viem client with the bound actions.
  const extended = createWalletClient({ chain: harmonieLocal, transport: http() }).extend(
    harmonieActions({ deployment }),
  );
  const extendedTip: Promise<TipResult> = extended.tip({ artist, amount: 1n });
  // @ts-expect-error bound actions take no deployment
  extended.tip({ artist, amount: 1n, deployment });
  return { minimum, wrong, withdrawName, sentAmount, sentMessage, extendedTip };
}

// Every write has a `…Call` builder typed by the ABI: literal function names, checked arguments, and
// parameters viem's simulateContract (and so wagmi's useSimulateContract) accepts as they are.
import { simulateContract } from "viem/actions";
import { castVoteCall, followCall, openSessionCall, stakeCall, withdrawTipsCall } from "./actions/index.ts";

export async function builderTypeTests() {
  const withdrawal = withdrawTipsCall({ deployment, to: artist });
  const withdrawalName: "withdraw" | "withdrawTo" = withdrawal.functionName;
  const opened = openSessionCall({ deployment, title: "Friday set", playbackId: "pb" });
  const openedName: "openSession" = opened.functionName;
  const openedArgs: readonly [string, string, bigint] = opened.args;
  // @ts-expect-error the builder's function name is a literal, not any of the contract's writes
  const notOpened: "closeSession" = opened.functionName;
  const staked = stakeCall({ deployment, amount: 1n });
  const stakedValue: bigint = staked.value;
  await simulateContract(harmonie.client, { ...staked, account: artist });
  await simulateContract(harmonie.client, { ...followCall({ deployment, artist }), account: artist });

  // @ts-expect-error a stake is a bigint (wei), not a number
  stakeCall({ deployment, amount: 1 });
  // @ts-expect-error support is "for", "against" or "abstain"
  castVoteCall({ deployment, proposalId: 1n, support: "yes" });
  // @ts-expect-error an artist is an address
  followCall({ deployment, artist: 42 });
  // @ts-expect-error a builder needs the deployment: it names the contract's address
  followCall({ artist });

  // Writes take a receipt timeout in milliseconds, bound once on the client or per call.
  createHarmonieClient({ chain: harmonieLocal, transport: http(), receiptTimeout: 5_000 });
  await harmonie.follow({ artist, receiptTimeout: 5_000 });
  // @ts-expect-error a timeout is a number of milliseconds
  await harmonie.follow({ artist, receiptTimeout: "5s" });
  return { withdrawalName, openedName, openedArgs, notOpened, stakedValue };
}
