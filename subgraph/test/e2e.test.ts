// End-to-end: the protocol on a real Hardhat node, driven through the SDK's actions, indexed by the
// compiled subgraph on graph-runner, and checked through graph-node's GraphQL API over HTTP.
// Needs `npm run build` first (the `test` script does it).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startRunner, type Runner, type RunnerOptions } from "@harmonie/graph-runner";
import { encodeFunctionData, http, keccak256, parseAbi, parseEther, parseEventLogs, toHex } from "viem";
import { readContract, sendTransaction, waitForTransactionReceipt } from "viem/actions";
import { rpc, startLocalChain, type LocalChain } from "../../scripts/local-chain.ts";
import * as sdk from "../../sdk/src/actions/index.ts";
import { type HarmonieClient, receiptOf, send, submit } from "../../sdk/src/actions/internal.ts";
import type { Deployment } from "../../sdk/src/deployments.ts";
import {
  artistProfilesAbi,
  contentRegistryAbi,
  harmonieGovernorAbi,
  harmonieTippingAbi,
  liveStreamsAbi,
  stakedCoreAbi,
  timelockControllerAbi,
} from "../../sdk/src/generated/abis.ts";
import {
  blockHash,
  blockNumber,
  data,
  gql,
  idOf,
  impersonate,
  increaseTime,
  KEYS,
  prepareSubgraph,
  wallet,
  type Wallet,
} from "./support.ts";

const CORE = (n: string) => parseEther(n).toString();
const CORE_TOKEN = "0x0000000000000000000000000000000000000000";
// The local deploy's stablecoin (Core's bridged USDC's stand-in) has a public faucet.
const erc20Abi = parseAbi([
  "function mint(address to, uint256 amount)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
]);
const ZERO = "0x0000000000000000000000000000000000000000" as const;
/** The proposal guardian: Hardhat's account #9 stands in for the multisig (impersonated). */
const GUARDIAN = "0xa0ee7a142d267c1f36714e4a8f75612f20a79720" as const;
const FLOOR = parseEther("1"); // deploy/parameters/local.json
const NEW_FLOOR = parseEther("5");

let chain: LocalChain;
let deployment: Deployment;
let subgraph: { dir: string; remove(): void };
let runner: Runner;
let head: number;
const runnerLog: string[] = [];

// The cast: two artists, two fans, a collaborator on artist A's track, a relayer paying gas (and the
// app referring a licence sale), a label holding the registrant code USRC1, a squatter.
let artistA: Wallet, artistB: Wallet, fan1: Wallet, fan2: Wallet, collab: Wallet, relayer: Wallet;
let label: Wallet, squatter: Wallet;
let A: string, B: string, F1: string, F2: string, C: string, L: string, SQ: string, R: string;

/** What the scenario produced, for the assertions. */
const s = {
  trackA: 0n,
  trackB: 0n,
  streamId: 0n,
  tipOrder: [] as string[],
  withdrawnA: { amount: 0n, fee: 0n },
  withdrawnB: { amount: 0n, fee: 0n },
  collabEarned: 0n,
  timedExpiry: 0n,
  firstExpiry: 0n,
  squatted: 0n,
  registrantSetTx: "",
  proposalId: 0n,
  queuedTx: "",
  // Governance v2: the proposal naming the guardian and the floor, one the guardian canceled once voting
  // had started, one its proposer canceled while pending.
  v2ProposalId: 0n,
  guardianCanceledId: 0n,
  guardianCancelTx: "",
  proposerCanceledId: 0n,
  voteStarts: {} as Record<string, bigint>,
  tabKey: "",
  usdc: "",
};

function startHarmonieRunner(opts: Partial<RunnerOptions> = {}): Promise<Runner> {
  return startRunner({
    subgraph: subgraph.dir,
    rpc: chain.rpcUrl,
    port: 0,
    pollMs: 50,
    name: "harmonie",
    // Track registrations create metadata file data sources, which need a gateway. This test's CIDs are
    // placeholders ("bafytracka": invalid, ignored), so nothing is fetched: the SDK's indexer tests
    // read real packages through the dev stack's IPFS service.
    ipfs: "http://127.0.0.1:9",
    log: (l) => runnerLog.push(l),
    ...opts,
  });
}

type Terms = {
  price: bigint;
  token?: `0x${string}`;
  supplyCap?: number;
  perBuyerLimit?: number;
  duration?: bigint;
  commercialUse?: boolean;
  derivativesAllowed?: boolean;
};

/** ContentRegistry's LicenseTerms with the defaults (CORE, unlimited, perpetual, personal use). */
const terms = (t: Terms) => ({
  token: ZERO,
  supplyCap: 0,
  perBuyerLimit: 0,
  duration: 0n,
  commercialUse: false,
  derivativesAllowed: false,
  ...t,
});

/** ContentRegistry's TrackInput; splits as [wallet, bps]. */
const trackInput = (t: {
  isrc: string;
  metadataCid: string;
  exclusive?: boolean;
  royaltyBps?: number;
  splits: [Wallet, number][];
  offers?: Terms[];
}) => ({
  isrc: t.isrc,
  metadataCid: t.metadataCid,
  exclusive: t.exclusive ?? false,
  royaltyBps: t.royaltyBps ?? 0,
  splits: t.splits.map(([w, bps]) => ({ recipient: w.account.address, bps })),
  offers: (t.offers ?? []).map(terms),
});

/**
 * A ContentRegistry transaction from `from`, returning each event it emitted (the first of each name)
 * by name. The contract's own API, not the SDK's catalog actions: those follow licensing v2 separately,
 * and this test pins what the subgraph indexes to the contract.
 */
async function registry(from: HarmonieClient, functionName: string, args: readonly unknown[], value?: bigint) {
  const hash = await submit(
    from,
    deployment,
    // Any registry function by name: the call is checked by the contract, not by the SDK's types here.
    {
      address: deployment.contracts.ContentRegistry.address,
      abi: contentRegistryAbi,
      functionName,
      args,
      value,
    } as never,
  );
  const receipt = await receiptOf(from, hash);
  const events: Record<string, any> = { hash };
  for (const log of parseEventLogs({ abi: contentRegistryAbi, logs: receipt.logs })) events[log.eventName] ??= log.args;
  return events;
}

/** purchaseLicense, paying `price` in CORE (0 for a token offer, approved beforehand). */
const buy = (fan: Wallet, trackId: bigint, offerId: bigint, price: bigint, referrer: `0x${string}` = ZERO) =>
  registry(fan, "purchaseLicense", [trackId, offerId, referrer], price);

