import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MemoryBlockstore } from "blockstore-core/memory";
import { deterministicBytes } from "../../../testkit/src/reference-unixfs.ts";
import type { StorageBackend } from "./backend.ts";
import { ContentVerificationError, NotFoundError } from "../errors.ts";
import { createKuboBackend } from "./kubo.ts";
import { addTrackPackage } from "./packages.ts";
import { addDirectory, addFile, type AddProgress } from "./unixfs.ts";
import { collect } from "./unixfs-read.ts";
import { startKuboRpcStandIn, type KuboRpcStandIn } from "../../../testkit/src/stand-ins/kubo-rpc.ts";

const CHUNK = 262_144;

describe("Kubo RPC backend (against the Kubo RPC stand-in)", () => {
  let kubo: KuboRpcStandIn;
  let storage: StorageBackend;
  before(async () => {
    kubo = await startKuboRpcStandIn();
    storage = createKuboBackend({ url: kubo.url });
  });
  after(async () => {
    await kubo.close();
  });

  it("adds with kubo-spelled CID options and gets the same CIDs as the embedded path", async () => {
    const data = deterministicBytes(CHUNK * 2 + 3, 31);
    const progress: AddProgress[] = [];
    const { cid, files } = await storage.add(data, { onProgress: (p) => progress.push(p) });
    assert.equal(cid.toString(), (await addFile(new MemoryBlockstore(), data)).cid.toString());
    assert.equal(files[0]?.size, data.length);
    assert.equal(progress.at(-1)?.bytes, data.length);

    const add = kubo.requests.findLast((r) => r.command === "add");
    assert.equal(add?.query.get("cid-version"), "1");
    assert.equal(add?.query.get("raw-leaves"), "true");
    assert.equal(add?.query.get("chunker"), "size-262144");
    assert.equal(add?.query.get("progress"), "true");
    assert.ok(kubo.pins.has(cid.toString()));
  });

  it("directories: wrap-with-directory gives the kubo directory CID and per-file CIDs", async () => {
    const entries = [
      { path: "metadata.json", content: new TextEncoder().encode("{}") },
      { path: "audio.mp3", content: deterministicBytes(CHUNK + 9, 32) },
    ];
    const viaKubo = await storage.add(entries);
    const local = await addDirectory(new MemoryBlockstore(), entries);
    assert.equal(viaKubo.cid.toString(), local.cid.toString());
    assert.deepEqual(
      viaKubo.files.map((f) => [f.path, f.cid.toString(), f.size]),
      local.files.map((f) => [f.path, f.cid.toString(), f.size]),
    );
  });

  it("cat reads through verified block/get; has and pin work", async () => {
    const audio = deterministicBytes(CHUNK * 3, 33);
    const track = await addTrackPackage(storage, {
      metadata: { title: "T", artist: "A", durationSeconds: 1, genre: "g", licence: { summary: "s" } },
      audio: { content: audio, mimeType: "audio/wav" },
      cover: { content: new Uint8Array([1, 2, 3]), mimeType: "image/png" },
    });
    assert.deepEqual(await collect(storage.cat(`${track.cid}/audio.wav`)), audio);
    assert.ok(kubo.requests.some((r) => r.command === "block/get"));
    assert.equal(await storage.has(track.cid), true);
    const absent = (await addFile(new MemoryBlockstore(), new Uint8Array([7]))).cid;
    assert.equal(await storage.has(absent), false);
    await storage.pin(track.files.cover);
    assert.ok(kubo.pins.has(track.files.cover.toString()));
    await assert.rejects(storage.pin(absent), NotFoundError);
    await assert.rejects(collect(storage.cat(absent)), NotFoundError);
  });

  it("{ cidVersion: 0 } asks kubo for its plain defaults (cid-version=0, no raw leaves)", async () => {
    const data = deterministicBytes(CHUNK + 5, 35);
    const { cid } = await storage.add(data, { cidVersion: 0 });
    assert.equal(cid.toString(), (await addFile(new MemoryBlockstore(), data, { cidVersion: 0 })).cid.toString());
    assert.equal(cid.version, 0);
    const add = kubo.requests.findLast((r) => r.command === "add");
    assert.equal(add?.query.get("cid-version"), "0");
    assert.equal(add?.query.get("raw-leaves"), "false");
  });

  it("nested paths: parent directories are sent before their files, as `ipfs add -r` does", async () => {
    const entries = [
      { path: "stems/vocals.wav", content: deterministicBytes(100, 36) },
      { path: "stems/drums/kick.wav", content: deterministicBytes(100, 37) },
      { path: "metadata.json", content: new TextEncoder().encode("{}") },
    ];
    const viaKubo = await storage.add(entries);
    assert.equal(viaKubo.cid.toString(), (await addDirectory(new MemoryBlockstore(), entries)).cid.toString());
  });

  it("a node returning tampered blocks is rejected", async () => {
    const { cid } = await storage.add(deterministicBytes(CHUNK + 1, 34));
    const { Links } = (await import("@ipld/dag-pb")).decode(await collect(kubo.blockstore.get(cid)));
    const leaf = (Links[0] as { Hash: typeof cid }).Hash;
    const bytes = (await collect(kubo.blockstore.get(leaf))).slice();
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await kubo.blockstore.put(leaf, bytes);
    await assert.rejects(collect(storage.cat(cid)), ContentVerificationError);
  });

  it("the stand-in ignores camelCase options as kubo does (why the backend spells them kebab-case)", async () => {
    const res = await fetch(`${kubo.url}/api/v0/add?cidVersion=1&rawLeaves=true`, {
      method: "POST",
      body: multipartOf("hello world\n"),
    });
    const line = JSON.parse((await res.text()).trim().split("\n").at(-1) as string) as { Hash: string };
    assert.equal(line.Hash, "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"); // kubo's CIDv0 default
  });
});

function multipartOf(text: string): FormData {
  const form = new FormData();
  form.append("file", new Blob([text]), "hello.txt");
  return form;
}
