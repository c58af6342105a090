/**
 * Every write action has a `…Call` builder, and the action sends exactly what its builder encodes.
 * List-driven over the exports of `@harmonie/sdk/actions`: a new write without a builder, or a builder
 * without a sample here, fails. No chain: the action's request is caught at its gas estimate.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Abi,
  type Address,
  createClient,
  custom,
  encodeFunctionData,
  type Hex,
  isAddressEqual,
  parseEther,
} from "viem";
import { harmonieLocal } from "../chains.ts";
import type { ContractName, Deployment } from "../deployments.ts";
import { InvalidInputError, UserRejectedError } from "../errors.ts";
import { protocolLimits } from "../generated/protocol.ts";
import * as sdk from "./index.ts";

const exported = sdk as unknown as Record<string, unknown>;
const functions = Object.keys(exported).filter((name) => typeof exported[name] === "function");

// Exports that send no transaction: reads are named get/has/is/can…; these are the rest.
const NOT_WRITES = new Set([
  "contractCall", // the checker every builder goes through
  "paymentTokens",
  "tipFromReceipt",
  "signWithdrawal", // signatures: typed data, no transaction
  "signTrackApproval",
  "trackApprovalTypedData",
  "signDelegation",
  "proposalActions",
  "resumeTipSession", // reads the tab; its tips are `tipFromTabCall`
]);
const READ = /^(get|has|is|can)[A-Z]/;
// Writes whose builder is named after the contract call rather than the action.
const BUILT_BY: Record<string, string> = { sendTip: "tipCall", startTipSession: "openTabCall" };
// Builders with no action of their own: governance proposal actions and the session key's tip.
const BUILDER_ONLY = new Set([
  "flagTrackCall",
  "unflagTrackCall",
  "revokeTrackCall",
  "setRegistrantCall",
  "tipFromTabCall",
]);

const writes = functions.filter((name) => !name.endsWith("Call") && !NOT_WRITES.has(name) && !READ.test(name));
const builders = functions.filter((name) => name.endsWith("Call") && name !== "contractCall");
const builderOf = (write: string) => BUILT_BY[write] ?? `${write}Call`;

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
const CONTRACTS: ContractName[] = [
  "HarmonieTipping",
  "ContentRegistry",
  "ArtistProfiles",
  "LiveStreams",
  "StakedCore",
  "HarmonieGovernor",
  "TimelockController",
];
const deployment: Deployment = {
  chainId: harmonieLocal.id,
  contracts: Object.fromEntries(
    CONTRACTS.map((name, i) => [name, { address: address(0xc0de00 + i), blockNumber: 1 }]),
  ) as Deployment["contracts"],
};
const [artist, fan, usdc] = [address(0xa1), address(0xf1), address(0x05dc)];
const signature = `0x${"11".repeat(32)}${"22".repeat(32)}1b` as Hex;
const split = [{ recipient: artist, bps: protocolLimits.ContentRegistry.BPS }];
const actions = { targets: [artist], values: [0n], calldatas: ["0x" as Hex], description: "Pay the artist" };

// One sample per builder: its arguments (the action takes the same ones) and the contract it calls.
const SAMPLES: Record<string, { args: Record<string, unknown>; contract?: ContractName }> = {
  tipCall: { args: { artist, amount: parseEther("1"), message: "encore!" }, contract: "HarmonieTipping" },
  approveTipTokenCall: { args: { token: usdc, amount: 5n } },
  withdrawTipsCall: { args: { token: usdc, to: fan }, contract: "HarmonieTipping" },
  withdrawTipsForCall: {
    args: { account: artist, token: usdc, to: fan, maxFeeBps: 300n, deadline: 9n, signature },
    contract: "HarmonieTipping",
  },
  invalidateWithdrawalSignaturesCall: { args: {}, contract: "HarmonieTipping" },
  setMinimumTipCall: { args: { minimum: 7n }, contract: "HarmonieTipping" },
  setTipSplitCall: { args: { streamId: 3n, shares: split }, contract: "HarmonieTipping" },
  openTabCall: {
    args: { key: fan, budget: parseEther("5"), expiresAt: 2_000_000_000n, gasAllowance: 10n },
    contract: "HarmonieTipping",
  },
  tipFromTabCall: { args: { artist, amount: 4n, streamId: 2n, message: "🔥" }, contract: "HarmonieTipping" },
  closeTabCall: { args: { key: fan }, contract: "HarmonieTipping" },
  topUpTabCall: { args: { key: fan, amount: 6n, gasAllowance: 1n }, contract: "HarmonieTipping" },
  registerTrackCall: {
    args: { isrc: "us-rc1-76-07839", metadataCid: "bafy", splits: split, approval: { deadline: 9n, signature } },
    contract: "ContentRegistry",
  },
  updateTrackMetadataCall: { args: { trackId: 1n, metadataCid: "bafy2" }, contract: "ContentRegistry" },
  addLicenseOfferCall: { args: { trackId: 1n, terms: { price: 5n, supplyCap: 3 } }, contract: "ContentRegistry" },
  setLicensePriceCall: { args: { trackId: 1n, offerId: 0n, price: 8n }, contract: "ContentRegistry" },
  setLicenseOfferActiveCall: { args: { trackId: 1n, offerId: 0n, active: false }, contract: "ContentRegistry" },
  purchaseLicenseCall: { args: { trackId: 1n, offerId: 0n, price: 5n }, contract: "ContentRegistry" },
  withdrawLicenseEarningsCall: { args: { to: fan }, contract: "ContentRegistry" },
  collectRoyaltiesCall: { args: { isrc: "US-RC1-76-07839" }, contract: "ContentRegistry" },
  offerTrackTransferCall: { args: { trackId: 1n, to: fan }, contract: "ContentRegistry" },
  acceptTrackTransferCall: { args: { trackId: 1n }, contract: "ContentRegistry" },
  reassignTrackCall: { args: { trackId: 1n, artist, splits: split, reason: "label" }, contract: "ContentRegistry" },
  flagTrackCall: { args: { trackId: 1n, reason: "disputed" }, contract: "ContentRegistry" },
  unflagTrackCall: { args: { trackId: 1n }, contract: "ContentRegistry" },
  revokeTrackCall: { args: { trackId: 1n, reason: "infringing" }, contract: "ContentRegistry" },
  setRegistrantCall: { args: { code: "us-rc1", registrant: artist }, contract: "ContentRegistry" },
  registerProfileCall: {
    args: { handle: "nova_beats", profileCid: "bafy", isArtist: true },
    contract: "ArtistProfiles",
  },
  updateProfileCall: { args: { profileCid: "bafy3" }, contract: "ArtistProfiles" },
  changeHandleCall: { args: { handle: "nova" }, contract: "ArtistProfiles" },
  setArtistCall: { args: { isArtist: false }, contract: "ArtistProfiles" },
  followCall: { args: { artist }, contract: "ArtistProfiles" },
  unfollowCall: { args: { artist }, contract: "ArtistProfiles" },
  openSessionCall: { args: { title: "Friday set", playbackId: "pb", gatingTrackId: 1n }, contract: "LiveStreams" },
  closeSessionCall: { args: { streamId: 1n, peakViewers: 12 }, contract: "LiveStreams" },
  stakeCall: { args: { amount: parseEther("100") }, contract: "StakedCore" },
  requestUnstakeCall: { args: { amount: 4n }, contract: "StakedCore" },
  cancelUnstakeCall: { args: {}, contract: "StakedCore" },
  completeUnstakeCall: { args: {}, contract: "StakedCore" },
  delegateCall: { args: { delegatee: artist }, contract: "StakedCore" },
  delegateBySigCall: { args: { delegatee: artist, nonce: 0n, expiry: 9n, signature }, contract: "StakedCore" },
  proposeCall: { args: actions, contract: "HarmonieGovernor" },
  castVoteCall: { args: { proposalId: 5n, support: "for", reason: "fair" }, contract: "HarmonieGovernor" },
  queueProposalCall: { args: actions, contract: "HarmonieGovernor" },
  executeProposalCall: { args: actions, contract: "HarmonieGovernor" },
};

// Writes that read the chain before they send (allowance, tab, offer, registrant, key): their request
// is checked against a real node in actions.test.ts and licensing.test.ts instead.
const READS_FIRST = new Set(["approveTipToken", "startTipSession", "topUpTab", "purchaseLicense"]);

type Call = { address: Address; abi: Abi; functionName: string; args: readonly unknown[]; value?: bigint };
const build = (name: string, args: Record<string, unknown>) =>
  (exported[name] as (params: object) => Call)({ ...args, deployment });

/** A client whose node has code everywhere and records each gas estimate, then declines it (not retried). */
function recordingClient() {
  const estimates: { to: Address; data: Hex; value?: Hex }[] = [];
  const client = createClient({
    chain: harmonieLocal,
    account: fan,
    transport: custom({
      async request({ method, params }) {
        if (method === "eth_chainId") return `0x${harmonieLocal.id.toString(16)}`;
        if (method === "eth_getCode") return "0x6080";
        if (method === "eth_estimateGas") {
          estimates.push(params[0]);
          throw Object.assign(new Error("recorded"), { code: 4001 });
        }
        throw new Error(`unexpected ${method}`);
      },
    }),
  });
  return { client, estimates };
}