/** Every kind of protocol action, through the SDK (and the contract ABI where the SDK has no action). */
async function scenario(): Promise<void> {
  const d = { deployment };
  const contracts = deployment.contracts;
  const tip = async (from: Wallet, artist: Wallet, amount: string, message: string, streamId = 0n) => {
    await sdk.tip(from, { ...d, artist: artist.account.address, amount: parseEther(amount), message, streamId });
    s.tipOrder.push(message);
  };

  // Profiles and follows (a repeat follow, an unfollow).
  await sdk.registerProfile(artistA, { ...d, handle: "nina_keys", profileCid: "bafyninaprofile", isArtist: true });
  await sdk.registerProfile(artistB, { ...d, handle: "milo_drums", profileCid: "bafymiloprofile", isArtist: true });
  await sdk.registerProfile(fan1, { ...d, handle: "fan_one", profileCid: "bafyfan1", isArtist: false });
  await sdk.registerProfile(fan2, { ...d, handle: "fan_two", profileCid: "bafyfan2", isArtist: false });
  await sdk.updateProfile(artistA, { ...d, profileCid: "bafyninaprofile2" });
  await sdk.changeHandle(fan2, { ...d, handle: "fan_deux" });
  await sdk.follow(fan1, { ...d, artist: artistA.account.address });
  await sdk.follow(fan2, { ...d, artist: artistA.account.address });
  await sdk.follow(fan1, { ...d, artist: artistA.account.address }); // repeat: counted once
  await sdk.follow(fan2, { ...d, artist: artistB.account.address });
  await sdk.unfollow(fan2, { ...d, artist: artistB.account.address });
  await sdk.follow(collab, { ...d, artist: artistB.account.address });

  // Rights: a squatter registers an ISRC under USRC1 while the code is unclaimed; governance (the
  // timelock) gives the code to a label and freezes the squatted track; the artist registers her own
  // ISRC under the code with the label's EIP-712 approval.
  const timelock = await impersonate(chain.rpcUrl, contracts.TimelockController.address);
  s.squatted = (
    await registry(squatter, "registerTrack", [
      trackInput({ isrc: "USRC17607840", metadataCid: "bafysquatted", splits: [[squatter, 10_000]] }),
    ])
  ).TrackRegistered.trackId;
  s.registrantSetTx = (await registry(timelock, "setRegistrant", ["USRC1", label.account.address])).hash;
  await registry(timelock, "flagTrack", [s.squatted, "ISRC claimed by its registrant"]);
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const approval = await label.signTypedData({
    domain: {
      name: "ContentRegistry",
      version: "2",
      chainId: deployment.chainId,
      verifyingContract: contracts.ContentRegistry.address,
    },
    types: {
      TrackApproval: [
        { name: "isrc", type: "string" },
        { name: "artist", type: "address" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "TrackApproval",
    message: { isrc: "USRC17607839", artist: artistA.account.address, deadline },
  });
  s.trackA = (
    await registry(artistA, "registerTrackWithApproval", [
      trackInput({
        isrc: "USRC17607839",
        metadataCid: "bafytracka",
        exclusive: true,
        royaltyBps: 500,
        splits: [
          [artistA, 7_000],
          [collab, 3_000],
        ],
        offers: [
          { price: parseEther("1"), commercialUse: true },
          { price: parseEther("0.1"), duration: 3600n },
        ],
      }),
      deadline,
      approval,
    ])
  ).TrackRegistered.trackId;
  s.trackB = (
    await registry(artistB, "registerTrack", [
      trackInput({
        isrc: "GBAYE0601498",
        metadataCid: "bafytrackb",
        splits: [[artistB, 10_000]],
        offers: [{ price: parseEther("0.5"), supplyCap: 10 }],
      }),
    ])
  ).TrackRegistered.trackId;
  await registry(artistB, "addOffer", [s.trackB, terms({ price: parseEther("0.2"), duration: 86400n })]);
  // A stablecoin offer, one per buyer.
  const usdc = deployment.tokens![0].address;
  s.usdc = usdc.toLowerCase();
  await registry(artistB, "addOffer", [s.trackB, terms({ token: usdc, price: 1_500_000n, perBuyerLimit: 1 })]);
  await registry(artistB, "setOfferPrice", [s.trackB, 0n, parseEther("0.4")]);
  await registry(artistA, "updateMetadata", [s.trackA, "bafytracka2"]);

  // Licences: perpetual, timed and its renewal, then a resale of the perpetual one; a USDC licence
  // bought through an app (referrer); an offer taken off sale.
  const perpetual = (await buy(fan1, s.trackA, 0n, parseEther("1"))).LicensePurchased;
  s.firstExpiry = (await buy(fan2, s.trackA, 1n, parseEther("0.1"))).LicensePurchased.expiresAt;
  const renewed = await buy(fan2, s.trackA, 1n, parseEther("0.1"));
  assert.equal(renewed.LicensePurchased.renewal, true);
  assert.equal(renewed.TransferSingle, undefined, "a renewal mints nothing");
  s.timedExpiry = renewed.LicensePurchased.expiresAt;
  await buy(fan2, s.trackB, 0n, parseEther("0.4"));
  await send(
    fan1,
    deployment,
    {
      address: contracts.ContentRegistry.address,
      abi: contentRegistryAbi,
      functionName: "safeTransferFrom",
      args: [fan1.account.address, fan2.account.address, perpetual.tokenId, 1n, "0x"],
    },
    "TransferSingle",
  );
  await send(
    fan1,
    deployment,
    { address: usdc, abi: erc20Abi, functionName: "mint", args: [fan1.account.address, 10_000_000n] },
    "Transfer",
  );
  await send(
    fan1,
    deployment,
    { address: usdc, abi: erc20Abi, functionName: "approve", args: [contracts.ContentRegistry.address, 1_500_000n] },
    "Approval",
  );
  await buy(fan1, s.trackB, 2n, 0n, relayer.account.address);
  await registry(artistB, "setOfferActive", [s.trackB, 1n, false]);

  // Resale royalties paid to track A's royalty address, collected into its splits' credits.
  const vault = await readContract(relayer, {
    address: contracts.ContentRegistry.address,
    abi: contentRegistryAbi,
    functionName: "royaltyAddressOf",
    args: [s.trackA],
  });
  await waitForTransactionReceipt(relayer, {
    hash: await sendTransaction(relayer, { to: vault, value: parseEther("0.2") }),
  });
  await registry(relayer, "collectRoyalties", [s.trackA, CORE_TOKEN]);

  // The label gives the squatted track to the artist (new splits and package); B offers a track to
  // the collaborator, who has not accepted yet.
  await registry(label, "reassignTrack", [
    s.squatted,
    artistA.account.address,
    [{ recipient: artistA.account.address, bps: 10_000 }],
    "bafyreassigned",
    "squatted under our code",
  ]);
  await registry(artistB, "offerTrackTransfer", [s.trackB, collab.account.address]);

  // A live session with tips; one tip names A's session but goes to B (not counted for the session).
  s.streamId = (await sdk.openSession(artistA, { ...d, title: "Friday set", playbackId: "pb-friday" })).streamId;
  await tip(fan1, artistA, "1", "encore!", s.streamId);
  await tip(fan2, artistA, "2.5", "🔥 what a set", s.streamId);
  await tip(fan2, artistB, "0.7", "wrong stream", s.streamId);
  await tip(fan1, artistA, "0.3", "no stream");
  await tip(fan1, artistB, "0.2", "hi milo");

  // Withdrawals: A directly, B through a relayer (signed), licence earnings of both collaborators.
  const wa = await sdk.withdrawTips(artistA, d);
  s.withdrawnA = { amount: wa.amount, fee: wa.fee };
  const signed = await sdk.signWithdrawal(artistB, { ...d, deadline: BigInt(Math.floor(Date.now() / 1000) + 3600) });
  const wb = await sdk.withdrawTipsFor(relayer, { ...d, ...signed });
  s.withdrawnB = { amount: wb.amount, fee: wb.fee };
  s.collabEarned = (await registry(collab, "withdraw", [CORE_TOKEN])).EarningsWithdrawn.amount;
  await registry(artistA, "withdraw", [CORE_TOKEN]);
  await registry(artistB, "withdrawTo", [usdc, fan2.account.address]);
  await tip(fan1, artistA, "0.5", "one more", s.streamId);

  // Tipping v2: a stablecoin tip, a split tip from a fan's tab (no wallet prompt), a referred tip.
  await sdk.tip(fan1, {
    ...d,
    artist: artistB.account.address,
    token: usdc,
    amount: 2_000_000n,
    message: "in dollars",
  });
  s.tipOrder.push("in dollars");
  await sdk.setTipSplit(artistB, {
    ...d,
    shares: [
      { recipient: artistB.account.address, bps: 6_000 },
      { recipient: collab.account.address, bps: 4_000 },
    ],
  });
  const session = await sdk.startTipSession(fan2, { ...d, budget: parseEther("2"), transport: http(chain.rpcUrl) });
  s.tabKey = session.key.toLowerCase();
  await session.tip({ artist: artistB.account.address, amount: parseEther("1"), message: "from my tab" });
  s.tipOrder.push("from my tab");
  await session.close();
  await sdk.tip(fan1, {
    ...d,
    artist: artistA.account.address,
    amount: parseEther("1"),
    message: "via an app",
    referrer: relayer.account.address,
  });
  s.tipOrder.push("via an app");

  // Fee sweeps to the treasury (no SDK action: anyone may call them), licensing's in both tokens.
  await send(
    relayer,
    deployment,
    {
      address: contracts.HarmonieTipping.address,
      abi: harmonieTippingAbi,
      functionName: "sweepFees",
      args: [CORE_TOKEN],
    },
    "FeesSwept",
  );
  await registry(relayer, "sweepFees", [CORE_TOKEN]);
  await registry(relayer, "sweepFees", [usdc]);
  await sdk.closeSession(artistA, { ...d, streamId: s.streamId, peakViewers: 1234 });

  // Staking and delegation, an unstake request, and a proposal voted, queued and executed.
  await sdk.stake(fan1, { ...d, amount: parseEther("10") });
  await sdk.delegate(fan1, { ...d, delegatee: fan1.account.address });
  await sdk.stake(fan2, { ...d, amount: parseEther("5") });
  await sdk.delegate(fan2, { ...d, delegatee: fan2.account.address });
  await sdk.stake(collab, { ...d, amount: parseEther("2") });
  await sdk.delegate(collab, { ...d, delegatee: fan1.account.address });
  await increaseTime(chain.rpcUrl, 2);
  const proposal = await sdk.propose(fan1, {
    ...d,
    targets: [contracts.HarmonieTipping.address],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: harmonieTippingAbi, functionName: "setFee", args: [300] })],
    description: "Tipping fee to 3%",
  });
  s.proposalId = proposal.proposalId;
  await increaseTime(chain.rpcUrl, 2);
  await sdk.castVote(fan1, { ...d, proposalId: proposal.proposalId, support: "for", reason: "fair" });
  await sdk.castVote(fan2, { ...d, proposalId: proposal.proposalId, support: "against", reason: "keep it low" });
  await sdk.requestUnstake(fan2, { ...d, amount: parseEther("1") });
  await increaseTime(chain.rpcUrl, 301);
  s.queuedTx = (await sdk.queueProposal(fan1, { ...d, ...proposal })).hash;
  await increaseTime(chain.rpcUrl, 61);
  await sdk.executeProposal(relayer, { ...d, ...proposal });
  assert.equal(await sdk.getProposalState(fan1, { ...d, proposalId: proposal.proposalId }), "Executed");

  await governanceV2(timelock);
}

