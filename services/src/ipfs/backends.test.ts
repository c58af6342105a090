/**
 * One contract, every backend: the same adds must give the same kubo CIDs,
 * read back identically, and report progress, wherever the bytes live.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MemoryBlockstore } from "blockstore-core/memory";
import { deterministicBytes } from "../../../testkit/src/reference-unixfs.ts";
import type { StorageBackend } from "../../../sdk/src/storage/backend.ts";
import { createEmbeddedBackend } from "../../../sdk/src/storage/embedded.ts";
import { ContentVerificationError, NotFoundError } from "../../../sdk/src/errors.ts";
import { createHttpServiceBackend } from "../../../sdk/src/storage/http-service-backend.ts";
import { createKuboBackend } from "../../../sdk/src/storage/kubo.ts";
import { createPinningServiceClient, withRemotePinning } from "../../../sdk/src/storage/pinning-service.ts";
import { addDirectory, addFile, type AddProgress } from "../../../sdk/src/storage/unixfs.ts";
import { collect } from "../../../sdk/src/storage/unixfs-read.ts";
import { createFsBackend } from "./fs-blockstore.ts";
import { startIpfsService } from "./gateway.ts";
import { startKuboRpcStandIn } from "../../../testkit/src/stand-ins/kubo-rpc.ts";
import { startPinningServiceStandIn } from "../../../testkit/src/stand-ins/pinning-service.ts";

type Fixture = { backend: StorageBackend; close: () => Promise<void> };

const fixtures: Record<string, () => Promise<Fixture>> = {
  "embedded (memory)": async () => ({
    backend: createEmbeddedBackend({ blockstore: new MemoryBlockstore() }),
    close: async () => {},
  }),
  "embedded (filesystem)": async () => {
    const dir = await mkdtemp(join(tmpdir(), "harmonie-contract-"));
    const backend = await createFsBackend(dir);
    return {
      backend,
      close: async () => {
        await backend.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  "kubo RPC (stand-in)": async () => {
    const kubo = await startKuboRpcStandIn();
    return { backend: createKuboBackend({ url: kubo.url }), close: kubo.close };
  },
  "IPFS HTTP service": async () => {
    const service = await startIpfsService({ backend: createEmbeddedBackend({ blockstore: new MemoryBlockstore() }) });
    return { backend: createHttpServiceBackend({ url: service.url }), close: service.close };
  },
  "embedded + remote pinning (stand-in)": async () => {
    const local = createEmbeddedBackend({ blockstore: new MemoryBlockstore() });
    const service = await startPinningServiceStandIn({
      accessToken: "t",
      origin: local.blockstore,
      retrievalDelayMs: 1,
    });
    const pins = createPinningServiceClient({ endpoint: service.url, accessToken: "t" });
    return {
      backend: withRemotePinning(local, pins, { wait: { intervalMs: 5, timeoutMs: 5000 } }),
      close: service.close,
    };
  },
};

const file = deterministicBytes(262_144 * 2 + 99, 61);
const entries = [
  { path: "metadata.json", content: new TextEncoder().encode('{"title":"Contract"}') },
  { path: "audio.flac", content: new Blob([deterministicBytes(300_000, 62)]) },
];

for (const [label, make] of Object.entries(fixtures)) {
  describe(`backend contract: ${label}`, () => {
    it("add (file + directory) → kubo CIDs, cat round-trip, has, pin, progress", async () => {
      const { backend, close } = await make();
      try {
        const progress: AddProgress[] = [];
        const single = await backend.add(file, { onProgress: (p) => progress.push(p) });
        assert.equal(single.cid.toString(), (await addFile(new MemoryBlockstore(), file)).cid.toString());
        assert.equal(single.files[0]?.size, file.length);
        assert.equal(progress.at(-1)?.bytes, file.length);
        assert.deepEqual(
          await collect(backend.cat(single.cid, { offset: 262_140, length: 10 })),
          file.subarray(262_140, 262_150),
        );

        const dir = await backend.add(entries);
        const expected = await addDirectory(new MemoryBlockstore(), entries);
        assert.equal(dir.cid.toString(), expected.cid.toString());
        assert.deepEqual(
          dir.files.map((f) => f.cid.toString()),
          expected.files.map((f) => f.cid.toString()),
        );
        assert.deepEqual(await collect(backend.cat(`${dir.cid}/metadata.json`)), entries[0]?.content);

        assert.equal(await backend.has(dir.cid), true);
        await backend.pin(dir.cid, { name: "contract" });
        const absent = (await addFile(new MemoryBlockstore(), new TextEncoder().encode(`absent ${label}`))).cid;
        assert.equal(await backend.has(absent), false);
        await assert.rejects(collect(backend.cat(absent)), NotFoundError);
      } finally {
        await close();
      }
    });
  });
}

describe("IPFS service backend: trustless add", () => {
  it("rejects an upload whose CID the service misreports", async () => {
    const service = await startIpfsService({ backend: createEmbeddedBackend({ blockstore: new MemoryBlockstore() }) });
    try {
      const lying: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).includes("/upload")) return response;
        const body = (await response.json()) as { cid: string };
        return Response.json({ ...body, cid: "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku" });
      };
      const backend = createHttpServiceBackend({ url: service.url, fetch: lying });
      await assert.rejects(backend.add(new TextEncoder().encode("hello world\n")), ContentVerificationError);
    } finally {
      await service.close();
    }
  });
});
