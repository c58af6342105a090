/**
 * Integration: licensing v2 and ISRC rights against a real Hardhat node with the protocol deployed by
 * `scripts/deploy.ts` — token-priced licences, renewals, referrers, per-buyer limits, royalties,
 * hand-overs, registrant approvals and governance decisions built from the SDK's call builders.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  createWalletClient,
  custom,
  erc20Abi,
  http,
  parseAbi,
  parseEther,
  parseUnits,
  zeroAddress,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getBlock, readContract, sendTransaction, waitForTransactionReceipt } from "viem/actions";
import { type LocalChain, rpc, startLocalChain } from "../../../scripts/local-chain.ts";
import { harmonieLocal } from "../chains.ts";
import { createHarmonieClient } from "../client.ts";
import type { Deployment, PaymentToken } from "../deployments.ts";
import {
  ApprovalExpiredError,
  ContractError,
  InvalidRegistrantCodeError,
  LicenseBuyerLimitError,
  LicenseOfferInactiveError,
  LicenseSoldOutError,
  RegistrantApprovalRequiredError,
  TokenNotAllowedError,
  TrackFrozenError,
  UnknownTrackError,
  WrongChainError,
} from "../errors.ts";
import { harmonieTippingAbi } from "../generated/abis.ts";
import { licenseTokenId, trackIdFromIsrc } from "../isrc.ts";
import * as sdk from "./index.ts";

// Hardhat's well-known development keys (accounts #1–#8).
const KEYS: Hex[] = [
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
];
const mintableAbi = parseAbi(["function mint(address to, uint256 amount)"]);
const HOUR = 3600n;
const ISRC = "US-RC1-76-07839"; // registrant code US-RC1, claimed below by the label

let chain: LocalChain;
let deployment: Deployment;
let usdc: PaymentToken;
/** Transactions each wallet has sent: a pre-check must refuse with none. */
const writes = new Map<Address, number>();
function wallet(key: Hex) {
  const account = privateKeyToAccount(key);
  const upstream = http(chain.rpcUrl)({ chain: harmonieLocal });
  writes.set(account.address, 0);
  return createWalletClient({
    chain: harmonieLocal,
    account,
    transport: custom({
      request: async ({ method, params }) => {
        if (method === "eth_sendRawTransaction") writes.set(account.address, writes.get(account.address)! + 1);
        return upstream.request({ method, params } as never);
      },
    }),
  });
}
type Wallet = ReturnType<typeof wallet>;
let artist: Wallet, fan: Wallet, collaborator: Wallet, label: Wallet;
let squatter: Wallet, app: Wallet, newOwner: Wallet, outsider: Wallet;

/** Runs `action` and asserts that `who` sent no transaction meanwhile. */
async function sendsNothing(who: Wallet, action: () => Promise<unknown>, expected: (error: unknown) => boolean) {
  const before = writes.get(who.account.address);
  await assert.rejects(action(), expected);
  assert.equal(writes.get(who.account.address), before, "refused before anything was sent");
}

async function increaseTime(seconds: number) {
  await rpc(chain.rpcUrl, "evm_increaseTime", [seconds]);
  await rpc(chain.rpcUrl, "evm_mine");
}

const now = async () => (await getBlock(fan)).timestamp;

/** Runs governance actions as the timelock itself (Hardhat impersonation): what an executed proposal does. */
async function asTimelock(calls: sdk.ContractCall[]) {
  const timelock = deployment.contracts.TimelockController.address;
  await rpc(chain.rpcUrl, "hardhat_impersonateAccount", [timelock]);
  await rpc(chain.rpcUrl, "hardhat_setBalance", [timelock, "0x56BC75E2D63100000"]);
  const executor = createWalletClient({ chain: harmonieLocal, transport: http(chain.rpcUrl), account: timelock });
  const { targets, calldatas } = sdk.proposalActions({ calls, description: "impersonated" });
  for (const [i, to] of targets.entries()) {
    const hash = await sendTransaction(executor, { to, data: calldatas[i] });
    assert.equal((await waitForTransactionReceipt(executor, { hash })).status, "success");
  }
}