/**
 * Governance v2: a proposal names a guardian and raises the quorum floor; a proposal created just
 * before it executes has its snapshot at the execution, so the new floor applies to it. The guardian
 * pauses the registry (the timelock lifts it) and cancels that proposal once voting has started; a
 * proposer cancels its own while it is pending.
 */
async function governanceV2(timelock: HarmonieClient): Promise<void> {
  const d = { deployment };
  const governor = deployment.contracts.HarmonieGovernor.address;
  const tipping = deployment.contracts.HarmonieTipping.address;
  const setFee = (bps: number) => ({ address: tipping, abi: harmonieTippingAbi, functionName: "setFee", args: [bps] });
  const snapshotOf = (proposalId: bigint) =>
    readContract(relayer, {
      address: governor,
      abi: harmonieGovernorAbi,
      functionName: "proposalSnapshot",
      args: [proposalId],
    });
  const cancel = (
    from: HarmonieClient,
    p: {
      targets: readonly `0x${string}`[];
      values: readonly bigint[];
      calldatas: readonly `0x${string}`[];
      description: string;
    },
  ) =>
    send(
      from,
      deployment,
      {
        address: governor,
        abi: harmonieGovernorAbi,
        functionName: "cancel",
        args: [p.targets, p.values, p.calldatas, keccak256(toHex(p.description))],
      },
      "ProposalCanceled",
    );

  const v2 = await sdk.propose(fan1, {
    ...d,
    calls: [
      { address: governor, abi: harmonieGovernorAbi, functionName: "setProposalGuardian", args: [GUARDIAN] },
      { address: governor, abi: harmonieGovernorAbi, functionName: "setQuorumFloor", args: [NEW_FLOOR] },
    ],
    description: "A guardian multisig and a 5-vote quorum floor",
  });
  s.v2ProposalId = v2.proposalId;
  await increaseTime(chain.rpcUrl, 2);
  await sdk.castVote(fan1, { ...d, proposalId: v2.proposalId, support: "for" });
  await increaseTime(chain.rpcUrl, 301);
  await sdk.queueProposal(fan1, { ...d, ...v2 });
  await increaseTime(chain.rpcUrl, 61);
  const late = await sdk.propose(fan1, { ...d, calls: [setFee(350)], description: "Tipping fee to 3.5%" });
  s.guardianCanceledId = late.proposalId;
  const lateSnapshot = await snapshotOf(late.proposalId);
  // Executed at the late proposal's snapshot: the governor's checkpoint covers it.
  await rpc(chain.rpcUrl, "evm_setNextBlockTimestamp", [Number(lateSnapshot)]);
  await sdk.executeProposal(relayer, { ...d, ...v2 });

  const guardian = await impersonate(chain.rpcUrl, GUARDIAN);
  await registry(guardian, "pause", []);
  await registry(timelock, "unpause", []);
  await increaseTime(chain.rpcUrl, 2);
  assert.equal(await sdk.getProposalState(fan1, { ...d, proposalId: late.proposalId }), "Active");
  s.guardianCancelTx = (await cancel(guardian, late)).hash;

  const own = await sdk.propose(fan2, { ...d, calls: [setFee(200)], description: "Tipping fee to 2%" });
  s.proposerCanceledId = own.proposalId;
  // The last second it is pending (now <= snapshot): its proposer may still cancel it.
  await rpc(chain.rpcUrl, "evm_setNextBlockTimestamp", [Number(await snapshotOf(own.proposalId))]);
  await cancel(fan2, own);

  for (const id of [s.proposalId, s.v2ProposalId, s.guardianCanceledId, s.proposerCanceledId]) {
    s.voteStarts[id.toString()] = await snapshotOf(id);
  }
}

before(async () => {
  chain = await startLocalChain({ deploy: true });
  deployment = chain.deployment;
  subgraph = prepareSubgraph(deployment);
  [artistA, artistB, fan1, fan2, collab, relayer, label, squatter] = KEYS.map((k) => wallet(chain.rpcUrl, k));
  [A, B, F1, F2, C, L, SQ, R] = [artistA, artistB, fan1, fan2, collab, label, squatter, relayer].map(idOf);
  // Started before the actions: the runner follows the chain live.
  runner = await startHarmonieRunner();
  await scenario();
  head = await blockNumber(chain.rpcUrl);
  await runner.waitForBlock(head, 30_000);
});

after(async () => {
  await runner?.stop();
  await chain?.stop();
  subgraph?.remove();
});

const q = (query: string, variables?: Record<string, unknown>) => data(runner.url, query, variables);

