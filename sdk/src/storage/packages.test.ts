import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryBlockstore } from "blockstore-core/memory";
import {
  base32Cid,
  deterministicBytes,
  referenceDirectory,
  referenceFile,
} from "../../../testkit/src/reference-unixfs.ts";
import { createEmbeddedBackend } from "./embedded.ts";
import { decryptTrackAudio, generateTrackKey } from "./encryption.ts";
import { InvalidMetadataError } from "../errors.ts";
import {
  addProfilePackage,
  addTrackPackage,
  buildTrackPackage,
  readProfile,
  readTrackMetadata,
  type TrackFields,
} from "./packages.ts";
import { addFile } from "./unixfs.ts";
import { collect } from "./unixfs-read.ts";

const fields: TrackFields = {
  title: "Night Drive",
  artist: "Nina K",
  isrc: "USRC17607839",
  durationSeconds: 214.5,
  genre: "Synthwave",
  licence: { summary: "Personal listening; no redistribution.", spdx: "LicenseRef-HarmoniePersonal" },
};
const audio = deterministicBytes(600_000, 11);
const cover = deterministicBytes(20_000, 12);

describe("track packages", () => {
  it("adds metadata.json + audio + cover + lyrics as one kubo-compatible directory", async () => {
    const storage = createEmbeddedBackend({ blockstore: new MemoryBlockstore() });
    const track = await addTrackPackage(storage, {
      metadata: fields,
      audio: { content: new Blob([audio], { type: "audio/flac" }) },
      cover: { content: cover, mimeType: "image/jpeg" },
      lyrics: { text: "[00:01.00] la la", format: "lrc" },
    });
    assert.deepEqual(track.metadata.files, {
      audio: { path: "audio.flac", mimeType: "audio/flac" },
      cover: { path: "cover.jpg", mimeType: "image/jpeg" },
      lyrics: { path: "lyrics.lrc", mimeType: "application/lrc" },
    });
    assert.equal(track.files.audio.toString(), (await addFile(new MemoryBlockstore(), audio)).cid.toString());

    // Directory CID re-derived independently from the four files' bytes.
    const metadataBytes = await collect(storage.cat(`${track.cid}/metadata.json`));
    const children = [
      ["metadata.json", metadataBytes],
      ["audio.flac", audio],
      ["cover.jpg", cover],
      ["lyrics.lrc", new TextEncoder().encode("[00:01.00] la la")],
    ].map(([name, bytes]) => ({ name: name as string, ...referenceFile(bytes as Uint8Array, { cidVersion: 1 }) }));
    assert.equal(track.cid.toString(), base32Cid(referenceDirectory(children, { cidVersion: 1 }).cid));

    assert.deepEqual(await readTrackMetadata(storage, track.cid), track.metadata);
    assert.deepEqual(await collect(storage.cat(`${track.cid}/audio.flac`)), audio);
  });

  it("is deterministic: same input, same CID", async () => {
    const build = async (): Promise<string> =>
      (
        await addTrackPackage(createEmbeddedBackend({ blockstore: new MemoryBlockstore() }), {
          metadata: fields,
          audio: { content: audio, mimeType: "audio/mpeg" },
          cover: { content: cover, mimeType: "image/png" },
        })
      ).cid.toString();
    assert.equal(await build(), await build());
  });

  it("exclusive tracks store only ciphertext, decryptable with the key", async () => {
    const storage = createEmbeddedBackend({ blockstore: new MemoryBlockstore() });
    const key = await generateTrackKey();
    const track = await addTrackPackage(storage, {
      metadata: fields,
      audio: { content: audio, mimeType: "audio/mpeg" },
      cover: { content: cover, mimeType: "image/webp" },
      encryption: { key, context: "1116:0xTrackNFT:42" },
    });
    assert.equal(track.metadata.exclusive, true);
    assert.deepEqual(track.metadata.files.audio, {
      path: "audio.mp3.enc",
      mimeType: "audio/mpeg",
      encryption: { algorithm: "AES-256-GCM", format: "HCEA-2", context: "1116:0xTrackNFT:42" },
    });
    const stored = await collect(storage.cat(`${track.cid}/audio.mp3.enc`));
    assert.ok(!Buffer.from(stored).includes(Buffer.from(audio.subarray(0, 64))), "plaintext must not be stored");
    assert.deepEqual(await decryptTrackAudio(stored, key, { context: "1116:0xTrackNFT:42" }), audio);
  });

  it("rejects invalid metadata before storing anything, naming each field", async () => {
    const blockstore = new MemoryBlockstore();
    const storage = createEmbeddedBackend({ blockstore });
    const err = await addTrackPackage(storage, {
      metadata: {
        ...fields,
        isrc: "US-RC1-76-07839",
        durationSeconds: 0,
        title: "",
        extra: 1,
      } as unknown as TrackFields,
      audio: { content: audio, mimeType: "audio/mpeg" },
      cover: { content: cover, mimeType: "image/png" },
    }).catch((e: unknown) => e);
    assert.ok(err instanceof InvalidMetadataError);
    assert.equal(err.name, "InvalidMetadataError");
    assert.deepEqual(err.issues.map((i) => i.split(":")[0]).sort(), ["/durationSeconds", "/extra", "/isrc", "/title"]);
    assert.match(err.message, /USRC17607839/);
    for await (const _ of blockstore.getAll()) assert.fail("nothing may be stored");
    await assert.rejects(
      buildTrackPackage({
        metadata: fields,
        audio: { content: audio, mimeType: "video/mp4" },
        cover: { content: cover, mimeType: "image/png" },
      }),
      /MIME type "video\/mp4"/,
    );
  });
});

describe("profile packages", () => {
  it("adds profile.json + avatar and reads it back", async () => {
    const storage = createEmbeddedBackend({ blockstore: new MemoryBlockstore() });
    const added = await addProfilePackage(storage, {
      profile: {
        displayName: "Nina K",
        bio: "Synths at night.",
        links: [{ label: "site", url: "https://nina.example" }],
      },
      avatar: { content: cover, mimeType: "image/png" },
    });
    assert.equal(added.profile.avatar?.path, "avatar.png");
    assert.ok(added.files.avatar);
    assert.deepEqual(await readProfile(storage, added.cid), added.profile);
    await assert.rejects(
      addProfilePackage(storage, {
        profile: { displayName: "x", links: [{ label: "l", url: "javascript:alert(1)" }] },
      }),
      InvalidMetadataError,
    );
  });
});