describe("call builders", () => {
  it("every write action has its …Call builder, and every builder a write or a reason", () => {
    assert.ok(writes.length >= 40, `only ${writes.length} writes found: is the classification right?`);
    const missing = writes.filter((write) => !builders.includes(builderOf(write)));
    assert.deepEqual(missing, [], "write actions without a …Call builder");
    const matched = new Set(writes.map(builderOf));
    const orphans = builders.filter((name) => !matched.has(name) && !BUILDER_ONLY.has(name));
    assert.deepEqual(orphans, [], "builders of no write action");
    assert.deepEqual(builders.filter((name) => !SAMPLES[name]).sort(), [], "builders without a sample here");
  });

  it("each builder returns a write of its contract's ABI that viem can encode", () => {
    for (const name of builders) {
      const { args, contract } = SAMPLES[name];
      const call = build(name, args);
      const item = call.abi.find((entry) => entry.type === "function" && entry.name === call.functionName);
      assert.ok(item && item.type === "function", `${name}: ${call.functionName} is in its ABI`);
      assert.ok(["nonpayable", "payable"].includes(item.stateMutability), `${name}: a write, not a read`);
      assert.match(encodeFunctionData(call), /^0x[0-9a-f]{8}/, name);
      const expected = contract ? deployment.contracts[contract].address : usdc;
      assert.ok(isAddressEqual(call.address, expected), `${name} calls ${contract ?? "the token"}`);
    }
  });

  it("each action sends exactly the call its builder encodes", async () => {
    for (const write of writes.filter((name) => !READS_FIRST.has(name))) {
      const { args } = SAMPLES[builderOf(write)];
      const call = build(builderOf(write), args);
      const { client, estimates } = recordingClient();
      await assert.rejects(
        (exported[write] as (c: unknown, p: object) => Promise<unknown>)(client, { ...args, deployment }),
        UserRejectedError,
      );
      assert.equal(estimates.length, 1, `${write} estimated its call once`);
      const [sent] = estimates;
      assert.ok(isAddressEqual(sent.to, call.address), `${write}: to`);
      assert.equal(sent.data, encodeFunctionData(call), `${write}: calldata`);
      assert.equal(BigInt(sent.value ?? 0), call.value ?? 0n, `${write}: value`);
    }
  });

  it("payable calls carry their value: a CORE tip, licence, stake or tab; a token tip none", () => {
    const tip = sdk.tipCall({ deployment, artist, amount: 3n });
    assert.equal(tip.functionName === "tipToken" ? 0n : tip.value, 3n);
    const tokenTip = sdk.tipCall({ deployment, artist, amount: 3n, token: usdc });
    assert.equal(tokenTip.functionName, "tipToken");
    assert.equal("value" in tokenTip, false);
    assert.equal(sdk.stakeCall({ deployment, amount: 9n }).value, 9n);
    const tab = sdk.openTabCall({ deployment, key: fan, budget: 5n, expiresAt: 1n, gasAllowance: 2n });
    assert.equal(tab.value, 7n);
    const tokenTab = sdk.openTabCall({
      deployment,
      key: fan,
      token: usdc,
      budget: 5n,
      expiresAt: 1n,
      gasAllowance: 2n,
    });
    assert.equal(tokenTab.value, 2n);
    assert.equal(sdk.topUpTabCall({ deployment, key: fan, token: usdc, amount: 5n }).value, 0n);
    const coreLicense = sdk.purchaseLicenseCall({ deployment, trackId: 1n, offerId: 0n, price: 4n });
    assert.equal("value" in coreLicense && coreLicense.value, 4n);
    const tokenLicense = sdk.purchaseLicenseCall({ deployment, trackId: 1n, offerId: 0n, price: 4n, token: usdc });
    assert.equal("value" in tokenLicense, false);
  });
});

