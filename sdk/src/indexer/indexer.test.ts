/**
 * The typed subgraph queries against the whole local stack (chain, seeded demo data, the subgraph on
 * the graph-node emulator): the same queries run unchanged against Core's graph-node.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type DevStack, startDevStack } from "../../../scripts/dev-stack.ts";
import { IndexerError } from "../errors.ts";
import * as indexer from "./index.ts";

let stack: DevStack;
const dir = mkdtempSync(path.join(tmpdir(), "harmonie-indexer-"));
const account = (name: string) => stack.accounts.find((a) => a.name.startsWith(name))!.address;

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

  it("builds a track page by hyphenated ISRC with offers, splits and holders", async () => {
    const track = await indexer.getTrackPage(stack.indexerUrl, { isrc: "QZ-DA6-24-00002" });
    assert.ok(track);
    assert.equal(track.exclusive, true);
    assert.equal(track.offers.length, 2);
    assert.equal(track.offers[0].duration, 30n * 24n * 3600n);
    assert.deepEqual(
      track.holders.map((h) => h.account),
      [account("fan 2").toLowerCase()],
    );
    assert.ok(track.holders[0].expiresAt! > 0n);
    const split = await indexer.getTrackPage(stack.indexerUrl, { isrc: "QZDA62400003" });
    assert.deepEqual(
      split?.splits.map((s) => s.bps),
      [8_000, 2_000],
    );
  });

  it("lists proposals with tallies, discover content, daily earnings and the latest tips", async () => {
    const [proposal] = await indexer.getProposals(stack.indexerUrl);
    assert.match(proposal.description, /^Lower the tipping fee to 2%/);
    assert.equal(proposal.status, "PENDING");
    assert.equal(proposal.forVotes, 100_000_000_000_000_000_000n);
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
