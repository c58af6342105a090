import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { deterministicBytes } from "../../../testkit/src/reference-unixfs.ts";
import { NotFoundError } from "../../../sdk/src/errors.ts";
import { addFile } from "../../../sdk/src/storage/unixfs.ts";
import { collect } from "../../../sdk/src/storage/unixfs-read.ts";
import { MemoryBlockstore } from "blockstore-core/memory";
import { createFsBackend } from "./fs-blockstore.ts";

describe("embedded backend on the filesystem (blockstore-fs)", () => {
  it("round-trips, persists across reopen, pins complete DAGs only", async () => {
    const dir = await mkdtemp(join(tmpdir(), "harmonie-fs-"));
    try {
      const data = deterministicBytes(262_144 * 2 + 17, 51);
      const first = await createFsBackend(join(dir, "blocks"));
      const { cid } = await first.add([{ path: "audio.wav", content: data }]);
      await first.close();

      const second = await createFsBackend(join(dir, "blocks"));
      try {
        assert.deepEqual(await collect(second.cat(`${cid}/audio.wav`)), data);
        assert.equal(await second.has(cid), true);
        await second.pin(cid);
        assert.deepEqual(second.pins().map(String), [cid.toString()]);
        const absent = (await addFile(new MemoryBlockstore(), new Uint8Array([1]))).cid;
        assert.equal(await second.has(absent), false);
        await assert.rejects(second.pin(absent), NotFoundError);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