before(async () => {
  chain = await startLocalChain({ deploy: true });
  deployment = chain.deployment;
  [artist, fan, collaborator, label, squatter, app, newOwner, outsider] = KEYS.map(wallet);
  usdc = sdk.paymentTokens(deployment)[1];
  for (const buyer of [fan, outsider]) {
    await buyer.writeContract({
      address: usdc.address,
      abi: mintableAbi,
      functionName: "mint",
      args: [buyer.account.address, parseUnits("100", 6)],
    });
  }
});

after(() => chain?.stop());

describe("licences in CORE and tokens", () => {
  const isrc = "GB-AYE-24-00001";
  let trackId: bigint;
  const price = parseUnits("3", 6);

  it("registers offers in USDC and CORE with caps and per-buyer limits", async () => {
    const registered = await sdk.registerTrack(artist, {
      deployment,
      isrc,
      metadataCid: "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
      exclusive: true,
      royaltyBps: 1_000,
      splits: [
        { recipient: artist.account.address, bps: 7_000 },
        { recipient: collaborator.account.address, bps: 3_000 },
      ],
      offers: [
        { token: usdc.address, price, duration: HOUR, supplyCap: 1 },
        { price: parseEther("1"), perBuyerLimit: 1, commercialUse: true },
        { price: parseEther("0.1") },
      ],
    });
    trackId = registered.trackId;
    assert.equal(registered.registrant, undefined, "an unclaimed code");
    assert.deepEqual(await sdk.getLicenseOffer(fan, { deployment, trackId, offerId: 0n }), {
      token: usdc.address,
      price,
      supplyCap: 1,
      perBuyerLimit: 0,
      duration: HOUR,
      commercialUse: false,
      derivativesAllowed: false,
      active: true,
      issued: 0,
    });
    const core = await sdk.getLicenseOffer(fan, { deployment, trackId, offerId: 1n });
    assert.deepEqual([core.token, core.perBuyerLimit], [sdk.CORE, 1]);
  });

  it("sells a USDC licence with an exact approval; buying it again renews it without a token or the cap", async () => {
    const bought = await sdk.purchaseLicense(fan, { deployment, isrc, offerId: 0n });
    assert.deepEqual(
      [bought.trackId, bought.offerId, bought.buyer, bought.token, bought.price, bought.renewal],
      [trackId, 0n, fan.account.address, usdc.address, price, false],
    );
    assert.equal(bought.tokenId, licenseTokenId(trackId, 0));
    assert.equal(bought.expiresAt, (await now()) + HOUR);
    const allowance = await readContract(fan, {
      address: usdc.address,
      abi: erc20Abi,
      functionName: "allowance",
      args: [fan.account.address, deployment.contracts.ContentRegistry.address],
    });
    assert.equal(allowance, 0n, "exactly the price was approved, and used");
    const fee = (price * 500n) / 10_000n;
    assert.equal(bought.fee, fee);
    const artistShare = await sdk.getLicenseEarnings(fan, {
      deployment,
      account: artist.account.address,
      token: usdc.address,
    });
    const collaboratorShare = await sdk.getLicenseEarnings(fan, {
      deployment,
      account: collaborator.account.address,
      token: usdc.address,
    });
    assert.equal(artistShare + collaboratorShare, price - fee);
    assert.equal(await sdk.getLicenseEarnings(fan, { deployment, account: collaborator.account.address }), 0n);

    // Renewed before expiry: access runs on from the old expiry; the cap of 1 does not stop the holder.
    const renewed = await sdk.purchaseLicense(fan, { deployment, trackId, offerId: 0n });
    assert.equal(renewed.renewal, true);
    assert.equal(renewed.expiresAt, bought.expiresAt + HOUR);
    assert.equal((await sdk.getLicenseOffer(fan, { deployment, trackId, offerId: 0n })).issued, 1);
    assert.equal(
      await sdk.getLicenseBalance(fan, { deployment, account: fan.account.address, trackId, offerId: 0n }),
      1n,
    );
    assert.deepEqual(await sdk.getLicenseStatus(fan, { deployment, account: fan.account.address, isrc }), {
      perpetual: 0n,
      expiresAt: renewed.expiresAt,
      hasAccess: true,
      isRightsHolder: false,
    });
    // Someone else meets the cap, before approving anything.
    await sendsNothing(
      outsider,
      () => sdk.purchaseLicense(outsider, { deployment, trackId, offerId: 0n }),
      (error) =>
        error instanceof LicenseSoldOutError &&
        error.offerId === 0n &&
        error.errorName === "ContentRegistrySupplyExhausted",
    );

    const paid = await sdk.withdrawLicenseEarnings(collaborator, { deployment, token: usdc.address });
    // The renewal paid the price again.
    assert.deepEqual(
      [paid.token, paid.amount, paid.to],
      [usdc.address, 2n * collaboratorShare, collaborator.account.address],
    );
  });

  it("names the client's referrer and enforces the per-buyer limit before sending", async () => {
    const harmonie = createHarmonieClient({
      chain: harmonieLocal,
      transport: http(chain.rpcUrl),
      account: privateKeyToAccount(KEYS[1]),
      deployment,
      referrer: app.account.address,
    });
    const bought = await harmonie.purchaseLicense({ trackId, offerId: 1n });
    assert.equal(bought.referrer, app.account.address);
    const fees = await sdk.getTipFees(fan, { deployment }); // one referrer share for tips and licences
    assert.equal(bought.referralFee, (bought.fee * fees.referrerShareBps) / 10_000n);
    assert.ok(bought.referralFee > 0n);
    assert.equal(await sdk.getLicenseEarnings(fan, { deployment, account: app.account.address }), bought.referralFee);
    assert.equal(bought.expiresAt, 0n, "perpetual");
    assert.equal(
      await sdk.getLicensePurchases(fan, { deployment, account: fan.account.address, trackId, offerId: 1n }),
      1n,
    );
    await sendsNothing(
      fan,
      () => sdk.purchaseLicense(fan, { deployment, trackId, offerId: 1n }),
      (error) => error instanceof LicenseBuyerLimitError && error.limit === 1n,
    );
    const status = await harmonie.getLicenseStatus({ account: fan.account.address, trackId });
    assert.equal(status.perpetual, 1n);
    const referral = await sdk.withdrawLicenseEarnings(app, { deployment, to: outsider.account.address });
    assert.deepEqual(
      [referral.account, referral.to, referral.token, referral.amount],
      [app.account.address, outsider.account.address, sdk.CORE, bought.referralFee],
    );
    // Without a referrer (a plain wallet client), no referral is paid.
    const direct = await sdk.purchaseLicense(outsider, { deployment, trackId, offerId: 2n });
    assert.deepEqual([direct.referrer, direct.referralFee], [zeroAddress, 0n]);
  });

  it("refuses an offer off sale, an unknown track, a wrong chain and a token off the allow-list before anything is sent", async () => {
    await sdk.setLicenseOfferActive(artist, { deployment, trackId, offerId: 2n, active: false });
    await sendsNothing(
      outsider,
      () => sdk.purchaseLicense(outsider, { deployment, trackId, offerId: 2n }),
      (error) =>
        error instanceof LicenseOfferInactiveError &&
        error instanceof ContractError &&
        error.errorName === "ContentRegistryOfferInactive",
    );
    await sendsNothing(
      outsider,
      () => sdk.purchaseLicense(outsider, { deployment, isrc: "ZZ-ZZZ-99-99999", offerId: 0n }),
      (error) => error instanceof UnknownTrackError && error.trackId === trackIdFromIsrc("ZZZZZ9999999"),
    );
    await assert.rejects(sdk.getTrack(fan, { deployment, isrc: "ZZZZZ9999999" }), UnknownTrackError);
    assert.deepEqual(
      await sdk.getLicenseStatus(fan, { deployment, account: fan.account.address, isrc: "ZZZZZ9999999" }),
      {
        perpetual: 0n,
        expiresAt: 0n,
        hasAccess: false,
        isRightsHolder: false,
      },
    );
    await sendsNothing(
      outsider,
      () => sdk.purchaseLicense(outsider, { deployment: { ...deployment, chainId: 1114 }, trackId, offerId: 1n }),
      (error) => error instanceof WrongChainError && error.expectedChainId === 1114,
    );
    // Governance takes USDC off the allow-list: the USDC offer stays, its sales stop.
    const tipping = { address: deployment.contracts.HarmonieTipping.address, abi: harmonieTippingAbi } as const;
    await asTimelock([{ ...tipping, functionName: "removeToken", args: [usdc.address] }]);
    try {
      await sendsNothing(
        fan, // a renewal, so neither cap applies: only the token check refuses
        () => sdk.purchaseLicense(fan, { deployment, trackId, offerId: 0n }),
        (error) =>
          error instanceof TokenNotAllowedError &&
          error.token === usdc.address &&
          error.errorName === "ContentRegistryTokenNotAllowed",
      );
      // An offer in a token off the list is refused by the contract's estimate: nothing is sent either.
      await sendsNothing(
        artist,
        () => sdk.addLicenseOffer(artist, { deployment, trackId, terms: { token: usdc.address, price: 1n } }),
        (error) => error instanceof TokenNotAllowedError && error.errorName === "ContentRegistryTokenNotAllowed",
      );
    } finally {
      await asTimelock([{ ...tipping, functionName: "allowToken", args: [usdc.address, 10_000n] }]);
    }
  });

  it("names a per-track royalty address and credits what it collects to the splits", async () => {
    const vault = await sdk.getRoyaltyAddress(fan, { deployment, isrc });
    assert.notEqual(vault, zeroAddress);
    const hash = await sendTransaction(outsider, { to: vault, value: parseEther("1") }); // a marketplace's royalty
    await waitForTransactionReceipt(outsider, { hash });
    const before = await sdk.getLicenseEarnings(fan, { deployment, account: collaborator.account.address });
    const collected = await sdk.collectRoyalties(outsider, { deployment, trackId });
    assert.deepEqual([collected.trackId, collected.token, collected.amount], [trackId, sdk.CORE, parseEther("1")]);
    const after = await sdk.getLicenseEarnings(fan, { deployment, account: collaborator.account.address });
    assert.equal(after - before, parseEther("0.3"));
    await assert.rejects(
      sdk.collectRoyalties(outsider, { deployment, trackId }),
      (error) => error instanceof ContractError && error.errorName === "ContentRegistryNoRoyalties",
    );
  });

  it("hands a track over in two steps", async () => {
    const offered = await sdk.offerTrackTransfer(artist, { deployment, trackId, to: newOwner.account.address });
    assert.deepEqual([offered.artist, offered.to], [artist.account.address, newOwner.account.address]);
    assert.equal(await sdk.getPendingArtist(fan, { deployment, trackId }), newOwner.account.address);
    await assert.rejects(
      sdk.acceptTrackTransfer(outsider, { deployment, trackId }),
      (error) => error instanceof ContractError && error.errorName === "ContentRegistryNotOfferedTo",
    );
    const moved = await sdk.acceptTrackTransfer(newOwner, { deployment, isrc });
    assert.deepEqual([moved.previousArtist, moved.artist], [artist.account.address, newOwner.account.address]);
    assert.equal((await sdk.getTrack(fan, { deployment, trackId })).artist, newOwner.account.address);
    assert.equal(await sdk.getPendingArtist(fan, { deployment, trackId }), undefined);
    assert.equal(
      (await sdk.getLicenseStatus(fan, { deployment, account: newOwner.account.address, trackId })).isRightsHolder,
      true,
    );
  });
});

