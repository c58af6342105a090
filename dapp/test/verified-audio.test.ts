/**
 * The verifying stream behind progressive playback (src/player/verified-audio.ts), on real UnixFS
 * DAGs built with the SDK's importer (kubo's layout: 256 KiB raw leaves): bytes come out only block
 * by block after each block's hash matched its CID, and a tampered block stops the stream before
 * any of its bytes.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { decode } from "@ipld/dag-pb";
import { CID } from "multiformats/cid";
import { addDirectory, ContentVerificationError, NotFoundError } from "@harmonie/sdk/storage";
import { describeAudioError, openVerifiedFile } from "../src/player/verified-audio.ts";

const LEAF = 262_144;
type WritableStore = Parameters<typeof addDirectory>[0];

/** A 1 MiB + 1000-byte "audio" file (five leaves) in a track-package-like directory. */
async function trackPackage() {
  // Random bytes: no two leaves alike, so each CID names one leaf.
  const audio = new Uint8Array(randomBytes(4 * LEAF + 1000));
  const blocks = new Map<string, Uint8Array>();
  const store = {
    // The importer's own CID type (its multiformats copy), not this file's.
    put: (async (block, bytes) => {
      if (!(bytes instanceof Uint8Array)) throw new Error("the importer writes whole blocks");
      blocks.set(block.toString(), bytes);
      return block;
    }) as WritableStore["put"],
    get: (block: CID) => blocks.get(block.toString())!,
  };
  const { cid } = await addDirectory(store, [
    { path: "metadata.json", content: new TextEncoder().encode("{}") },
    { path: "audio.wav", content: audio },
  ]);
  const served: string[] = [];
  const tampered = new Set<string>();
  /** An untrusted gateway: serves the store's blocks, with one byte flipped in `tampered` ones. */
  const gateway = async (block: CID) => {
    served.push(block.toString());
    const bytes = store.get(block).slice();
    if (tampered.has(block.toString())) bytes[bytes.length >> 1]! ^= 0xff;
    return bytes;
  };
  return { audio, store, path: `${cid}/audio.wav`, gateway, served, tampered };
}

async function read(source: AsyncIterable<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of source) chunks.push(chunk);
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
  return { bytes: Buffer.concat(chunks), error: undefined };
}

/** The file's raw leaves in order (the root's links), from the store itself. */
async function leaves(pkg: Awaited<ReturnType<typeof trackPackage>>) {
  const dir = decode(pkg.store.get(CID.parse(pkg.path.split("/")[0]!)));
  const file = dir.Links.find((link) => link.Name === "audio.wav")!.Hash;
  return decode(pkg.store.get(file)).Links.map((link) => link.Hash.toString());
}

test("streams the whole file, leaf after leaf, equal to what was added", async () => {
  const pkg = await trackPackage();
  const file = await openVerifiedFile(pkg.gateway, pkg.path);
  assert.equal(file.size, pkg.audio.length);
  const chunks: number[] = [];
  for await (const chunk of file.read(0)) chunks.push(chunk.length);
  assert.deepEqual(chunks, [LEAF, LEAF, LEAF, LEAF, 1000], "one chunk per verified leaf");
  const { bytes, error } = await read(file.read(0));
  assert.equal(error, undefined);
  assert.deepEqual(new Uint8Array(bytes), pkg.audio);
});

test("a seek reads from the offset, fetching only the leaves from there on", async () => {
  const pkg = await trackPackage();
  const file = await openVerifiedFile(pkg.gateway, pkg.path);
  const [first, second] = await leaves(pkg);
  pkg.served.length = 0;
  const offset = 3 * LEAF + 123;
  const { bytes } = await read(file.read(offset));
  assert.deepEqual(new Uint8Array(bytes), pkg.audio.subarray(offset));
  assert.ok(!pkg.served.includes(first!) && !pkg.served.includes(second!), "leaves before the offset stay unfetched");
});

test("a tampered leaf stops the stream before any of its bytes", async () => {
  const pkg = await trackPackage();
  const file = await openVerifiedFile(pkg.gateway, pkg.path);
  const third = (await leaves(pkg))[2]!;
  pkg.tampered.add(third);
  const { bytes, error } = await read(file.read(0));
  assert.ok(error instanceof ContentVerificationError, `got ${error}`);
  assert.equal((error as ContentVerificationError).cid, third);
  // Leaves are fetched a few at once: some before the bad one may have come out, nothing from it on.
  assert.ok(bytes.length <= 2 * LEAF, `${bytes.length} bytes came out`);
  assert.deepEqual(new Uint8Array(bytes), pkg.audio.subarray(0, bytes.length));
  assert.match(describeAudioError(error), /^Playback stopped: a piece of this track .* did not match/);
});

test("a tampered directory or file root is refused before any audio", async () => {
  const pkg = await trackPackage();
  pkg.tampered.add(pkg.path.split("/")[0]!);
  await assert.rejects(openVerifiedFile(pkg.gateway, pkg.path), ContentVerificationError);
});

test("a gateway without the blocks reads as missing audio, in plain words", async () => {
  const pkg = await trackPackage();
  const empty = async (block: CID): Promise<Uint8Array> => {
    throw new NotFoundError(`Block ${block}`, "The gateway does not have it.");
  };
  const error = await openVerifiedFile(empty, pkg.path).catch((e: unknown) => e);
  assert.equal(describeAudioError(error), "Playback stopped: the IPFS gateway does not have this track's audio.");
});
