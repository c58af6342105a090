import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { MemoryBlockstore } from "blockstore-core/memory";
import { CID } from "multiformats/cid";
import { deterministicBytes } from "../../../testkit/src/reference-unixfs.ts";
import { createEmbeddedBackend } from "../../../sdk/src/storage/embedded.ts";
import { ContentVerificationError, NotFoundError } from "../../../sdk/src/errors.ts";
import { addDirectory, addFile } from "../../../sdk/src/storage/unixfs.ts";
import { cat, collect } from "../../../sdk/src/storage/unixfs-read.ts";
import { createTrustlessGatewayReader, verifiedCarBlocks } from "../../../sdk/src/storage/verified.ts";
import { startIpfsService, type IpfsService } from "./gateway.ts";

const CHUNK = 262_144;
const audio = deterministicBytes(CHUNK * 3 + 100, 21);
const metadata = new TextEncoder().encode('{"title":"Night Drive"}\n');

describe("IPFS HTTP service", () => {
  let service: IpfsService;
  let dirCid: string;
  const backend = createEmbeddedBackend({ blockstore: new MemoryBlockstore() });

  before(async () => {
    service = await startIpfsService({
      backend,
      maxUploadBytes: 2 * 1024 * 1024,
      rateLimit: { max: 100, windowMs: 60_000 },
    });
    assert.match(service.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const form = new FormData();
    form.append("file", new Blob([metadata]), "metadata.json");
    form.append("file", new Blob([audio]), "audio.flac");
    const res = await fetch(`${service.url}/upload`, { method: "POST", body: form });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { cid: string; files: Array<{ path: string; cid: string; size: number }> };
    dirCid = body.cid;
    const expected = await addDirectory(new MemoryBlockstore(), [
      { path: "metadata.json", content: metadata },
      { path: "audio.flac", content: audio },
    ]);
    assert.equal(dirCid, expected.cid.toString());
    assert.deepEqual(
      body.files.map((f) => [f.path, f.size]),
      [
        ["metadata.json", metadata.length],
        ["audio.flac", audio.length],
      ],
    );
  });
  after(async () => {
    await service.close();
  });

  it("raw uploads return the kubo CID; the gateway serves bytes, types and ranges", async () => {
    const res = await fetch(`${service.url}/upload`, {
      method: "POST",
      body: new TextEncoder().encode("hello world\n"),
      headers: { "content-type": "application/octet-stream" },
    });
    assert.equal(
      ((await res.json()) as { cid: string }).cid,
      "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
    );

    const file = await fetch(`${service.url}/ipfs/${dirCid}/audio.flac`);
    assert.equal(file.headers.get("content-type"), "audio/flac");
    assert.equal(file.headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), audio);

    const json = await fetch(`${service.url}/ipfs/${dirCid}/metadata.json`);
    assert.equal(json.headers.get("content-type"), "application/json");
    assert.equal(json.headers.get("x-content-type-options"), "nosniff");

    const part = await fetch(`${service.url}/ipfs/${dirCid}/audio.flac`, {
      headers: { range: `bytes=${CHUNK - 5}-${CHUNK + 4}` },
    });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes ${CHUNK - 5}-${CHUNK + 4}/${audio.length}`);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), audio.subarray(CHUNK - 5, CHUNK + 5));
    const bad = await fetch(`${service.url}/ipfs/${dirCid}/audio.flac`, {
      headers: { range: `bytes=${audio.length}-` },
    });
    assert.equal(bad.status, 416);
    await bad.body?.cancel();

    const listing = (await (await fetch(`${service.url}/ipfs/${dirCid}`)).json()) as {
      entries: Array<{ name: string }>;
    };
    assert.deepEqual(
      listing.entries.map((e) => e.name),
      ["audio.flac", "metadata.json"],
    );
  });

  it("verifying reader reads through the gateway (raw blocks, each hash-checked)", async () => {
    const reader = createTrustlessGatewayReader(service.url);
    assert.deepEqual(await collect(reader.cat(`${dirCid}/audio.flac`)), audio);
    assert.deepEqual(
      (await reader.list(dirCid)).map((e) => e.name),
      ["audio.flac", "metadata.json"],
    );
    const missing = (await addFile(new MemoryBlockstore(), new TextEncoder().encode("not uploaded"))).cid;
    await assert.rejects(collect(reader.cat(missing)), NotFoundError);
  });

  it("verifying reader fetches a path as one CAR, and block by block from a gateway without CARs", async () => {
    const requests: string[] = [];
    const counting =
      (carStatus?: number): typeof fetch =>
      async (input, init) => {
        const url = String(input);
        requests.push(new URL(url).search);
        if (carStatus && url.includes("format=car")) return new Response("no CARs here", { status: carStatus });
        return fetch(input, init);
      };
    const viaCar = createTrustlessGatewayReader(service.url, { fetch: counting() });
    assert.deepEqual(await collect(viaCar.cat(`${dirCid}/audio.flac`)), audio);
    assert.deepEqual(requests, ["?format=car&dag-scope=entity"]);

    requests.length = 0;
    const blockwise = createTrustlessGatewayReader(service.url, { fetch: counting(501) });
    assert.deepEqual(await collect(blockwise.cat(`${dirCid}/audio.flac`)), audio);
    assert.equal(requests[0], "?format=car&dag-scope=entity");
    assert.ok(requests.length > 2 && requests.slice(1).every((q) => q === "?format=raw"), requests.join(" "));

    // A byte range reads only the leaves it needs, never the whole file.
    requests.length = 0;
    const range = await collect(viaCar.cat(`${dirCid}/audio.flac`, { offset: 300_000, length: 10 }));
    assert.deepEqual(range, audio.subarray(300_000, 300_010));
    assert.ok(requests.every((q) => q === "?format=raw"));
  });

  it("trustless raw responses: headers, HEAD, probe CID, path refused", async () => {
    const cid = CID.parse(dirCid);
    const res = await fetch(`${service.url}/ipfs/${dirCid}?format=raw`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/vnd.ipld.raw");
    assert.equal(res.headers.get("content-disposition"), `attachment; filename="${dirCid}.bin"`);
    assert.equal(res.headers.get("etag"), `"${dirCid}.raw"`);
    assert.deepEqual(new Uint8Array(await res.arrayBuffer()), await collect(backend.blockstore.get(cid)));
    const viaAccept = await fetch(`${service.url}/ipfs/${dirCid}`, { headers: { accept: "application/vnd.ipld.raw" } });
    assert.equal(viaAccept.headers.get("content-type"), "application/vnd.ipld.raw");
    await viaAccept.body?.cancel();
    const head = await fetch(`${service.url}/ipfs/${dirCid}?format=raw`, { method: "HEAD" });
    assert.equal(head.status, 200);
    const probe = await fetch(`${service.url}/ipfs/bafkqaaa?format=raw`);
    assert.equal(probe.status, 200);
    assert.equal((await probe.arrayBuffer()).byteLength, 0);
    const withPath = await fetch(`${service.url}/ipfs/${dirCid}/audio.flac?format=raw`);
    assert.equal(withPath.status, 400);
    await withPath.body?.cancel();
  });

  it("trustless CAR responses: dag-scope all/entity/block, with paths, verifiable", async () => {
    const carOf = async (
      query: string,
    ): Promise<{ type: string | null; blocks: Array<{ cid: CID; bytes: Uint8Array }> }> => {
      const res = await fetch(`${service.url}/ipfs/${query}`);
      assert.equal(res.status, 200, query);
      const blocks = await collect2(verifiedCarBlocks(res.body as AsyncIterable<Uint8Array>));
      return { type: res.headers.get("content-type"), blocks };
    };
    const all = await carOf(`${dirCid}?format=car`);
    assert.equal(all.type, "application/vnd.ipld.car; version=1; order=dfs; dups=n");
    const store = new MemoryBlockstore();
    for (const b of all.blocks) await store.put(b.cid, b.bytes);
    assert.deepEqual(await collect(cat(store, `${dirCid}/audio.flac`)), audio);
    assert.equal(all.blocks[0]?.cid.toString(), dirCid);

    assert.equal((await carOf(`${dirCid}?format=car&dag-scope=block`)).blocks.length, 1);
    assert.equal((await carOf(`${dirCid}?format=car&dag-scope=entity`)).blocks.length, 1);
    const file = await carOf(`${dirCid}/audio.flac?format=car&dag-scope=entity`);
    assert.equal(file.blocks.length, 1 + 1 + 4); // directory, file root, 4 leaves
    const viaAccept = await fetch(`${service.url}/ipfs/${dirCid}`, { headers: { accept: "application/vnd.ipld.car" } });
    assert.match(viaAccept.headers.get("content-type") ?? "", /^application\/vnd\.ipld\.car/);
    await viaAccept.body?.cancel();
    const badScope = await fetch(`${service.url}/ipfs/${dirCid}?format=car&dag-scope=nope`);
    assert.equal(badScope.status, 400);
    await badScope.body?.cancel();
  });

  it("clear errors: bad CID 400, missing content 404, unknown route 404", async () => {
    const bad = await fetch(`${service.url}/ipfs/not-a-cid`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { name: string } }).error.name, "InvalidCidError");
    const missingCid = (await addFile(new MemoryBlockstore(), new TextEncoder().encode("elsewhere"))).cid;
    for (const suffix of ["", "?format=raw", "?format=car"]) {
      const res = await fetch(`${service.url}/ipfs/${missingCid}${suffix}`);
      assert.equal(res.status, 404, suffix);
      assert.equal(((await res.json()) as { error: { name: string } }).error.name, "NotFoundError");
    }
    const noFile = await fetch(`${service.url}/ipfs/${dirCid}/nope.txt`);
    assert.equal(noFile.status, 404);
    await noFile.body?.cancel();
    const route = await fetch(`${service.url}/nowhere`);
    assert.equal(route.status, 404);
    await route.body?.cancel();
  });

  it("uploads over the limit get 413 (declared or streamed)", async () => {
    const big = deterministicBytes(2 * 1024 * 1024 + 1, 5);
    const declared = await postRaw(service.url, big, true);
    assert.equal(declared.status, 413);
    assert.equal(JSON.parse(declared.body).error.name, "UploadTooLargeError");
    const streamed = await postRaw(service.url, big, false);
    assert.equal(streamed.status, 413);
    const form = new FormData();
    form.append("file", new Blob([big]), "big.bin");
    const multipart = await fetch(`${service.url}/upload`, { method: "POST", body: form });
    assert.equal(multipart.status, 413);
    await multipart.body?.cancel();
  });

  it("CORS preflight answers for the dApp", async () => {
    const res = await fetch(`${service.url}/upload`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    assert.match(res.headers.get("access-control-allow-methods") ?? "", /POST/);
  });

  it("pin checks completeness", async () => {
    const ok = await fetch(`${service.url}/pin/${dirCid}`, { method: "POST" });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    const missing = await fetch(
      `${service.url}/pin/${(await addFile(new MemoryBlockstore(), new Uint8Array([9]))).cid}`,
      { method: "POST" },
    );
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  });
});

describe("IPFS HTTP service: rate limit, CORS allow-list, tampering", () => {
  it("answers 429 with Retry-After once a client exceeds its budget", async () => {
    const service = await startIpfsService({
      backend: createEmbeddedBackend({ blockstore: new MemoryBlockstore() }),
      rateLimit: { max: 3, windowMs: 60_000 },
      corsOrigins: ["https://app.example"],
    });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${service.url}/upload`, {
          method: "POST",
          body: new Uint8Array([i]),
          headers: { origin: "https://app.example" },
        });
        statuses.push(res.status);
        if (res.status === 429) {
          assert.ok(Number(res.headers.get("retry-after")) >= 1);
          assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example");
          assert.match(res.headers.get("access-control-expose-headers") ?? "", /Retry-After/);
        }
        await res.body?.cancel();
      }
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const other = await fetch(`${service.url}/ipfs/bafkqaaa?format=raw`, {
        headers: { origin: "https://evil.example" },
      });
      assert.equal(other.headers.get("access-control-allow-origin"), null);
      await other.body?.cancel();
    } finally {
      await service.close();
    }
  });

  it("a gateway serving tampered blocks is caught by the verifying reader (raw and CAR)", async () => {
    const blockstore = new MemoryBlockstore();
    const { cid, files } = await addDirectory(blockstore, [{ path: "audio.flac", content: audio }]);
    const audioRoot = (files[0] as { cid: CID }).cid;
    // Corrupt one leaf in place: MemoryBlockstore stores whatever it is given.
    const { Links } = (await import("@ipld/dag-pb")).decode(await collect(blockstore.get(audioRoot)));
    const leaf = (Links[1] as { Hash: CID }).Hash;
    const tampered = (await collect(blockstore.get(leaf))).slice();
    tampered[10] = (tampered[10] ?? 0) ^ 0xff;
    await blockstore.put(leaf, tampered);

    const service = await startIpfsService({ backend: createEmbeddedBackend({ blockstore }) });
    try {
      const reader = createTrustlessGatewayReader(service.url);
      const err = await collect(reader.cat(`${cid}/audio.flac`)).catch((e: unknown) => e);
      assert.ok(err instanceof ContentVerificationError, String(err));
      assert.equal(err.cid, leaf.toString());
      const car = await fetch(`${service.url}/ipfs/${cid}?format=car`);
      await assert.rejects(
        collect2(verifiedCarBlocks(car.body as AsyncIterable<Uint8Array>)),
        ContentVerificationError,
      );
    } finally {
      await service.close();
    }
  });
});