describe("ISRC rights", () => {
  let squatted: bigint;

  it("a proposal built from call builders assigns the registrant code and flags a squatted track", async () => {
    ({ trackId: squatted } = await sdk.registerTrack(squatter, {
      deployment,
      isrc: ISRC, // first come while the code is unclaimed
      metadataCid: "bafysquat",
      exclusive: true,
      splits: [{ recipient: squatter.account.address, bps: 10_000 }],
      offers: [{ price: parseEther("1") }],
    }));
    await sdk.purchaseLicense(fan, { deployment, trackId: squatted, offerId: 0n });
    assert.equal(await sdk.getRegistrant(fan, { deployment, code: "US-RC1" }), undefined);

    await sdk.stake(fan, { deployment, amount: parseEther("10") });
    await sdk.delegate(fan, { deployment, delegatee: fan.account.address });
    await increaseTime(2);
    const proposal = await sdk.propose(fan, {
      deployment,
      calls: [
        sdk.setRegistrantCall({ deployment, code: "us-rc1", registrant: label.account.address }),
        sdk.flagTrackCall({ deployment, isrc: ISRC, reason: "Claimed by the label that owns US-RC1" }),
      ],
      description: "US-RC1 to its label; flag the squatted US-RC1-76-07839",
    });
    assert.deepEqual(proposal.targets, [
      deployment.contracts.ContentRegistry.address,
      deployment.contracts.ContentRegistry.address,
    ]);
    assert.deepEqual(proposal.values, [0n, 0n]);
    await increaseTime(2);
    await sdk.castVote(fan, { deployment, proposalId: proposal.proposalId, support: "for" });
    await increaseTime(301);
    await sdk.queueProposal(fan, { deployment, ...proposal });
    await increaseTime(61);
    await sdk.executeProposal(fan, { deployment, ...proposal });

    assert.equal(await sdk.getRegistrant(fan, { deployment, code: "USRC1" }), label.account.address);
    assert.equal(await sdk.getRegistrant(fan, { deployment, isrc: "usrc17607839" }), label.account.address);
    assert.equal((await sdk.getTrack(fan, { deployment, trackId: squatted })).status, "flagged");
    await sendsNothing(
      outsider,
      () => sdk.purchaseLicense(outsider, { deployment, trackId: squatted, offerId: 0n }),
      (error) =>
        error instanceof TrackFrozenError &&
        error.status === "flagged" &&
        error.errorName === "ContentRegistryTrackFrozen",
    );
    // Licence holders keep their access through a dispute.
    assert.equal(await sdk.hasAccess(fan, { deployment, account: fan.account.address, trackId: squatted }), true);
  });

  it("registering under a claimed code needs the registrant's approval, which binds the artist and expires", async () => {
    const isrc = "US-RC1-76-07840";
    const base = {
      deployment,
      isrc,
      metadataCid: "bafyreal",
      exclusive: true,
      splits: [{ recipient: artist.account.address, bps: 10_000 }],
    };
    await sendsNothing(
      artist,
      () => sdk.registerTrack(artist, base),
      (error) =>
        error instanceof RegistrantApprovalRequiredError &&
        error.registrant === label.account.address &&
        error.isrc === "USRC17607840",
    );
    const deadline = (await now()) + HOUR;
    const signature = await sdk.signTrackApproval(label, {
      deployment,
      isrc,
      artist: artist.account.address,
      deadline,
    });
    // Copied by someone else: the approval names the artist.
    await sendsNothing(
      squatter,
      () => sdk.registerTrack(squatter, { ...base, approval: { deadline, signature } }),
      (error) => error instanceof ContractError && error.errorName === "ContentRegistryInvalidApproval",
    );
    const late = (await now()) - 1n;
    const stale = await sdk.signTrackApproval(label, {
      deployment,
      isrc,
      artist: artist.account.address,
      deadline: late,
    });
    await sendsNothing(
      artist,
      () => sdk.registerTrack(artist, { ...base, approval: { deadline: late, signature: stale } }),
      (error) => error instanceof ApprovalExpiredError && error.deadline === late,
    );
    const registered = await sdk.registerTrack(artist, { ...base, approval: { deadline, signature } });
    assert.equal(registered.registrant, label.account.address);
    assert.equal((await sdk.getTrack(fan, { deployment, isrc })).artist, artist.account.address);
    // The registrant registers under its own code without an approval.
    const own = await sdk.registerTrack(label, {
      ...base,
      isrc: "USRC17607841",
      splits: [{ recipient: label.account.address, bps: 10_000 }],
    });
    assert.equal(own.registrant, label.account.address);
    // Typed data from one place: what a wallet library would sign.
    const typed = sdk.trackApprovalTypedData({ deployment, isrc, artist: artist.account.address, deadline });
    assert.deepEqual(typed.message, { isrc: "USRC17607840", artist: artist.account.address, deadline });
    assert.deepEqual(typed.domain, {
      name: "ContentRegistry",
      version: "2",
      chainId: 31337,
      verifyingContract: deployment.contracts.ContentRegistry.address,
    });
    await assert.rejects(sdk.getRegistrant(fan, { deployment, code: "U-RC1" }), InvalidRegistrantCodeError);
    assert.throws(
      () => sdk.setRegistrantCall({ deployment, code: "USRC17607839", registrant: label.account.address }),
      InvalidRegistrantCodeError,
    );
  });

  it("the registrant reassigns the squatted track, which is active again; governance can revoke for good", async () => {
    const splits = [{ recipient: artist.account.address, bps: 10_000 }];
    await assert.rejects(
      sdk.reassignTrack(squatter, {
        deployment,
        trackId: squatted,
        artist: squatter.account.address,
        splits,
        reason: "mine",
      }),
      (error) => error instanceof ContractError && error.errorName === "ContentRegistryNotRegistrant",
    );
    const reassigned = await sdk.reassignTrack(label, {
      deployment,
      isrc: ISRC,
      artist: artist.account.address,
      splits,
      metadataCid: "bafyreal",
      reason: "Released by our artist in 1976",
    });
    assert.deepEqual(
      [reassigned.previousArtist, reassigned.artist, reassigned.by, reassigned.reason],
      [squatter.account.address, artist.account.address, label.account.address, "Released by our artist in 1976"],
    );
    const track = await sdk.getTrack(fan, { deployment, trackId: squatted });
    assert.deepEqual([track.status, track.artist, track.metadataCid], ["active", artist.account.address, "bafyreal"]);
    assert.deepEqual(await sdk.getSplits(fan, { deployment, trackId: squatted }), splits);
    assert.equal(await sdk.hasAccess(fan, { deployment, account: fan.account.address, trackId: squatted }), true);

    // The other governance actions, executed as the timelock would execute a proposal of them.
    await asTimelock([sdk.flagTrackCall({ deployment, trackId: squatted, reason: "again" })]);
    await asTimelock([sdk.unflagTrackCall({ deployment, trackId: squatted })]);
    assert.equal((await sdk.getTrack(fan, { deployment, trackId: squatted })).status, "active");
    await asTimelock([sdk.revokeTrackCall({ deployment, isrc: ISRC, reason: "Infringing" })]);
    assert.equal((await sdk.getTrack(fan, { deployment, trackId: squatted })).status, "revoked");
    await sendsNothing(
      outsider,
      () => sdk.purchaseLicense(outsider, { deployment, trackId: squatted, offerId: 0n }),
      (error) => error instanceof TrackFrozenError && error.status === "revoked",
    );
    await assert.rejects(
      sdk.reassignTrack(label, { deployment, trackId: squatted, artist: artist.account.address, splits, reason: "x" }),
      (error) => error instanceof ContractError && error.errorName === "ContentRegistryWrongStatus",
    );
    // Only governance can bring a revoked track back.
    await asTimelock([
      sdk.reassignTrackCall({
        deployment,
        trackId: squatted,
        artist: label.account.address,
        splits,
        reason: "DAO ruling",
      }),
    ]);
    assert.equal((await sdk.getTrack(fan, { deployment, trackId: squatted })).status, "active");
    // Unclaiming the code makes it first come again.
    await asTimelock([sdk.setRegistrantCall({ deployment, code: "US-RC1", registrant: zeroAddress })]);
    assert.equal(await sdk.getRegistrant(fan, { deployment, code: "US-RC1" }), undefined);
  });
});