describe("indexing every protocol action", () => {
  test("totals: artists, stream, protocol, followers, accounts", async () => {
    const r = await q(`{
      a: artist(id: "${A}") { tipVolume tipCount tipWithdrawn tipFees followerCount trackCount streamCount
                              licenseRevenue licenseSalesCount licenseFees account { handle profileCid isArtist } }
      b: artist(id: "${B}") { tipVolume tipCount tipWithdrawn tipFees followerCount }
      stream(id: "${s.streamId}") { title playbackId isLive peakViewers tipTotal tipCount artist { id } }
      protocol(id: "harmonie") { tipVolume tipCount tipFees tipFeesSwept tipFeeBps licenseVolume licenseCount
                                 licenseFees licenseFeesSwept licenseFeeBps trackCount artistCount streamCount
                                 liveStreamCount proposalCount stakedSupply votingPeriod timelockMinDelay }
      c: account(id: "${C}") { licenseEarned licenseWithdrawn licenseCredit isArtist artist { id } }
      f2: account(id: "${F2}") { handle stCoreBalance pendingUnstake unstakeUnlockAt delegate { id } }
      protocolDailyStats_collection { tipCount tipVolume licenseCount }
    }`);
    // The referred tip's fee (2.5% of 1 CORE) is settled at once.
    const referredFee = parseEther("0.025");
    assert.deepEqual(r.a, {
      tipVolume: CORE("5.3"),
      tipCount: "5",
      tipWithdrawn: s.withdrawnA.amount.toString(),
      tipFees: (s.withdrawnA.fee + referredFee).toString(),
      followerCount: 2,
      trackCount: 2, // the reassigned track is A's now
      streamCount: 1,
      licenseRevenue: CORE("1.2"),
      licenseSalesCount: "3",
      licenseFees: CORE("0.06"),
      account: { handle: "nina_keys", profileCid: "bafyninaprofile2", isArtist: true },
    });
    assert.equal(s.withdrawnA.amount + s.withdrawnA.fee, parseEther("3.8"));
    assert.equal(s.withdrawnA.fee, (parseEther("3.8") * 250n) / 10_000n);
    // B's CORE volume excludes the stablecoin tip; the count has every tip.
    assert.deepEqual(r.b, {
      tipVolume: CORE("1.9"),
      tipCount: "4",
      tipWithdrawn: s.withdrawnB.amount.toString(),
      tipFees: s.withdrawnB.fee.toString(),
      followerCount: 1,
    });
    // Only A's tips naming A's session count for it.
    assert.deepEqual(r.stream, {
      title: "Friday set",
      playbackId: "pb-friday",
      isLive: false,
      peakViewers: "1234",
      tipTotal: CORE("4"),
      tipCount: 3,
      artist: { id: A },
    });
    const tipFees = s.withdrawnA.fee + s.withdrawnB.fee + referredFee;
    const referral = (referredFee * 2_000n) / 10_000n; // the referrer's 20% of the fee
    assert.deepEqual(r.protocol, {
      tipVolume: CORE("7.2"),
      tipCount: "9",
      tipFees: tipFees.toString(),
      tipFeesSwept: (tipFees - referral).toString(),
      tipFeeBps: 300, // set by the executed proposal
      licenseVolume: CORE("1.6"), // CORE only: the USDC licence is in its PaymentToken
      licenseCount: "5", // every purchase: the renewal and the USDC licence included
      licenseFees: CORE("0.08"),
      licenseFeesSwept: CORE("0.08"),
      licenseFeeBps: 500,
      trackCount: 3,
      artistCount: 3,
      streamCount: 1,
      liveStreamCount: 0,
      proposalCount: 4, // the fee proposal and governance v2's three
      stakedSupply: CORE("17"), // escrowed unstakes still count
      votingPeriod: "300",
      timelockMinDelay: "60",
    });
    // The collaborator's 30% of A's net licence sales (the renewal's too) and of the royalties, all withdrawn.
    assert.equal(s.collabEarned, ((parseEther("1.2") - parseEther("0.06") + parseEther("0.2")) * 3_000n) / 10_000n);
    assert.deepEqual(r.c, {
      licenseEarned: s.collabEarned.toString(),
      licenseWithdrawn: s.collabEarned.toString(),
      licenseCredit: "0",
      isArtist: false,
      artist: null,
    });
    assert.equal(r.f2.handle, "fan_deux");
    assert.equal(r.f2.stCoreBalance, CORE("4"));
    assert.equal(r.f2.pendingUnstake, CORE("1"));
    assert.ok(Number(r.f2.unstakeUnlockAt) > 0);
    assert.deepEqual(r.f2.delegate, { id: F2 });
    // Daily stats add up to the totals, whatever day boundaries the run crossed.
    const days = r.protocolDailyStats_collection;
    assert.equal(
      days.reduce((n: number, x: any) => n + x.tipCount, 0),
      9,
    );
    assert.equal(days.reduce((n: bigint, x: any) => n + BigInt(x.tipVolume), 0n).toString(), CORE("7.2"));
    assert.equal(
      days.reduce((n: number, x: any) => n + x.licenseCount, 0),
      5,
    );
  });

  test("per token: payment tokens, tip earnings of artists, split recipients and referrers, splits, tabs", async () => {
    const r = await q(`{
      paymentTokens(orderBy: id) { id symbol decimals allowed minimumTip tipVolume tipCount }
      b: tipEarnings(id: "${B}-${s.usdc}") { tipVolume shares token { symbol } }
      bCore: tipEarnings(id: "${B}-${CORE_TOKEN}") { tipVolume shares }
      collab: tipEarnings(id: "${C}-${CORE_TOKEN}") { shares tipVolume }
      app: tipEarnings(id: "${idOf(relayer)}-${CORE_TOKEN}") { referrals }
      tipSplits { artist { id } streamId active recipients bps }
      tab(id: "${s.tabKey}") { fan { id } token { symbol } funded refunded spent isOpen referrer }
      usdcTips: tips(where: { token: "${s.usdc}" }) { message amount token { decimals } }
    }`);
    assert.deepEqual(r.paymentTokens, [
      {
        id: CORE_TOKEN,
        symbol: "CORE",
        decimals: 18,
        allowed: true,
        minimumTip: "0",
        tipVolume: CORE("7.2"),
        tipCount: "8",
      },
      {
        id: s.usdc,
        symbol: "USDC",
        decimals: 6,
        allowed: true,
        minimumTip: "10000",
        tipVolume: "2000000",
        tipCount: "1",
      },
    ]);
    assert.deepEqual(r.b, { tipVolume: "2000000", shares: "0", token: { symbol: "USDC" } });
    // The tab tip went to B's split: 60% to B, 40% to the collaborator.
    assert.deepEqual(r.bCore, { tipVolume: CORE("1.9"), shares: CORE("0.6") });
    assert.deepEqual(r.collab, { shares: CORE("0.4"), tipVolume: "0" });
    assert.deepEqual(r.app, { referrals: CORE("0.005") });
    assert.deepEqual(r.tipSplits, [
      { artist: { id: B }, streamId: "0", active: true, recipients: [B, C], bps: [6000, 4000] },
    ]);
    assert.deepEqual(r.tab, {
      fan: { id: F2 },
      token: { symbol: "CORE" },
      funded: CORE("2"),
      refunded: CORE("1"),
      spent: CORE("1"),
      isOpen: false,
      referrer: null,
    });
    assert.deepEqual(r.usdcTips, [{ message: "in dollars", amount: "2000000", token: { decimals: 6 } }]);
  });

  test("orderings: tips by timestamp, artists by tip volume, offers by price", async () => {
    const r = await q(`{
      tips(orderBy: timestamp, orderDirection: desc) { message timestamp }
      artists(orderBy: tipVolume, orderDirection: desc) { id tipVolume }
      tipsByAmount: tips(orderBy: amount, orderDirection: desc, first: 2) { amount }
      licenseOffers(orderBy: price) { price }
    }`);
    assert.deepEqual(
      r.tips.map((t: any) => t.message),
      [...s.tipOrder].reverse(),
    );
    assert.deepEqual(
      r.artists.map((a: any) => a.id),
      [A, B, SQ],
    );
    assert.deepEqual(r.tipsByAmount, [{ amount: CORE("2.5") }, { amount: CORE("1") }]);
    assert.deepEqual(
      r.licenseOffers.map((o: any) => o.price),
      ["1500000", CORE("0.1"), CORE("0.2"), CORE("0.4"), CORE("1")],
    );
  });

  test("filters: _gt, _in, nested, and/or, derived-field filters", async () => {
    const r = await q(`{
      big: tips(where: { amount_gt: "${CORE("0.9")}", stream_not: null }, orderBy: amount) { message }
      fromFan2: tips(where: { from_in: ["${F2}"] }, orderBy: amount) { amount }
      byHandle: tips(where: { from_: { handle: "fan_one" } }, orderBy: amount) { amount }
      onClosedStreams: tips(where: { stream_: { isLive: false } }) { message }
      noStream: tips(where: { stream: null, artist: "${A}" }, orderBy: timestamp) { message }
      either: tips(where: { or: [{ message_contains: "milo" }, { message_starts_with: "🔥" }] }, orderBy: amount) { message }
      ninas: artists(where: { account_: { handle_starts_with: "nina" } }) { id }
      followed: artists(where: { followers_: { follower: "${C}" } }) { id }
      holders: licenses(where: { balance_gt: "0" }, orderBy: acquiredAt) { holder { id } offer { offerId } }
      steps: stakeEvents(where: { kind_in: [UNSTAKE_REQUESTED, UNSTAKED] }) { kind amount account { id } }
    }`);
    assert.deepEqual(
      r.big.map((t: any) => t.message),
      ["encore!", "🔥 what a set"],
    );
    assert.deepEqual(r.fromFan2, [{ amount: CORE("0.7") }, { amount: CORE("1") }, { amount: CORE("2.5") }]);
    // Amounts are in each tip's token: the 2 USDC tip is 2,000,000 units.
    assert.deepEqual(
      r.byHandle.map((t: any) => t.amount),
      ["2000000", CORE("0.2"), CORE("0.3"), CORE("0.5"), CORE("1"), CORE("1")],
    );
    assert.equal(r.onClosedStreams.length, 3);
    assert.deepEqual(r.noStream, [{ message: "no stream" }, { message: "via an app" }]);
    assert.deepEqual(
      r.either.map((t: any) => t.message),
      ["hi milo", "🔥 what a set"],
    );
    assert.deepEqual(r.ninas, [{ id: A }]);
    assert.deepEqual(r.followed, [{ id: B }]);
    // fan2 holds three tokens (A's perpetual one by resale); fan1's A holding is at balance 0, and it
    // bought B's USDC licence last.
    assert.deepEqual(
      r.holders.map((l: any) => [l.holder.id, l.offer.offerId]),
      [
        [F2, "1"],
        [F2, "0"],
        [F2, "0"],
        [F1, "2"],
      ],
    );
    assert.deepEqual(r.steps, [{ kind: "UNSTAKE_REQUESTED", amount: CORE("1"), account: { id: F2 } }]);
  });

  test("derived fields: artist → tracks/offers/splits/followers, track → licences and holders", async () => {
    const r = await q(`{
      artist(id: "${A}") {
        tracks(where: { id: "${s.trackA}" }) { id isrc metadataCid exclusive royaltyBps revenue salesCount
          offers(orderBy: offerId) { offerId price duration commercialUse active issued renewals }
          splits(orderBy: index) { recipient { id } bps }
        }
        followers(orderBy: createdAt) { follower { handle } }
        streams { id tipTotal }
        tips(first: 1, orderBy: timestamp, orderDirection: desc) { message from { handle } }
      }
      track(id: "${s.trackA}") {
        licenses(orderBy: acquiredAt) { holder { id } balance expiresAt offer { offerId } }
        holders: licenses(where: { balance_gt: "0" }) { holder { id } }
        purchases(orderBy: timestamp) { buyer { id } price fee expiresAt renewal }
      }
      b: track(id: "${s.trackB}") {
        offers(orderBy: offerId) { price active issued supplyCap perBuyerLimit duration token { symbol } }
      }
    }`);
    assert.deepEqual(r.artist.tracks, [
      {
        id: s.trackA.toString(),
        isrc: "USRC17607839",
        metadataCid: "bafytracka2",
        exclusive: true,
        royaltyBps: 500,
        revenue: CORE("1.2"),
        salesCount: "3",
        offers: [
          { offerId: "0", price: CORE("1"), duration: "0", commercialUse: true, active: true, issued: 1, renewals: 0 },
          // Renewed once: still one licence issued.
          {
            offerId: "1",
            price: CORE("0.1"),
            duration: "3600",
            commercialUse: false,
            active: true,
            issued: 1,
            renewals: 1,
          },
        ],
        splits: [
          { recipient: { id: A }, bps: 7000 },
          { recipient: { id: C }, bps: 3000 },
        ],
      },
    ]);
    assert.deepEqual(r.artist.followers, [{ follower: { handle: "fan_one" } }, { follower: { handle: "fan_deux" } }]);
    assert.deepEqual(r.artist.streams, [{ id: s.streamId.toString(), tipTotal: CORE("4") }]);
    assert.deepEqual(r.artist.tips, [{ message: "via an app", from: { handle: "fan_one" } }]);
    assert.deepEqual(r.track.licenses, [
      { holder: { id: F1 }, balance: "0", expiresAt: null, offer: { offerId: "0" } },
      { holder: { id: F2 }, balance: "1", expiresAt: s.timedExpiry.toString(), offer: { offerId: "1" } },
      { holder: { id: F2 }, balance: "1", expiresAt: null, offer: { offerId: "0" } },
    ]);
    assert.deepEqual(
      r.track.holders.map((h: any) => h.holder.id),
      [F2, F2],
    );
    assert.deepEqual(r.track.purchases, [
      { buyer: { id: F1 }, price: CORE("1"), fee: CORE("0.05"), expiresAt: null, renewal: false },
      {
        buyer: { id: F2 },
        price: CORE("0.1"),
        fee: CORE("0.005"),
        expiresAt: s.firstExpiry.toString(),
        renewal: false,
      },
      { buyer: { id: F2 }, price: CORE("0.1"), fee: CORE("0.005"), expiresAt: s.timedExpiry.toString(), renewal: true },
    ]);
    const core = { symbol: "CORE" };
    assert.deepEqual(r.b.offers, [
      { price: CORE("0.4"), active: true, issued: 1, supplyCap: "10", perBuyerLimit: "0", duration: "0", token: core },
      {
        price: CORE("0.2"),
        active: false,
        issued: 0,
        supplyCap: "0",
        perBuyerLimit: "0",
        duration: "86400",
        token: core,
      },
      {
        price: "1500000",
        active: true,
        issued: 1,
        supplyCap: "0",
        perBuyerLimit: "1",
        duration: "0",
        token: { symbol: "USDC" },
      },
    ]);
  });

  test("licensing v2: a USDC licence, a renewal, track access, royalties, per-token earnings", async () => {
    const r = await q(`{
      usdc: licensePurchases(where: { token: "${s.usdc}" }) {
        buyer { id } price fee referrer { id } referralFee renewal expiresAt offer { offerId }
      }
      renewals: licensePurchases(where: { renewal: true }) { buyer { id } expiresAt }
      f2a: trackAccess(id: "${F2}-${s.trackA}") {
        perpetual expiresAt licenses(orderBy: acquiredAt) { offer { offerId } balance purchaseCount renewalCount }
      }
      f1a: trackAccess(id: "${F1}-${s.trackA}") { perpetual expiresAt }
      f1b: trackAccess(id: "${F1}-${s.trackB}") { perpetual expiresAt }
      usdcToken: paymentToken(id: "${s.usdc}") { licenseVolume licenseCount licenseFees licenseReferrals licenseFeesSwept }
      coreToken: paymentToken(id: "${CORE_TOKEN}") { licenseVolume licenseCount licenseFees licenseRoyalties licenseFeesSwept }
      b: account(id: "${B}") { licenseEarnings(orderBy: id) { token { symbol } earned sales withdrawn credit } }
      c: licenseEarnings(id: "${C}-${CORE_TOKEN}") { earned sales royalties referrals withdrawn credit }
      app: licenseEarnings(id: "${R}-${s.usdc}") { referrals credit }
      a: track(id: "${s.trackA}") {
        revenues { token { symbol } volume salesCount fees royalties }
        royaltyCollections { amount splitCount credits(orderBy: amount) { recipient { id } amount kind } }
      }
      withdrawals(where: { source: LICENSING }, orderBy: timestamp) { account { id } token { symbol } to amount }
      feeSweeps(where: { source: LICENSING }, orderBy: timestamp) { token { symbol } amount }
    }`);
    assert.deepEqual(r.usdc, [
      {
        buyer: { id: F1 },
        price: "1500000",
        fee: "75000",
        referrer: { id: R },
        referralFee: "15000", // the app's 20% of the fee
        renewal: false,
        expiresAt: null,
        offer: { offerId: "2" },
      },
    ]);
    // Renewed before expiry: extended from the current expiry, not from now.
    assert.equal(s.timedExpiry, s.firstExpiry + 3600n);
    assert.deepEqual(r.renewals, [{ buyer: { id: F2 }, expiresAt: s.timedExpiry.toString() }]);
    assert.deepEqual(r.f2a, {
      perpetual: "1", // A's perpetual licence, by resale
      expiresAt: s.timedExpiry.toString(),
      licenses: [
        { offer: { offerId: "1" }, balance: "1", purchaseCount: 1, renewalCount: 1 },
        { offer: { offerId: "0" }, balance: "1", purchaseCount: 0, renewalCount: 0 },
      ],
    });
    assert.deepEqual(r.f1a, { perpetual: "0", expiresAt: null });
    assert.deepEqual(r.f1b, { perpetual: "1", expiresAt: null });
    assert.deepEqual(r.usdcToken, {
      licenseVolume: "1500000",
      licenseCount: "1",
      licenseFees: "75000",
      licenseReferrals: "15000",
      licenseFeesSwept: "60000",
    });
    assert.deepEqual(r.coreToken, {
      licenseVolume: CORE("1.6"),
      licenseCount: "4",
      licenseFees: CORE("0.08"),
      licenseRoyalties: CORE("0.2"),
      licenseFeesSwept: CORE("0.08"),
    });
    assert.deepEqual(r.b.licenseEarnings, [
      { token: { symbol: "CORE" }, earned: CORE("0.38"), sales: CORE("0.38"), withdrawn: "0", credit: CORE("0.38") },
      { token: { symbol: "USDC" }, earned: "1425000", sales: "1425000", withdrawn: "1425000", credit: "0" },
    ]);
    assert.deepEqual(r.c, {
      earned: s.collabEarned.toString(),
      sales: CORE("0.342"),
      royalties: CORE("0.06"),
      referrals: "0",
      withdrawn: s.collabEarned.toString(),
      credit: "0",
    });
    assert.deepEqual(r.app, { referrals: "15000", credit: "15000" });
    assert.deepEqual(r.a.revenues, [
      { token: { symbol: "CORE" }, volume: CORE("1.2"), salesCount: "3", fees: CORE("0.06"), royalties: CORE("0.2") },
    ]);
    assert.deepEqual(r.a.royaltyCollections, [
      {
        amount: CORE("0.2"),
        splitCount: 2,
        credits: [
          { recipient: { id: C }, amount: CORE("0.06"), kind: "ROYALTY" },
          { recipient: { id: A }, amount: CORE("0.14"), kind: "ROYALTY" },
        ],
      },
    ]);
    assert.deepEqual(r.withdrawals, [
      { account: { id: C }, token: { symbol: "CORE" }, to: C, amount: CORE("0.402") },
      { account: { id: A }, token: { symbol: "CORE" }, to: A, amount: CORE("0.938") },
      { account: { id: B }, token: { symbol: "USDC" }, to: F2, amount: "1425000" },
    ]);
    assert.deepEqual(r.feeSweeps, [
      { token: { symbol: "CORE" }, amount: CORE("0.08") },
      { token: { symbol: "USDC" }, amount: "60000" },
    ]);
  });

  test("rights: a registrant code, a registration it approved, a frozen squatted track reassigned", async () => {
    const r = await q(`{
      code: registrantCode(id: "USRC1") {
        registrant { id } trackCount
        tracks(orderBy: registeredAt) { id registrant { id } }
        changes { previousRegistrant registrant transactionHash }
      }
      squatted: track(id: "${s.squatted}") {
        artist { id } status flagReason metadataCid registrant { id } splitCount splits { recipient { id } bps }
        ownershipHistory(orderBy: timestamp) { kind from { id } to { id } by reason splitRecipients splitBps }
        statusChanges(orderBy: timestamp) { previousStatus status reason }
      }
      a: artist(id: "${A}") { trackCount tracks(orderBy: registeredAt) { id } }
      sq: artist(id: "${SQ}") { trackCount tracks { id } }
      b: track(id: "${s.trackB}") { pendingArtist { id } }
      c: account(id: "${C}") { pendingTracks { id } }
      l: account(id: "${L}") { registrantCodes { id } }
      frozen: tracks(where: { status_not: ACTIVE }) { id }
    }`);
    assert.deepEqual(r.code, {
      registrant: { id: L },
      trackCount: 2,
      tracks: [
        { id: s.squatted.toString(), registrant: null }, // registered while the code was unclaimed
        { id: s.trackA.toString(), registrant: { id: L } },
      ],
      changes: [{ previousRegistrant: null, registrant: L, transactionHash: s.registrantSetTx }],
    });
    assert.deepEqual(r.squatted, {
      artist: { id: A },
      status: "ACTIVE",
      flagReason: null,
      metadataCid: "bafyreassigned",
      registrant: null,
      splitCount: 1,
      splits: [{ recipient: { id: A }, bps: 10000 }],
      ownershipHistory: [
        {
          kind: "REGISTERED",
          from: null,
          to: { id: SQ },
          by: SQ,
          reason: null,
          splitRecipients: [SQ],
          splitBps: [10000],
        },
        {
          kind: "REASSIGNED",
          from: { id: SQ },
          to: { id: A },
          by: L,
          reason: "squatted under our code",
          splitRecipients: [A],
          splitBps: [10000],
        },
      ],
      statusChanges: [
        { previousStatus: "ACTIVE", status: "FLAGGED", reason: "ISRC claimed by its registrant" },
        { previousStatus: "FLAGGED", status: "ACTIVE", reason: "squatted under our code" },
      ],
    });
    assert.deepEqual(r.a, { trackCount: 2, tracks: [{ id: s.squatted.toString() }, { id: s.trackA.toString() }] });
    assert.deepEqual(r.sq, { trackCount: 0, tracks: [] });
    assert.deepEqual(r.b.pendingArtist, { id: C });
    assert.deepEqual(r.c.pendingTracks, [{ id: s.trackB.toString() }]);
    assert.deepEqual(r.l.registrantCodes, [{ id: "USRC1" }]);
    assert.deepEqual(r.frozen, []);
  });

  test("governance: proposal state and tallies, timelock operation, delegates", async () => {
    const r = await q(`{
      proposal(id: "${s.proposalId}") {
        status description forVotes againstVotes abstainVotes voteCount eta queuedAt executedAt
        queuedTransaction proposer { id } targets values
        votes(orderBy: timestamp) { voter { id } support weight reason }
      }
      timelockOperations(where: { scheduledTransaction: "${s.queuedTx}" }) { status executedAt calls { target data } }
      delegates(orderBy: delegatedVotes, orderDirection: desc) { id delegatedVotes delegatorCount }
      feeChanges(orderBy: timestamp) { source previousBps newBps }
    }`);
    const p = r.proposal;
    assert.equal(p.status, "EXECUTED");
    assert.equal(p.description, "Tipping fee to 3%");
    assert.deepEqual([p.forVotes, p.againstVotes, p.abstainVotes, p.voteCount], [CORE("12"), CORE("5"), "0", 2]);
    assert.deepEqual(p.votes, [
      { voter: { id: F1 }, support: "FOR", weight: CORE("12"), reason: "fair" },
      { voter: { id: F2 }, support: "AGAINST", weight: CORE("5"), reason: "keep it low" },
    ]);
    assert.deepEqual(p.proposer, { id: F1 });
    assert.deepEqual(p.targets, [deployment.contracts.HarmonieTipping.address.toLowerCase()]);
    assert.deepEqual(p.values, ["0"]);
    assert.equal(p.queuedTransaction, s.queuedTx);
    assert.ok(Number(p.eta) >= Number(p.queuedAt) + 60 && Number(p.executedAt) >= Number(p.eta));
    assert.deepEqual(r.timelockOperations, [
      {
        status: "EXECUTED",
        executedAt: p.executedAt,
        calls: [
          {
            target: deployment.contracts.HarmonieTipping.address.toLowerCase(),
            data: encodeFunctionData({ abi: harmonieTippingAbi, functionName: "setFee", args: [300] }),
          },
        ],
      },
    ]);
    // collab delegated to fan1; fan2's request moved 1 hVOTE into escrow (no votes).
    assert.deepEqual(r.delegates, [
      { id: F1, delegatedVotes: CORE("12"), delegatorCount: 2 },
      { id: F2, delegatedVotes: CORE("4"), delegatorCount: 1 },
    ]);
    assert.deepEqual(r.feeChanges.at(-1), { source: "TIPPING", previousBps: 250, newBps: 300 });
  });

  test("governance v2: guardian, quorum floor at each snapshot, an emergency pause, cancellations", async () => {
    const governor = deployment.contracts.HarmonieGovernor.address;
    const registryAddress = deployment.contracts.ContentRegistry.address.toLowerCase();
    const timelock = deployment.contracts.TimelockController.address.toLowerCase();
    const ids = [s.proposalId, s.v2ProposalId, s.guardianCanceledId, s.proposerCanceledId];
    const r = await q(`{
      protocol(id: "harmonie") {
        guardian quorumFloor quorumNumerator stakedCoreGovernor timelock registryPaused guardianSetAt
      }
      guardianChanges(orderBy: timestamp) { previousGuardian guardian transactionHash }
      pauseChanges(orderBy: timestamp) { contract address paused by authority }
      guardianActions(orderBy: timestamp) { kind guardian contract pause { paused by } proposal { id } transactionHash }
      ${ids.map((id, i) => `p${i}: proposal(id: "${id}") { status voteStart quorumFloor quorumNumerator canceledBy canceledTransaction }`).join("\n")}
    }`);
    assert.deepEqual(r.protocol, {
      guardian: GUARDIAN,
      quorumFloor: NEW_FLOOR.toString(),
      quorumNumerator: "4",
      stakedCoreGovernor: governor.toLowerCase(),
      timelock,
      registryPaused: false,
      guardianSetAt: r.protocol.guardianSetAt,
    });
    // The local deployment had no guardian: the constructor's ProposalGuardianSet(0, 0), then the proposal's.
    assert.deepEqual(
      r.guardianChanges.map((c: any) => [c.previousGuardian, c.guardian]),
      [
        [null, null],
        [null, GUARDIAN],
      ],
    );
    assert.deepEqual(r.pauseChanges, [
      { contract: "REGISTRY", address: registryAddress, paused: true, by: GUARDIAN, authority: "GUARDIAN" },
      { contract: "REGISTRY", address: registryAddress, paused: false, by: timelock, authority: "GOVERNANCE" },
    ]);
    assert.deepEqual(
      r.guardianActions.map(({ transactionHash, ...a }: any) => a),
      [
        {
          kind: "PAUSE",
          guardian: GUARDIAN,
          contract: "REGISTRY",
          pause: { paused: true, by: GUARDIAN },
          proposal: null,
        },
        {
          kind: "CANCEL",
          guardian: GUARDIAN,
          contract: null,
          pause: null,
          proposal: { id: s.guardianCanceledId.toString() },
        },
      ],
    );
    assert.equal(r.guardianActions[1].transactionHash, s.guardianCancelTx);
    // Each proposal's floor and numerator are the governor's at its snapshot.
    for (const [i, id] of ids.entries()) {
      const p = r[`p${i}`];
      assert.equal(p.voteStart, s.voteStarts[id.toString()].toString());
      const [floor, numerator] = await Promise.all(
        ["quorumFloor", "quorumNumerator"].map((functionName) =>
          readContract(relayer, {
            address: governor,
            abi: harmonieGovernorAbi,
            functionName: functionName as "quorumFloor",
            args: [BigInt(p.voteStart)],
          }),
        ),
      );
      assert.deepEqual([p.quorumFloor, p.quorumNumerator], [floor.toString(), numerator.toString()], `proposal ${i}`);
    }
    assert.deepEqual(
      [r.p0.quorumFloor, r.p1.quorumFloor, r.p2.quorumFloor, r.p3.quorumFloor],
      [FLOOR, FLOOR, NEW_FLOOR, NEW_FLOOR].map(String),
    );
    assert.deepEqual(
      [r.p0, r.p1, r.p2, r.p3].map((p) => [p.status, p.canceledBy]),
      [
        ["EXECUTED", null],
        ["EXECUTED", null],
        ["CANCELED", "GUARDIAN"],
        ["CANCELED", "PROPOSER"],
      ],
    );
    assert.equal(r.p2.canceledTransaction, s.guardianCancelTx);
  });

  test("_meta: the indexed head", async () => {
    const r = await q("{ _meta { block { number hash } hasIndexingErrors } }");
    assert.deepEqual(r._meta, {
      block: { number: head, hash: await blockHash(chain.rpcUrl, head) },
      hasIndexingErrors: false,
    });
  });

  test("bad queries get GraphQL errors", async () => {
    const cases: [string, RegExp][] = [
      ["{ tips { ", /Syntax Error/],
      ["{ tips { nope } }", /Cannot query field "nope" on type "Tip"/],
      ["{ tipz { id } }", /Cannot query field "tipz"/],
      ['{ tips(where: { amount_gt: "lots" }) { id } }', /BigInt/],
      ["{ tips(where: { nope: 1 }) { id } }", /nope/],
      ["{ proposals(where: { status: MAYBE }) { id } }", /MAYBE/],
      ["{ tips(first: 5000) { id } }", /first/],
      ["{ artists(orderBy: nope) { id } }", /nope/],
      [`{ tips(block: { number: ${head + 1000} }) { id } }`, /indexed up to block number/],
      ["", /empty/],
    ];
    for (const [query, message] of cases) {
      const body = await gql(runner.url, query);
      assert.ok(Array.isArray(body.errors) && body.errors.length > 0, `expected errors for ${query}`);
      assert.match(body.errors[0].message, message, query);
    }
    // Still answering afterwards.
    assert.equal((await q("{ tips { id } }")).tips.length, 9);
  });
});

