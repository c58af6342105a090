/**
 * The typed subgraph queries against the whole local stack (chain, seeded demo data, the subgraph on
 * the graph-node emulator): the same queries run unchanged against Core's graph-node.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createWalletClient, http, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getTransactionCount, waitForTransactionReceipt, writeContract } from "viem/actions";
import { type DevStack, startDevStack } from "../../../scripts/dev-stack.ts";
import { rpc } from "../../../scripts/local-chain.ts";
import { harmonieLocal } from "../chains.ts";
import { IndexerError } from "../errors.ts";
import { artistProfilesAbi, harmonieTippingAbi } from "../generated/abis.ts";
import { trackIdFromIsrc } from "../isrc.ts";
import { compareTips } from "../tip.ts";
import * as indexer from "./index.ts";

let stack: DevStack;
const dir = mkdtempSync(path.join(tmpdir(), "harmonie-indexer-"));
const account = (name: string) => stack.accounts.find((a) => a.name.startsWith(name))!.address;
const key = (name: string) => stack.accounts.find((a) => a.name.startsWith(name))!.privateKey;
async function indexed(blockNumber: bigint) {
  while ((await indexer.getIndexerStatus(stack.indexerUrl)).blockNumber < blockNumber)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

before(async () => {
  stack = await startDevStack({ dataDir: path.join(dir, "data"), deploymentsDir: dir });
});

after(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("indexer queries", () => {
  it("ranks artists by CORE tips received; the count has the stablecoin tips too", async () => {
    const top = await indexer.getTopArtists(stack.indexerUrl, { first: 3 });
    assert.deepEqual(
      top.map((a) => [a.handle, a.tipVolume, a.tipCount]),
      [
        ["mbalax", 4_700_000_000_000_000_000n, 4n],
        ["nova", 3_500_000_000_000_000_000n, 2n],
        ["kora_sounds", 800_000_000_000_000_000n, 2n],
      ],
    );
  });

  it("builds an artist page: profile, totals, tracks, sessions, newest tips first", async () => {
    const page = await indexer.getArtistPage(stack.indexerUrl, { artist: account("nova") });
    assert.ok(page);
    assert.equal(page.handle, "nova");
    assert.equal(page.followerCount, 3);
    assert.deepEqual(page.tracks.map((t) => t.isrc).sort(), ["QZDA62400001", "QZDA62400002"]);
    assert.deepEqual(
      page.latestTips.map((t) => t.message),
      ["Aurora gave me chills ✨", "Night Drive on repeat all week!"],
    );
    assert.equal(
      await indexer.getArtistPage(stack.indexerUrl, { artist: "0x000000000000000000000000000000000000dEaD" }),
      undefined,
    );
  });

  it("lists a live session's tips in chain order, each with its token, and polls from a block", async () => {
    const tips = await indexer.getStreamTips(stack.indexerUrl, { streamId: 1n });
    assert.deepEqual(
      tips.map((t) => [t.message, t.token.symbol, t.token.decimals]),
      [
        ["Dakar in the house!", "CORE", 18],
        ["Play Dakar Nights again 🔁", "CORE", 18],
        ["Best live of the year", "CORE", 18],
        ["From Paris, in dollars", "USDC", 6],
      ],
    );
    assert.equal(tips[3].amount, 2_500_000n);
    const after = await indexer.getStreamTips(stack.indexerUrl, { streamId: 1n, afterBlock: tips[0].blockNumber });
    assert.deepEqual(
      after.map((t) => t.message),
      tips.slice(1).map((t) => t.message),
    );
  });

  it("builds a track page by hyphenated ISRC with status, rights, offers, splits, holders and history", async () => {
    const track = await indexer.getTrackPage(stack.indexerUrl, { isrc: "QZ-DA6-24-00002" });
    assert.ok(track);
    assert.equal(track.exclusive, true);
    assert.deepEqual([track.status, track.frozen, track.flagged], ["ACTIVE", false, false]);
    assert.equal(track.registrantCode, "QZDA6");
    assert.equal(track.registrant, null);
    assert.equal(track.pendingArtist, null);
    assert.equal(track.offers.length, 2);
    assert.equal(track.offers[0].duration, 30n * 24n * 3600n);
    // Fan 2 bought the month, then renewed it: one licence issued, one renewal.
    assert.deepEqual(
      [track.offers[0].token.symbol, track.offers[0].issued, track.offers[0].renewals, track.offers[0].sold],
      ["CORE", 1, 1, 1],
    );
    assert.equal(track.offers[1].supplyCap, 100n);
    assert.equal(track.salesCount, 2n);
    assert.deepEqual(
      track.holders.map((h) => [h.account, h.offerId]),
      [[account("fan 2").toLowerCase(), 0n]],
    );
    assert.ok(track.holders[0].expiresAt! > 0n);
    assert.deepEqual(
      track.ownershipHistory.map((c) => [c.kind, c.from, c.to, c.splits?.length]),
      [["REGISTERED", null, account("nova").toLowerCase(), 1]],
    );
    // Night Drive sells in CORE and, for a month, in USDC: revenue per token.
    const nightDrive = await indexer.getTrackPage(stack.indexerUrl, { isrc: "QZDA62400001" });
    assert.deepEqual(
      nightDrive?.offers.map((o) => [o.token.symbol, o.price, o.perBuyerLimit]),
      [
        ["CORE", 5_000_000_000_000_000_000n, 0n],
        ["USDC", 4_990_000n, 0n],
      ],
    );
    assert.deepEqual(
      nightDrive?.revenues.map((r) => [r.token.symbol, r.volume, r.salesCount]),
      [
        ["CORE", 5_000_000_000_000_000_000n, 1n],
        ["USDC", 4_990_000n, 1n],
      ],
    );
    assert.equal(nightDrive?.revenue, 5_000_000_000_000_000_000n); // CORE only
    const split = await indexer.getTrackPage(stack.indexerUrl, { isrc: "QZDA62400003" });
    assert.deepEqual(
      split?.splits.map((s) => s.bps),
      [8_000, 2_000],
    );
  });

  it("answers what an account holds of a track in one query: perpetual, timed expiry, rights", async () => {
    const [nightDrive, aurora] = [trackIdFromIsrc("QZDA62400001"), trackIdFromIsrc("QZDA62400002")];
    const now = BigInt(Math.floor(Date.now() / 1000));
    const renewed = await indexer.getTrackAccess(stack.indexerUrl, { account: account("fan 2"), trackId: aurora });
    assert.ok(renewed);
    assert.equal(renewed.perpetual, 0n);
    // Two months from the first purchase (renewed before expiry): more than a month from now.
    assert.ok(renewed.expiresAt! > now + 30n * 86_400n, `expires at ${renewed.expiresAt}`);
    assert.deepEqual([renewed.exclusive, renewed.rightsHolder, renewed.status], [true, false, "ACTIVE"]);
    assert.deepEqual(
      renewed.licenses.map((l) => [l.offerId, l.balance, l.purchaseCount, l.renewalCount]),
      [[0n, 1n, 1, 1]],
    );
    const owner = await indexer.getTrackAccess(stack.indexerUrl, { account: account("fan 1"), trackId: nightDrive });
    assert.deepEqual([owner?.perpetual, owner?.expiresAt], [1n, null]);
    // The artist holds no licence and still has access.
    const artist = await indexer.getTrackAccess(stack.indexerUrl, { account: account("nova"), trackId: aurora });
    assert.deepEqual(
      [artist?.perpetual, artist?.expiresAt, artist?.rightsHolder, artist?.licenses],
      [0n, null, true, []],
    );
    assert.equal(await indexer.getTrackAccess(stack.indexerUrl, { account: account("nova"), trackId: 1n }), undefined);

    // Fan 3's month of Night Drive, bought in USDC, is in its library while it lasts.
    const library = await indexer.getLibrary(stack.indexerUrl, { account: account("fan 3"), now });
    assert.deepEqual(
      library.map((e) => [e.isrc, e.perpetual, e.expiresAt! > now]),
      [["QZDA62400001", 0n, true]],
    );
    const later = await indexer.getLibrary(stack.indexerUrl, { account: account("fan 3"), now: now + 90n * 86_400n });
    assert.deepEqual(later, []);
    assert.equal((await indexer.getLibrary(stack.indexerUrl, { account: account("fan 3") })).length, 1);
  });

  it("reports earnings per token: tips and licences (sales net of the 5% fee)", async () => {
    const nova = await indexer.getAccountEarnings(stack.indexerUrl, { account: account("nova") });
    assert.deepEqual(
      nova.tips.map((e) => [e.token.symbol, e.tipVolume]),
      [["CORE", 3_500_000_000_000_000_000n]],
    );
    // Night Drive (5 CORE) and Aurora's month twice (0.5 CORE each); the USDC month (4.99).
    assert.deepEqual(
      nova.licenses.map((e) => [e.token.symbol, e.sales, e.royalties, e.referrals, e.earned, e.credit]),
      [
        ["CORE", 5_700_000_000_000_000_000n, 0n, 0n, 5_700_000_000_000_000_000n, 5_700_000_000_000_000_000n],
        ["USDC", 4_740_500n, 0n, 0n, 4_740_500n, 4_740_500n],
      ],
    );
    const kora = await indexer.getAccountEarnings(stack.indexerUrl, { account: account("kora") });
    assert.deepEqual(
      kora.tips.map((e) => [e.token.symbol, e.tipVolume]),
      [
        ["CORE", 800_000_000_000_000_000n],
        ["USDC", 5_000_000n],
      ],
    );
    assert.deepEqual(kora.licenses, []);
    assert.deepEqual(
      await indexer.getAccountEarnings(stack.indexerUrl, { account: "0x000000000000000000000000000000000000dEaD" }),
      { tips: [], licenses: [] },
    );
  });

  it("lists a registrant code's tracks; unclaimed codes have no registrant", async () => {
    const code = await indexer.getRegistrantCode(stack.indexerUrl, { code: "qz-da6" });
    assert.ok(code);
    assert.deepEqual([code.code, code.registrant, code.updatedAt, code.trackCount], ["QZDA6", null, null, 4]);
    assert.deepEqual(
      code.tracks.map((t) => t.isrc),
      ["QZDA62400004", "QZDA62400003", "QZDA62400002", "QZDA62400001"],
    );
    assert.equal(await indexer.getRegistrantCode(stack.indexerUrl, { code: "USRC1" }), undefined);
  });

  it("lists proposals with tallies, discover content, daily earnings and the latest tips", async () => {
    const [proposal] = await indexer.getProposals(stack.indexerUrl);
    assert.match(proposal.description, /^Lower the tipping fee to 2%/);
    assert.equal(proposal.status, "PENDING");
    assert.equal(proposal.forVotes, 100_000_000_000_000_000_000n);
    // deploy/parameters/local.json: 4% of the supply, at least 1 vote.
    assert.deepEqual(
      [proposal.quorumNumerator, proposal.quorumFloor, proposal.canceledBy, proposal.canceledAt],
      [4n, 1_000_000_000_000_000_000n, null, null],
    );
    const discover = await indexer.getDiscover(stack.indexerUrl);
    assert.equal(discover.tracks.length, 4);
    assert.deepEqual(
      discover.liveStreams.map((s) => s.title),
      ["Friday night live from Dakar"],
    );
    const earnings = await indexer.getArtistDailyEarnings(stack.indexerUrl, { artist: account("mbalax") });
    assert.equal(
      earnings.reduce((sum, day) => sum + day.tipVolume, 0n),
      4_700_000_000_000_000_000n,
    );
    const latest = await indexer.getLatestTips(stack.indexerUrl, { first: 2 });
    assert.equal(latest.length, 2);
    assert.ok(latest[0].timestamp >= latest[1].timestamp);
    const status = await indexer.getIndexerStatus(stack.indexerUrl);
    assert.equal(status.hasIndexingErrors, false);
  });

  it("ranks an artist's supporters per token, by CORE or by another token, with handles", async () => {
    const mbalax = account("mbalax");
    const fan = (name: string) => account(name).toLowerCase(); // the subgraph's ids are lowercase
    const { supporters, tipsCounted, complete } = await indexer.getTopSupporters(stack.indexerUrl, { artist: mbalax });
    assert.deepEqual([tipsCounted, complete], [4, true]);
    // By CORE: fan 3 (3), fan 1 (1.2, the one with a handle), fan 2 (0.5 and 2.5 USDC, two tips).
    assert.deepEqual(
      supporters.map((s) => [s.fan, s.handle, s.tipCount, s.totals.map((t) => [t.token.symbol, t.amount])]),
      [
        [fan("fan 3"), null, 1, [["CORE", 3_000_000_000_000_000_000n]]],
        [fan("fan 1"), "first_fan", 1, [["CORE", 1_200_000_000_000_000_000n]]],
        [
          fan("fan 2"),
          null,
          2,
          [
            ["CORE", 500_000_000_000_000_000n],
            ["USDC", 2_500_000n],
          ],
        ],
      ],
    );
    assert.ok(supporters.every((s) => s.lastTipAt > 0n));
    const usdc = supporters[2]!.totals[1]!.token.address;
    const byUsdc = await indexer.getTopSupporters(stack.indexerUrl, { artist: mbalax, rankBy: usdc, first: 1 });
    assert.deepEqual(
      byUsdc.supporters.map((s) => s.fan),
      [fan("fan 2")],
    );
    // Only the latest tips when asked to scan fewer: the ranking says it is partial.
    const partial = await indexer.getTopSupporters(stack.indexerUrl, { artist: mbalax, scan: 2 });
    assert.deepEqual([partial.tipsCounted, partial.complete], [2, false]);
    assert.deepEqual(
      (await indexer.getTopSupporters(stack.indexerUrl, { artist: account("deployer") })).supporters,
      [],
    );
  });

  it("lists a proposal's votes heaviest first, with reasons and handles", async () => {
    const [proposal] = await indexer.getProposals(stack.indexerUrl);
    const votes = await indexer.getProposalVotes(stack.indexerUrl, { proposalId: proposal.proposalId });
    assert.deepEqual(
      votes.map((v) => [v.voter, v.voterHandle, v.support, v.weight, v.reason]),
      [[account("fan 2").toLowerCase(), null, "FOR", 100_000_000_000_000_000_000n, "More for artists"]],
    );
    assert.match(votes[0]!.transactionHash, /^0x[0-9a-f]{64}$/);
    assert.deepEqual(await indexer.getProposalVotes(stack.indexerUrl, { proposalId: 424242n }), []);
  });

  it("reports protocol totals and the current fees", async () => {
    const stats = await indexer.getProtocolStats(stack.indexerUrl);
    const tips = await indexer.getLatestTips(stack.indexerUrl, { first: 1000 });
    assert.equal(stats.tipCount, BigInt(tips.length));
    // The protocol's tip volume is CORE's; stablecoin tips are counted per token.
    assert.equal(
      stats.tipVolume,
      tips.filter((tip) => tip.token.symbol === "CORE").reduce((sum, tip) => sum + tip.amount, 0n),
    );
    assert.equal(tips.filter((tip) => tip.token.symbol === "USDC").length, 2);
    // The deployment's defaults (deploy/Harmonie.ts), announced by the constructors' FeeUpdated(0, bps).
    assert.equal(stats.tipFeeBps, 250);
    assert.equal(stats.licenseFeeBps, 500);
    assert.equal(stats.trackCount, 4);
    assert.equal(stats.proposalCount, 1);
    assert.equal(stats.stakedSupply, 300_000_000_000_000_000_000n);
    // Governance v2, as the local deployment sets it: no guardian, a 1-vote quorum floor.
    assert.deepEqual(
      [stats.quorumNumerator, stats.quorumFloor, stats.guardian],
      [4n, 1_000_000_000_000_000_000n, null],
    );
    assert.deepEqual(stats.paused, { registry: false, profiles: false, live: false });
  });

  it("reports the guardian's record: none on the local deployment, only the constructor's change", async () => {
    const activity = await indexer.getGuardianActivity(stack.indexerUrl);
    assert.equal(activity.guardian, null);
    assert.ok(activity.guardianSetAt! > 0n);
    assert.deepEqual(
      activity.changes.map((c) => [c.previousGuardian, c.guardian]),
      [[null, null]],
    );
    assert.deepEqual(activity.actions, []);
  });

  it("lists pauses newest first with who paused them: the timelock pauses and unpauses profiles", async () => {
    const timelock = stack.deployment.contracts.TimelockController.address;
    const profiles = stack.deployment.contracts.ArtistProfiles.address;
    await rpc(stack.rpcUrl, "hardhat_impersonateAccount", [timelock]);
    await rpc(stack.rpcUrl, "hardhat_setBalance", [timelock, "0x56bc75e2d63100000"]);
    const governance = createWalletClient({ chain: harmonieLocal, transport: http(stack.rpcUrl), account: timelock });
    const call = async (functionName: "pause" | "unpause") => {
      const hash = await writeContract(governance, { address: profiles, abi: artistProfilesAbi, functionName });
      const { blockNumber } = await waitForTransactionReceipt(governance, { hash, pollingInterval: 20 });
      while ((await indexer.getIndexerStatus(stack.indexerUrl)).blockNumber < blockNumber) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return hash;
    };
    const paused = await call("pause");
    assert.deepEqual((await indexer.getProtocolStats(stack.indexerUrl)).paused, {
      registry: false,
      profiles: true,
      live: false,
    });
    const unpaused = await call("unpause");
    assert.equal((await indexer.getProtocolStats(stack.indexerUrl)).paused.profiles, false);
    const history = await indexer.getPauseHistory(stack.indexerUrl, { contract: "PROFILES" });
    const by = timelock.toLowerCase();
    assert.deepEqual(
      history.map((p) => [p.contract, p.paused, p.by, p.authority, p.transactionHash]),
      [
        ["PROFILES", false, by, "GOVERNANCE", unpaused],
        ["PROFILES", true, by, "GOVERNANCE", paused],
      ],
    );
    assert.deepEqual(await indexer.getPauseHistory(stack.indexerUrl, { contract: "REGISTRY" }), []);
    assert.deepEqual((await indexer.getGuardianActivity(stack.indexerUrl)).actions, []);
  });

  it("turns GraphQL and network failures into IndexerError", async () => {
    await assert.rejects(
      indexer.queryIndexer(stack.indexerUrl, "{ nope }"),
      (error: unknown) => error instanceof IndexerError && error.errors.length === 1,
    );
    await assert.rejects(
      indexer.queryIndexer("http://127.0.0.1:9/subgraphs/name/x", "{ _meta { deployment } }"),
      IndexerError,
    );
  });
});

describe("lookups the dApp used to write by hand", () => {
  it("finds one live session, one proposal, follows and accounts by handle", async () => {
    const stream = await indexer.getStream(stack.indexerUrl, { streamId: 1n });
    assert.ok(stream);
    assert.deepEqual(
      [stream.title, stream.isLive, stream.artist, stream.artistHandle, stream.closedAt, stream.gatingTrackId],
      ["Friday night live from Dakar", true, account("mbalax").toLowerCase(), "mbalax", null, null],
    );
    // Three CORE tips and one in USDC; the total is CORE's.
    assert.deepEqual([stream.tipCount, stream.tipTotal], [4, 4_700_000_000_000_000_000n]);
    assert.equal(await indexer.getStream(stack.indexerUrl, { streamId: 999n }), undefined);

    const [listed] = await indexer.getProposals(stack.indexerUrl, { first: 1 });
    assert.deepEqual(await indexer.getProposal(stack.indexerUrl, { proposalId: listed.proposalId }), listed);
    assert.equal(await indexer.getProposal(stack.indexerUrl, { proposalId: listed.proposalId + 1n }), undefined);

    // Fan 1 follows nova and kora; fan 2 only nova.
    const follows = (fan: string, artist: string) =>
      indexer.isFollowing(stack.indexerUrl, { fan: account(fan), artist: account(artist) });
    assert.deepEqual(
      await Promise.all([follows("fan 1", "nova"), follows("fan 1", "kora"), follows("fan 2", "kora")]),
      [true, true, false],
    );
    assert.equal(await follows("nova", "fan 1"), false); // the pair is ordered

    const found = await indexer.getAccountsByHandles(stack.indexerUrl, { handles: ["nova", "kora_sounds", "n0va"] });
    assert.deepEqual(found.map((a) => [a.handle, a.address]).sort(), [
      ["kora_sounds", account("kora").toLowerCase()],
      ["nova", account("nova").toLowerCase()],
    ]);
    assert.deepEqual(await indexer.getAccountsByHandles(stack.indexerUrl, { handles: [] }), []);
    assert.deepEqual(await indexer.getOfferedTracks(stack.indexerUrl, { account: account("fan 1") }), []);
  });

  it("pages a fan's licences by id and lists the tips a fan sent", async () => {
    const fan2 = await indexer.getLicenses(stack.indexerUrl, { holder: account("fan 2") });
    assert.deepEqual(
      fan2.items.map((l) => [l.isrc, l.offerId, l.balance, l.purchaseCount, l.renewalCount]),
      [["QZDA62400002", 0n, 1n, 1, 1]],
    );
    assert.equal(fan2.hasNextPage, false);
    assert.equal(fan2.cursor, fan2.items[0].id);
    const after = await indexer.getLicenses(stack.indexerUrl, { holder: account("fan 2"), after: fan2.cursor });
    assert.deepEqual(after, { items: [], hasNextPage: false, cursor: null });

    const all = await indexer.getLatestTips(stack.indexerUrl, { first: 999 });
    const fromFan1 = all.filter((t) => t.from === account("fan 1").toLowerCase());
    assert.ok(fromFan1.length >= 2);
    const first = await indexer.getSentTips(stack.indexerUrl, { fan: account("fan 1"), first: 1 });
    assert.deepEqual([first.items, first.hasNextPage], [fromFan1.slice(0, 1), true]);
    const rest = await indexer.getSentTips(stack.indexerUrl, { fan: account("fan 1"), after: first.cursor });
    assert.deepEqual([rest.items, rest.hasNextPage], [fromFan1.slice(1), false]);
  });

  it("pages tips by position: no duplicate or gap when a page ends inside a block", async () => {
    // Seven tips mined in one block, then two more blocks: pages of 3 cut the block twice.
    const fans = ["fan 1", "fan 2", "fan 3"].map((name) => privateKeyToAccount(key(name)));
    const wallets = fans.map((fan) =>
      createWalletClient({ chain: harmonieLocal, transport: http(stack.rpcUrl), account: fan }),
    );
    const nonces = await Promise.all(
      fans.map((fan) => getTransactionCount(wallets[0], { address: fan.address, blockTag: "pending" })),
    );
    const send = (i: number) =>
      writeContract(wallets[i % 3], {
        address: stack.deployment.contracts.HarmonieTipping.address,
        abi: harmonieTippingAbi,
        functionName: "tip",
        args: [account("kora"), 4242n, `page tip ${i}`],
        value: parseEther("0.01"),
        nonce: nonces[i % 3]++,
        gas: 200_000n,
      });
    await rpc(stack.rpcUrl, "evm_setAutomine", [false]);
    const hashes: `0x${string}`[] = [];
    try {
      for (let i = 0; i < 7; i++) hashes.push(await send(i));
      await rpc(stack.rpcUrl, "evm_mine", []);
    } finally {
      await rpc(stack.rpcUrl, "evm_setAutomine", [true]);
    }
    for (let i = 7; i < 9; i++) hashes.push(await send(i));
    const receipts = await Promise.all(
      hashes.map((hash) => waitForTransactionReceipt(wallets[0], { hash, pollingInterval: 20 })),
    );
    assert.equal(new Set(receipts.slice(0, 7).map((r) => r.blockNumber)).size, 1);
    await indexed(receipts.at(-1)!.blockNumber);

    // The chain's order, from the receipts.
    const chainOrder = receipts
      .map((r, i) => ({ message: `page tip ${i}`, block: r.blockNumber, log: r.logs.at(-1)!.logIndex }))
      .sort((a, b) => (a.block === b.block ? a.log - b.log : Number(a.block - b.block)))
      .map((t) => t.message);
    const where = { streamId: "4242" };
    for (const order of ["oldest", "newest"] as const) {
      const messages: string[] = [];
      const more: boolean[] = [];
      let page = await indexer.getTips(stack.indexerUrl, { where, first: 3, order });
      for (;;) {
        messages.push(...page.items.map((t) => t.message));
        more.push(page.hasNextPage);
        if (!page.hasNextPage) break;
        page = await indexer.getTips(stack.indexerUrl, { where, first: 3, order, after: page.cursor });
      }
      assert.deepEqual(messages, order === "oldest" ? chainOrder : [...chainOrder].reverse(), order);
      assert.deepEqual(more, [true, true, false]);
    }
    const whole = await indexer.getTips(stack.indexerUrl, { where, first: 9, order: "oldest" });
    assert.deepEqual([whole.items.length, whole.hasNextPage], [9, false]);
    const exact = await indexer.getTips(stack.indexerUrl, { where, first: 8, order: "oldest" });
    assert.deepEqual([exact.items.length, exact.hasNextPage], [8, true]);
    // Ids are the subgraph's: `<transaction hash>-<log index in the block>`.
    const [tip] = whole.items;
    assert.equal(tip.id, `${tip.transactionHash}-${tip.logIndex}`);
    assert.equal(tip.logIndex, receipts.find((r) => r.transactionHash === tip.transactionHash)!.logs.at(-1)!.logIndex);
    assert.deepEqual(whole.items, [...whole.items].sort(compareTips));
  });
});