describe("live gates", () => {
  it("a gate must be an exclusive track the artist holds rights in", async () => {
    const { trackId: open } = await sdk.registerTrack(artist, {
      deployment,
      isrc: "GB-AYE-24-00002",
      metadataCid: "bafyopen",
      splits: [{ recipient: artist.account.address, bps: 10_000 }],
    });
    await assert.rejects(
      sdk.openSession(artist, { deployment, title: "Open", playbackId: "pb", gatingTrackId: open }),
      (error) => error instanceof ContractError && error.errorName === "LiveStreamsGateNotExclusive",
    );
    const exclusive = trackIdFromIsrc("GB-AYE-24-00001"); // collaborator holds 30% of it
    await assert.rejects(
      sdk.openSession(outsider, { deployment, title: "Not mine", playbackId: "pb", gatingTrackId: exclusive }),
      (error) => error instanceof ContractError && error.errorName === "LiveStreamsNotRightsHolder",
    );
    const { streamId } = await sdk.openSession(collaborator, {
      deployment,
      title: "Members only",
      playbackId: "pb",
      gatingTrackId: exclusive,
    });
    assert.equal(await sdk.canWatch(fan, { deployment, account: fan.account.address, streamId }), true);
    assert.equal(await sdk.canWatch(fan, { deployment, account: app.account.address, streamId }), false);
  });
});