// ------------------------------------------------------------------------------------ chain truth

const ALL_ABIS = [
  ...harmonieTippingAbi,
  ...contentRegistryAbi,
  ...artistProfilesAbi,
  ...liveStreamsAbi,
  ...stakedCoreAbi,
  ...harmonieGovernorAbi,
  ...timelockControllerAbi,
];

/** How many of each event the protocol's contracts emitted, read from the chain's logs. */
async function chainEventCounts(): Promise<Map<string, number>> {
  const logs = await rpc<any[]>(chain.rpcUrl, "eth_getLogs", [
    {
      fromBlock: "0x0",
      toBlock: "latest",
      address: Object.values(deployment.contracts).map((c) => c.address),
    },
  ]);
  const counts = new Map<string, number>();
  for (const log of parseEventLogs({ abi: ALL_ABIS, logs, strict: false })) {
    counts.set(log.eventName, (counts.get(log.eventName) ?? 0) + 1);
  }
  return counts;
}

/** Event rows and the events they come from. */
const ROWS: [string, string[]][] = [
  ["tips", ["TipSent", "TokenTipSent"]],
  ["withdrawals", ["Withdrawn", "EarningsWithdrawn"]],
  ["licensePurchases", ["LicensePurchased"]],
  ["revenueCredits", ["RevenueCredited"]],
  ["trackRegistrations", ["TrackRegistered"]],
  ["trackOwnershipChanges", ["TrackRegistered", "TrackTransferred", "TrackReassigned"]],
  ["royaltyCollections", ["RoyaltiesCollected"]],
  ["registrantChanges", ["RegistrantSet"]],
  ["feeChanges", ["FeeUpdated"]],
  ["feeSweeps", ["FeesSwept"]],
  ["streamSessionEvents", ["SessionOpened", "SessionClosed"]],
  ["stakeEvents", ["Staked", "UnstakeRequested", "UnstakeCancelled", "Unstaked"]],
  ["proposalCreateds", ["ProposalCreated"]],
  ["voteCasts", ["VoteCast", "VoteCastWithParams"]],
  ["timelockCalls", ["CallScheduled"]],
  ["pauseChanges", ["Paused", "Unpaused"]],
  ["guardianChanges", ["ProposalGuardianSet"]],
];

