import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as dagPb from "@ipld/dag-pb";
import { MemoryBlockstore } from "blockstore-core/memory";
import { UnixFS } from "ipfs-unixfs";
import { createEmbeddedBackend } from "./embedded.ts";
import { importer } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import {
  base32Cid,
  base58Cid,
  deterministicBytes,
  referenceDirectory,
  referenceFile,
} from "../../../testkit/src/reference-unixfs.ts";
import { NotFoundError } from "../errors.ts";
import { addDirectory, addFile, type AddProgress } from "./unixfs.ts";
import { cat, collect, list } from "./unixfs-read.ts";

const KiB = 1024;
const CHUNK = 256 * KiB;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hasIpfsCid = spawnSync("ipfs_cid", ["--version"]).error === undefined;

/** Debian's `ipfs_cid` (Rust, rust-ipfs-unixfs): CIDv0 of a file, computed independently. */
function ipfsCidV0(data: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), "ipfs-cid-"));
  try {
    writeFileSync(join(dir, "f"), data);
    const out = execFileSync("ipfs_cid", [join(dir, "f")], { stdio: ["ignore", "pipe", "ignore"] }).toString();
    return (JSON.parse(out) as { CIDv0: string }).CIDv0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The JS importer in kubo's legacy CIDv0 mode, for comparison with ipfs_cid. */
async function importerV0(data: Uint8Array): Promise<string> {
  let last: CID | undefined;
  for await (const e of importer([{ content: data }], new MemoryBlockstore(), {
    cidVersion: 0,
    rawLeaves: false,
    chunker: fixedSize({ chunkSize: CHUNK }),
    layout: balanced({ maxChildrenPerNode: 174 }),
  }))
    last = e.cid;
  return String(last);
}

describe("UnixFS add: kubo `ipfs add --cid-version=1` vectors", () => {
  it('"hello world\\n" → the published kubo CID', async () => {
    const { cid } = await addFile(new MemoryBlockstore(), text("hello world\n"));
    assert.equal(cid.toString(), "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
  });

  it("empty file → raw sha256 of nothing", async () => {
    const { cid } = await addFile(new MemoryBlockstore(), new Uint8Array(0));
    assert.equal(cid.toString(), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
    assert.equal(cid.toString(), base32Cid(referenceFile(new Uint8Array(0), { cidVersion: 1 }).cid));
  });

  const sizes: Array<[string, number]> = [
    ["exactly 256 KiB (one raw leaf)", CHUNK],
    ["256 KiB + 1 (two leaves under a dag-pb root)", CHUNK + 1],
    ["1 MiB + 7", 1024 * KiB + 7],
    ["174 chunks (one full node)", 174 * CHUNK],
    ["174 chunks + 1 byte (second balanced level)", 174 * CHUNK + 1],
  ];
  for (const [label, size] of sizes) {
    it(`${label}: importer == independent reference builder`, async () => {
      const data = deterministicBytes(size, size);
      const { cid, files } = await addFile(new MemoryBlockstore(), data);
      assert.equal(cid.toString(), base32Cid(referenceFile(data, { cidVersion: 1 }).cid));
      assert.equal(files[0]?.size, size);
    });
  }

  it(
    "reference builder and importer agree with Debian ipfs_cid (CIDv0 layout, incl. 2nd level)",
    { skip: hasIpfsCid ? false : "ipfs_cid not installed (apt-get install ipfs-cid)" },
    async () => {
      for (const size of [0, 12, CHUNK, CHUNK + 1, 174 * CHUNK + 1]) {
        const data = deterministicBytes(size, 7);
        const rust = ipfsCidV0(data);
        assert.equal(base58Cid(referenceFile(data, { cidVersion: 0 }).cid), rust, `reference v0 size=${size}`);
        assert.equal(await importerV0(data), rust, `importer v0 size=${size}`);
      }
    },
  );
});

describe("UnixFS add: { cidVersion: 0 } gives kubo's plain `ipfs add` CIDs", () => {
  it('"hello world\\n" → kubo\'s CIDv0', async () => {
    const { cid } = await addFile(new MemoryBlockstore(), text("hello world\n"), { cidVersion: 0 });
    assert.equal(cid.toString(), "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
  });

  for (const size of [0, CHUNK, CHUNK + 1, 174 * CHUNK + 1]) {
    it(`${size} bytes: == the independent reference builder (CIDv0, dag-pb leaves)`, async () => {
      const data = deterministicBytes(size, 11);
      const { cid, files } = await addFile(new MemoryBlockstore(), data, { cidVersion: 0 });
      assert.equal(cid.toString(), base58Cid(referenceFile(data, { cidVersion: 0 }).cid));
      assert.equal(files[0]?.size, size);
    });
  }

  it("directories too: every CID is v0", async () => {
    const { cid, files } = await addDirectory(
      new MemoryBlockstore(),
      [
        { path: "a.txt", content: text("a") },
        { path: "b/c.txt", content: text("c") },
      ],
      { cidVersion: 0 },
    );
    assert.equal(cid.version, 0);
    assert.ok(files.every((file) => file.cid.version === 0));
  });
});

describe("UnixFS add: DAG structure verified by hand", () => {
  /** Decodes the DAG below `cid`, re-hashes every raw leaf with sha256, and returns the file bytes. */
  async function readByHand(store: MemoryBlockstore, cid: CID, depth = 0, shape: number[][] = []): Promise<Uint8Array> {
    const bytes = await collect(store.get(cid));
    const digest = createHash("sha256").update(bytes).digest();
    assert.deepEqual(Buffer.from(cid.multihash.digest), digest, `sha256 of ${cid}`);
    if (cid.code === raw.code) return bytes;
    assert.equal(cid.code, dagPb.code);
    const node = dagPb.decode(bytes);
    const unixfs = UnixFS.unmarshal(node.Data ?? new Uint8Array());
    assert.equal(unixfs.type, "file");
    (shape[depth] ??= []).push(node.Links.length);
    const parts = [];
    for (const [i, link] of node.Links.entries()) {
      const child = await readByHand(store, link.Hash, depth + 1, shape);
      assert.equal(BigInt(child.length), unixfs.blockSizes[i], "blocksizes entry");
      parts.push(child);
    }
    return collect(parts);
  }

  it("256 KiB + 1: root has 2 links, leaves are raw and hash-correct", async () => {
    const store = new MemoryBlockstore();
    const data = deterministicBytes(CHUNK + 1, 3);
    const { cid } = await addFile(store, data);
    const shape: number[][] = [];
    assert.deepEqual(await readByHand(store, cid, 0, shape), data);
    assert.deepEqual(shape, [[2]]);
    const root = dagPb.decode(await collect(store.get(cid)));
    assert.deepEqual(
      root.Links.map((l) => [l.Hash.code, l.Tsize]),
      [
        [raw.code, CHUNK],
        [raw.code, 1],
      ],
    );
  });

  it("174 chunks + 1 byte: root → [174 leaves, 1 leaf] (balanced, fan-out 174)", async () => {
    const store = new MemoryBlockstore();
    const data = deterministicBytes(174 * CHUNK + 1, 4);
    const { cid } = await addFile(store, data);
    const shape: number[][] = [];
    assert.ok(Buffer.from(await readByHand(store, cid, 0, shape)).equals(data));
    assert.deepEqual(shape, [[2], [174, 1]]);
  });
});

describe("UnixFS directories and reads", () => {
  it("directory CID equals a hand-built kubo directory node over the file CIDs", async () => {
    const store = new MemoryBlockstore();
    const files = [
      { path: "metadata.json", content: text('{"title":"x"}') },
      { path: "audio.flac", content: deterministicBytes(CHUNK * 2 + 5, 9) },
      { path: "cover.png", content: deterministicBytes(1000, 10) },
    ];
    const added = await addDirectory(store, files);
    const children = files.map((f, i) => {
      const ref = referenceFile(f.content, { cidVersion: 1 });
      assert.equal(added.files[i]?.cid.toString(), base32Cid(ref.cid));
      return { name: f.path, cid: ref.cid, tsize: ref.tsize };
    });
    assert.equal(added.cid.toString(), base32Cid(referenceDirectory(children, { cidVersion: 1 }).cid));
    assert.deepEqual(
      added.files.map((f) => [f.path, f.size]),
      [
        ["metadata.json", 13],
        ["audio.flac", CHUNK * 2 + 5],
        ["cover.png", 1000],
      ],
    );
    assert.deepEqual(
      (await list(store, added.cid)).map((e) => e.name),
      ["audio.flac", "cover.png", "metadata.json"],
    );
  });

  it("cat round-trips files, sub-paths, Blobs and byte ranges", async () => {
    const store = new MemoryBlockstore();
    const audio = deterministicBytes(CHUNK * 3 + 11, 5);
    const { cid } = await addDirectory(store, [
      { path: "a/audio.bin", content: new Blob([audio]) },
      { path: "b.txt", content: [text("he"), text("llo")] },
    ]);
    assert.deepEqual(await collect(cat(store, `${cid}/a/audio.bin`)), audio);
    assert.deepEqual(await collect(cat(store, `/ipfs/${cid}/b.txt`)), text("hello"));
    assert.deepEqual(
      await collect(cat(store, `${cid}/a/audio.bin`, { offset: CHUNK - 3, length: 10 })),
      audio.subarray(CHUNK - 3, CHUNK + 7),
    );
  });

  it("reports cumulative progress up to the total byte count", async () => {
    const events: AddProgress[] = [];
    const a = deterministicBytes(CHUNK * 2 + 1, 1);
    const b = deterministicBytes(100, 2);
    await addDirectory(
      new MemoryBlockstore(),
      [
        { path: "a", content: a },
        { path: "b", content: b },
      ],
      { onProgress: (p) => events.push(p) },
    );
    assert.equal(events.at(-1)?.bytes, a.length + b.length);
    assert.ok(events.every((e, i) => i === 0 || e.bytes >= (events[i - 1]?.bytes ?? 0)));
  });

  it("missing paths and blocks raise NotFoundError; bad paths are refused", async () => {
    const store = new MemoryBlockstore();
    const { cid } = await addDirectory(store, [{ path: "x", content: text("x") }]);
    await assert.rejects(collect(cat(store, `${cid}/nope`)), NotFoundError);
    await assert.rejects(collect(cat(new MemoryBlockstore(), cid)), NotFoundError);
    await assert.rejects(addDirectory(store, [{ path: "../x", content: text("") }]), /Invalid file path/);
    await assert.rejects(
      addDirectory(store, [
        { path: "x", content: text("") },
        { path: "x", content: text("") },
      ]),
      /appears twice/,
    );
  });
});

describe("createEmbeddedBackend", () => {
  it("works without arguments: an in-memory store that adds and reads back kubo's CID", async () => {
    const storage = createEmbeddedBackend();
    const { cid } = await storage.add(new TextEncoder().encode("hello world\n"));
    assert.equal(cid.toString(), "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4");
    const chunks: Uint8Array[] = [];
    for await (const chunk of storage.cat(cid)) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), "hello world\n");
  });
});