describe("IPFS service CLI", () => {
  it("starts on --port 0 --data DIR, prints its URL, serves, stops on SIGTERM", async () => {
    const data = await mkdtemp(join(tmpdir(), "ipfs-cli-"));
    const script = fileURLToPath(new URL("../cli.ts", import.meta.url));
    const child = spawn(process.execPath, [script, "serve", "ipfs", "--port", "0", "--data", data], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [line] = (await once(child.stdout, "data")) as [Buffer];
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line.toString())?.[1];
      assert.ok(url, line.toString());
      const up = await fetch(`${url}/upload`, { method: "POST", body: new TextEncoder().encode("hello world\n") });
      const { cid } = (await up.json()) as { cid: string };
      assert.equal(await (await fetch(`${url}/ipfs/${cid}`)).text(), "hello world\n");
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
      await rm(data, { recursive: true, force: true });
    }
  });
});

async function collect2<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

/** POST a raw body with node:http, with or without Content-Length, tolerating an early close. */
async function postRaw(
  base: string,
  body: Uint8Array,
  declareLength: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/upload`,
      {
        method: "POST",
        headers: declareLength ? { "content-length": body.length } : { "transfer-encoding": "chunked" },
      },
      (res) => {
        let text = "";
        res
          .setEncoding("utf8")
          .on("data", (c: string) => {
            text += c;
          })
          .on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", (err) => {
      if ((err as NodeJS.ErrnoException).code !== "EPIPE" && (err as NodeJS.ErrnoException).code !== "ECONNRESET")
        reject(err);
    });
    for (let i = 0; i < body.length; i += 65_536) req.write(body.subarray(i, i + 65_536));
    req.end();
  });
}
