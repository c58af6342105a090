/**
 * Discovery queries against the whole local stack: the chain with the demo data, the IPFS service
 * holding its track packages, and the subgraph on the graph-node emulator reading each package's
 * metadata.json through a file data source (`--ipfs`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type DevStack, startDevStack } from "../../../scripts/dev-stack.ts";
import { rpc } from "../../../scripts/local-chain.ts";
import { registerTrack, updateTrackMetadata } from "../actions/index.ts";
import { harmonieLocal } from "../chains.ts";
import { trackIdFromIsrc } from "../isrc.ts";
import { createHttpServiceBackend } from "../storage/http-service-backend.ts";
import * as indexer from "./index.ts";

let stack: DevStack;
const dir = mkdtempSync(path.join(tmpdir(), "harmonie-discovery-"));
const account = (name: string) => stack.accounts.find((a) => a.name.startsWith(name))!;

/** Mines blocks until `done` holds: a file the runner has fetched is handled with the next block. */
async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await rpc(stack.rpcUrl, "evm_mine");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function titleOf(isrc: string): Promise<string | null | undefined> {
  const { track } = await indexer.queryIndexer<{ track: { metadata: { title: string | null } | null } | null }>(
    stack.indexerUrl,
    `query($id: ID!) { track(id: $id) { metadata { title } } }`,
    { id: trackIdFromIsrc(isrc).toString() },
  );
  return track ? (track.metadata?.title ?? null) : undefined;
}

before(async () => {
  stack = await startDevStack({ dataDir: path.join(dir, "data"), deploymentsDir: dir });
  // The four demo packages' metadata.json, read from the stack's IPFS service.
  await until("the demo metadata", async () => {
    const titles = await Promise.all(["QZDA62400001", "QZDA62400002", "QZDA62400003", "QZDA62400004"].map(titleOf));
    return titles.every(Boolean) ? titles : undefined;
  });
});