/** Everything the subgraph holds at `block`, in a stable order. */
const SNAPSHOT = (block: number) => `{
  ${ROWS.map(([field]) => `${field}(first: 1000, orderBy: id, block: { number: ${block} }) { id }`).join("\n")}
  accounts(first: 1000, orderBy: id, block: { number: ${block} }) {
    id handle isArtist stCoreBalance pendingUnstake licenseEarned licenseCredit delegate { id }
  }
  artists(first: 1000, orderBy: id, block: { number: ${block} }) {
    id tipVolume tipCount tipWithdrawn licenseRevenue followerCount trackCount streamCount
  }
  follows(orderBy: id, block: { number: ${block} }) { id }
  licenses(orderBy: id, block: { number: ${block} }) { id balance expiresAt }
  trackAccesses(orderBy: id, block: { number: ${block} }) { id perpetual expiresAt }
  tracks(orderBy: id, block: { number: ${block} }) { id status artist { id } pendingArtist { id } splitCount }
  proposals(block: { number: ${block} }) { id status forVotes againstVotes voteEnd quorumFloor canceledBy }
  guardianActions(orderBy: id, block: { number: ${block} }) { id kind }
  protocols(block: { number: ${block} }) {
    tipVolume tipCount licenseVolume stakedSupply proposalCount guardian quorumFloor registryPaused
  }
}`;