describe("limits come from the contracts", () => {
  const limits = protocolLimits;
  const bytes = (n: number) => "x".repeat(n);

  it("a tip message of the contract's maximum passes, one byte more is refused", () => {
    assert.equal(sdk.MAX_TIP_MESSAGE_BYTES, limits.HarmonieTipping.MAX_MESSAGE_BYTES);
    const max = limits.HarmonieTipping.MAX_MESSAGE_BYTES;
    sdk.tipCall({ deployment, artist, amount: 1n, message: bytes(max) });
    assert.throws(() => sdk.tipCall({ deployment, artist, amount: 1n, message: bytes(max + 1) }), /too long|bytes/i);
    assert.throws(() => sdk.tipFromTabCall({ deployment, artist, amount: 1n, message: bytes(max + 1) }), /bytes/i);
  });

  it("tip splits: at most MAX_SPLIT_RECIPIENTS, summing to BPS", () => {
    const { MAX_SPLIT_RECIPIENTS: most, BPS } = limits.HarmonieTipping;
    const shares = (n: number, total: number = BPS) =>
      Array.from({ length: n }, (_, i) => ({ recipient: address(i + 1), bps: i === 0 ? total - (n - 1) : 1 }));
    sdk.setTipSplitCall({ deployment, shares: shares(most) });
    sdk.setTipSplitCall({ deployment, shares: [] }); // removes the split
    assert.throws(() => sdk.setTipSplitCall({ deployment, shares: shares(most + 1) }), InvalidInputError);
    assert.throws(() => sdk.setTipSplitCall({ deployment, shares: shares(2, BPS - 1) }), InvalidInputError);
    assert.throws(() => sdk.setTipSplitCall({ deployment, shares: shares(2, BPS + 1) }), InvalidInputError);
  });

  it("track splits, offers and royalty: MAX_SPLITS, BPS, MAX_OFFERS, MAX_ROYALTY_BPS", () => {
    const { MAX_SPLITS, BPS, MAX_OFFERS, MAX_ROYALTY_BPS } = limits.ContentRegistry;
    const splits = (n: number, total: number = BPS) =>
      Array.from({ length: n }, (_, i) => ({ recipient: address(i + 1), bps: i === 0 ? total - (n - 1) : 1 }));
    const track = { deployment, isrc: "US-RC1-76-07839", metadataCid: "bafy", approval: { deadline: 1n, signature } };
    const offers = (n: number) => Array.from({ length: n }, () => ({ price: 1n }));
    sdk.registerTrackCall({
      ...track,
      splits: splits(MAX_SPLITS),
      offers: offers(MAX_OFFERS),
      royaltyBps: MAX_ROYALTY_BPS,
    });
    for (const wrong of [
      { splits: splits(MAX_SPLITS + 1) },
      { splits: [] },
      { splits: splits(1, BPS - 1) },
      { splits: splits(1), offers: offers(MAX_OFFERS + 1) },
      { splits: splits(1), royaltyBps: MAX_ROYALTY_BPS + 1 },
    ]) {
      assert.throws(
        () => sdk.registerTrackCall({ ...track, ...wrong }),
        InvalidInputError,
        JSON.stringify(wrong, (_, v) => (typeof v === "bigint" ? String(v) : v)),
      );
    }
    assert.throws(
      () => sdk.reassignTrackCall({ deployment, trackId: 1n, artist, splits: splits(MAX_SPLITS + 1), reason: "r" }),
      InvalidInputError,
    );
  });

  it("handles: MIN_HANDLE_LENGTH to MAX_HANDLE_LENGTH", () => {
    const { MIN_HANDLE_LENGTH: min, MAX_HANDLE_LENGTH: max } = limits.ArtistProfiles;
    for (const n of [min, max]) assert.equal(sdk.isValidHandle("a".repeat(n)), true, `${n} characters`);
    for (const n of [min - 1, max + 1]) assert.equal(sdk.isValidHandle("a".repeat(n)), false, `${n} characters`);
    assert.throws(() => sdk.changeHandleCall({ deployment, handle: "a".repeat(max + 1) }), InvalidInputError);
    assert.throws(
      () => sdk.registerProfileCall({ deployment, handle: "a".repeat(min - 1), profileCid: "b", isArtist: false }),
      InvalidInputError,
    );
  });

  it("session titles: 1 to MAX_TITLE_BYTES bytes of UTF-8", () => {
    const max = limits.LiveStreams.MAX_TITLE_BYTES;
    sdk.openSessionCall({ deployment, title: bytes(max), playbackId: "p" });
    // "é" is two bytes: half as many characters reach the limit.
    sdk.openSessionCall({ deployment, title: "é".repeat(max / 2), playbackId: "p" });
    assert.throws(
      () => sdk.openSessionCall({ deployment, title: "é".repeat(max / 2) + "x", playbackId: "p" }),
      InvalidInputError,
    );
    assert.throws(() => sdk.openSessionCall({ deployment, title: "", playbackId: "p" }), InvalidInputError);
  });
});