after(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("query text", () => {
  it("every word a required prefix; operators, quotes and punctuation dropped", () => {
    assert.equal(indexer.fullTextQuery("Night Drive"), "Night:* & Drive:*");
    assert.equal(indexer.fullTextQuery("  sahel  "), "sahel:*");
    assert.equal(indexer.fullTextQuery("a & b | !c:* 'd'"), "a:* & b:* & c:* & d:*");
    assert.equal(indexer.fullTextQuery("Afro-folk"), "Afro:* & folk:*");
    assert.equal(indexer.fullTextQuery("日本 música"), "日本:* & música:*");
    assert.equal(indexer.fullTextQuery("  & | ! ()"), null);
    assert.equal(indexer.fullTextQuery(""), null);
  });

  it("a handle: @ and case dropped, spaces as underscores, only handle characters", () => {
    assert.equal(indexer.handleQuery("@Nova"), "nova");
    assert.equal(indexer.handleQuery("kora sounds"), "kora_sounds");
    assert.equal(indexer.handleQuery("night drive!"), null);
    assert.equal(indexer.handleQuery("@"), null);
  });

  it("a genre key: lowercase, spaces collapsed (the subgraph's genreKey)", () => {
    assert.equal(indexer.genreKeyOf(" Afro  Folk "), "afro folk");
  });
});

describe("discovery queries", () => {
  it("finds a track by its title, with what its metadata.json says", async () => {
    const { tracks } = await indexer.searchCatalogue(stack.indexerUrl, { query: "Night Drive" });
    assert.equal(tracks[0]?.isrc, "QZDA62400001");
    assert.deepEqual(
      {
        title: tracks[0]!.title,
        artistName: tracks[0]!.artistName,
        genre: tracks[0]!.genre,
        genreKey: tracks[0]!.genreKey,
        durationSeconds: tracks[0]!.durationSeconds,
        artistHandle: tracks[0]!.artistHandle,
        artist: tracks[0]!.artist.toLowerCase(),
      },
      {
        title: "Night Drive",
        artistName: "Nova",
        genre: "Synthwave",
        genreKey: "synthwave",
        durationSeconds: 240,
        artistHandle: "nova",
        artist: account("nova").address.toLowerCase(),
      },
    );
  });

  it("finds tracks by a word prefix, the artist's name and the genre (stemmed)", async () => {
    const isrcs = async (query: string) =>
      (await indexer.searchCatalogue(stack.indexerUrl, { query })).tracks.map((t) => t.isrc).sort();
    assert.deepEqual(await isrcs("sah"), ["QZDA62400003"]);
    assert.deepEqual(await isrcs("nights"), ["QZDA62400001", "QZDA62400004"]); // "night" and "nights" stem alike
    assert.deepEqual(await isrcs("Mbalax Collective"), ["QZDA62400004"]);
    assert.deepEqual(await isrcs("synthwave"), ["QZDA62400001", "QZDA62400002"]);
    assert.deepEqual(await isrcs("afro-folk"), ["QZDA62400003"]);
    assert.deepEqual(await isrcs("no such song"), []);
    assert.deepEqual(await isrcs("!&|"), []);
  });

  it("finds accounts by handle: artists first, handles starting with the query before others", async () => {
    const { accounts } = await indexer.searchCatalogue(stack.indexerUrl, { query: "@nova" });
    assert.deepEqual(
      accounts.map((a) => [a.handle, a.isArtist, a.followerCount, a.trackCount]),
      [["nova", true, 3, 2]],
    );
    const fans = await indexer.searchCatalogue(stack.indexerUrl, { query: "fan" });
    assert.deepEqual(
      fans.accounts.map((a) => [a.handle, a.isArtist]),
      [["first_fan", false]],
    );
    assert.deepEqual(
      (await indexer.searchCatalogue(stack.indexerUrl, { query: "_sounds" })).accounts.map((a) => a.handle),
      ["kora_sounds"],
    );
  });

  it("counts the genres of active tracks, most tracks first", async () => {
    const { genres, partial } = await indexer.getGenres(stack.indexerUrl);
    assert.equal(partial, false);
    assert.deepEqual(genres, [
      { key: "synthwave", name: "Synthwave", trackCount: 2 },
      { key: "afro-folk", name: "Afro-folk", trackCount: 1 },
      { key: "mbalax", name: "Mbalax", trackCount: 1 },
    ]);
  });

  it("lists one genre's tracks newest first, a page at a time", async () => {
    const first = await indexer.getGenreTracks(stack.indexerUrl, { genre: "SynthWave", first: 1 });
    assert.deepEqual(
      first.items.map((t) => t.isrc),
      ["QZDA62400002"],
    );
    assert.equal(first.hasNextPage, true);
    const next = await indexer.getGenreTracks(stack.indexerUrl, { genre: "synthwave", first: 1, after: first.cursor });
    assert.deepEqual(
      next.items.map((t) => [t.isrc, t.title]),
      [["QZDA62400001", "Night Drive"]],
    );
    assert.equal(next.hasNextPage, false);
    assert.deepEqual((await indexer.getGenreTracks(stack.indexerUrl, { genre: "polka" })).items, []);
  });

  it("ranks artists by this week's CORE tips, with their newest track; a week without tips is empty", async () => {
    const { artists } = await indexer.getTrending(stack.indexerUrl, { first: 2 });
    assert.deepEqual(
      artists.map((a) => [a.handle, a.tipVolume, a.tipCount, a.latestTrack?.title]),
      [
        ["mbalax", 4_700_000_000_000_000_000n, 4, "Dakar Nights"],
        ["nova", 3_500_000_000_000_000_000n, 2, "Aurora (exclusive)"],
      ],
    );
    assert.ok(artists[0]!.profileCid);
    const later = BigInt(Math.floor(Date.now() / 1000) + 30 * 86_400);
    assert.deepEqual((await indexer.getTrending(stack.indexerUrl, { now: later })).artists, []);
  });

  it("pages the artist directory by support, and orders it by followers", async () => {
    const first = await indexer.getArtistDirectory(stack.indexerUrl, { first: 2 });
    assert.deepEqual(
      first.items.map((a) => [a.handle, a.live]),
      [
        ["mbalax", true],
        ["nova", false],
      ],
    );
    assert.equal(first.hasNextPage, true);
    const rest = await indexer.getArtistDirectory(stack.indexerUrl, { first: 2, after: first.cursor });
    assert.deepEqual(
      rest.items.map((a) => [a.handle, a.trackCount]),
      [["kora_sounds", 1]],
    );
    assert.equal(rest.hasNextPage, false);
    const byFollowers = await indexer.getArtistDirectory(stack.indexerUrl, { orderBy: "followers", first: 1 });
    assert.deepEqual(
      byFollowers.items.map((a) => [a.handle, a.followerCount]),
      [["nova", 3]],
    );
  });

  it("a malformed metadata.json never stops indexing; a metadata update makes the new file searchable", async () => {
    const storage = createHttpServiceBackend({ url: stack.ipfsUrl });
    const broken = await storage.add([{ path: "metadata.json", content: new TextEncoder().encode('{"title": "Half') }]);
    const fixed = await storage.add([
      {
        path: "metadata.json",
        content: new TextEncoder().encode(
          JSON.stringify({ title: "Lantern Parade", artist: "Nova", genre: "Synthwave", durationSeconds: 90 }),
        ),
      },
    ]);
    const nova = createWalletClient({
      chain: harmonieLocal,
      transport: http(stack.rpcUrl),
      account: privateKeyToAccount(account("nova").privateKey),
    });
    const isrc = "QZDA62400099";
    const trackId = trackIdFromIsrc(isrc);
    await registerTrack(nova, {
      deployment: stack.deployment,
      isrc,
      metadataCid: broken.cid.toString(),
      splits: [{ recipient: nova.account.address, bps: 10_000 }],
    });
    // The file is read (and skipped) while indexing goes on: the track is listed, without metadata.
    await until("the track", async () => ((await titleOf(isrc)) === null ? true : undefined));
    for (let i = 0; i < 5; i++) {
      await rpc(stack.rpcUrl, "evm_mine");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(await titleOf(isrc), null);
    const status = await indexer.getIndexerStatus(stack.indexerUrl);
    assert.equal(status.hasIndexingErrors, false);

    await updateTrackMetadata(nova, { deployment: stack.deployment, trackId, metadataCid: fixed.cid.toString() });
    await until("the new metadata", async () => ((await titleOf(isrc)) === "Lantern Parade" ? true : undefined));
    const { tracks } = await indexer.searchCatalogue(stack.indexerUrl, { query: "lantern" });
    assert.deepEqual(
      tracks.map((t) => [t.isrc, t.title, t.durationSeconds]),
      [[isrc, "Lantern Parade", 90]],
    );
    const { genres } = await indexer.getGenres(stack.indexerUrl);
    assert.equal(genres[0]?.trackCount, 3);
  });
});