test("restart mid-catch-up: resumes with nothing lost or duplicated", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "harmonie-runner-data-"));
  try {
    // One block per range, so that stopping lands in the middle of catching up.
    const first = await startHarmonieRunner({ dataDir, maxRange: 1 });
    const stopAt = Math.floor(head / 2);
    try {
      await first.waitForBlock(stopAt, 30_000);
    } finally {
      await first.stop();
    }
    const second = await startHarmonieRunner({ dataDir, maxRange: 1 });
    try {
      const resumed = (await data(second.url, "{ _meta { block { number } } }"))._meta.block.number;
      assert.ok(resumed >= stopAt && resumed < head, `resumed at ${resumed}, not mid-way (${stopAt}..${head})`);
      await second.waitForBlock(head, 30_000);
      const [counts, restarted, reference] = await Promise.all([
        chainEventCounts(),
        data(second.url, SNAPSHOT(head)),
        q(SNAPSHOT(head)),
      ]);
      for (const [field, events] of ROWS) {
        const expected = events.reduce((n, e) => n + (counts.get(e) ?? 0), 0);
        assert.equal(restarted[field].length, expected, `${field}: ${events.join(" + ")} on chain`);
        assert.equal(new Set(restarted[field].map((x: any) => x.id)).size, expected, `${field}: duplicates`);
      }
      // Every tip counts, in CORE (TipSent) or a stablecoin (TokenTipSent).
      assert.equal(
        restarted.protocols[0].tipCount,
        String((counts.get("TipSent") ?? 0) + (counts.get("TokenTipSent") ?? 0)),
      );
      // Exactly what the live-following runner has.
      assert.deepEqual(restarted, reference);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("reorg: the entities follow the new chain", async () => {
  const before = await q(`{ a: artist(id: "${A}") { tipVolume tipCount } b: artist(id: "${B}") { tipVolume tipCount }
    protocol(id: "harmonie") { tipVolume tipCount } }`);
  const fork = await rpc<string>(chain.rpcUrl, "evm_snapshot");
  for (const amount of ["1", "2", "3"]) {
    await sdk.tip(fan1, { deployment, artist: artistA.account.address, amount: parseEther(amount), message: "orphan" });
  }
  const oldHead = await blockNumber(chain.rpcUrl);
  await runner.waitForBlock(oldHead, 20_000);
  const orphaned = await q(`{ tips(where: { message: "orphan" }) { id } artist(id: "${A}") { tipCount } }`);
  assert.equal(orphaned.tips.length, 3);
  assert.equal(orphaned.artist.tipCount, String(Number(before.a.tipCount) + 3));

  // The new branch is shorter than the old one, and tips another artist.
  assert.equal(await rpc(chain.rpcUrl, "evm_revert", [fork]), true);
  for (const amount of ["0.25", "0.75"]) {
    await sdk.tip(fan2, { deployment, artist: artistB.account.address, amount: parseEther(amount), message: "fork" });
  }
  const newHead = await blockNumber(chain.rpcUrl);
  assert.ok(newHead < oldHead);
  const hash = await blockHash(chain.rpcUrl, newHead);
  await runner.indexer.waitFor(() => runner.indexer.head?.hash === hash, 20_000);

  const r = await q(`{
    orphans: tips(where: { message: "orphan" }) { id }
    forks: tips(where: { message: "fork" }, orderBy: amount) { amount from { id } artist { id } }
    a: artist(id: "${A}") { tipVolume tipCount } b: artist(id: "${B}") { tipVolume tipCount }
    protocol(id: "harmonie") { tipVolume tipCount }
    _meta { block { number hash } }
  }`);
  assert.deepEqual(r.orphans, []);
  assert.deepEqual(r.forks, [
    { amount: CORE("0.25"), from: { id: F2 }, artist: { id: B } },
    { amount: CORE("0.75"), from: { id: F2 }, artist: { id: B } },
  ]);
  assert.deepEqual(r.a, before.a);
  assert.deepEqual(r.b, {
    tipVolume: (BigInt(before.b.tipVolume) + parseEther("1")).toString(),
    tipCount: String(Number(before.b.tipCount) + 2),
  });
  assert.deepEqual(r.protocol, {
    tipVolume: (BigInt(before.protocol.tipVolume) + parseEther("1")).toString(),
    tipCount: String(Number(before.protocol.tipCount) + 2),
  });
  assert.deepEqual(r._meta.block, { number: newHead, hash });
  assert.ok(
    runnerLog.some((l) => /reorg detected/.test(l)),
    "the runner reported the reorg",
  );
});
