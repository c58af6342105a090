import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MemoryBlockstore } from "blockstore-core/memory";
import { deterministicBytes } from "../../../testkit/src/reference-unixfs.ts";
import { createEmbeddedBackend } from "./embedded.ts";
import { NotFoundError, StorageBackendError } from "../errors.ts";
import { addTrackPackage } from "./packages.ts";
import { createPinningServiceClient, withRemotePinning, type PinningServiceClient } from "./pinning-service.ts";
import { addFile } from "./unixfs.ts";
import { cat, collect } from "./unixfs-read.ts";
import {
  startPinningServiceStandIn,
  type PinningServiceStandIn,
} from "../../../testkit/src/stand-ins/pinning-service.ts";

describe("Pinning Service API client (against the pinning service stand-in)", () => {
  const local = createEmbeddedBackend({ blockstore: new MemoryBlockstore() });
  let service: PinningServiceStandIn;
  let pins: PinningServiceClient;
  before(async () => {
    service = await startPinningServiceStandIn({
      accessToken: "test-token",
      origin: local.blockstore,
      retrievalDelayMs: 5,
    });
    pins = createPinningServiceClient({ endpoint: service.url, accessToken: "test-token" });
  });
  after(async () => {
    await service.close();
  });

  it("withRemotePinning: add locally, pin remotely, service ends up holding the verified DAG", async () => {
    const storage = withRemotePinning(local, pins, {
      origins: ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWLocalNode"],
      meta: { app: "harmonie" },
      wait: { intervalMs: 10, timeoutMs: 5000 },
    });
    const audio = deterministicBytes(700_000, 41);
    const track = await addTrackPackage(storage, {
      metadata: { title: "Pinned", artist: "A", durationSeconds: 3, genre: "g", licence: { summary: "s" } },
      audio: { content: audio, mimeType: "audio/ogg" },
      cover: { content: new Uint8Array([1]), mimeType: "image/png" },
    });
    await storage.pin(track.cid, { name: "Pinned" });
    assert.deepEqual(await collect(cat(service.blockstore, `${track.cid}/audio.ogg`)), audio);

    const listed = await pins.listPins({ cid: [track.cid.toString()] });
    assert.equal(listed.count, 1);
    const [status] = listed.results;
    assert.equal(status?.status, "pinned");
    assert.deepEqual(status?.pin, {
      cid: track.cid.toString(),
      name: "Pinned",
      origins: ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWLocalNode"],
      meta: { app: "harmonie" },
    });
    assert.ok((status?.delegates.length ?? 0) >= 1);
  });

  it("lifecycle: queued → pinned, list filters, replace, delete", async () => {
    const a = (await local.add(new TextEncoder().encode("a"))).cid.toString();
    const b = (await local.add(new TextEncoder().encode("b"))).cid.toString();
    const first = await pins.addPin({ cid: a, name: "Alpha Take", meta: { kind: "demo" } });
    assert.equal(first.status, "queued");
    await pins.waitForPin(first.requestid, { intervalMs: 5 });
    assert.equal((await pins.getPin(first.requestid)).status, "pinned");

    assert.equal((await pins.listPins({ name: "alpha", match: "ipartial" })).results[0]?.requestid, first.requestid);
    assert.equal((await pins.listPins({ name: "alpha", match: "exact" })).count, 0);
    assert.equal((await pins.listPins({ meta: { kind: "demo" } })).count, 1);
    assert.equal((await pins.listPins({ status: ["failed"] })).count, 0);
    assert.ok(
      (await pins.listPins({ after: new Date(Date.parse(first.created) - 1) })).results.some(
        (p) => p.requestid === first.requestid,
      ),
    );

    const replaced = await pins.replacePin(first.requestid, { cid: b });
    await assert.rejects(pins.getPin(first.requestid), NotFoundError);
    await pins.waitForPin(replaced.requestid, { intervalMs: 5 });
    await pins.removePin(replaced.requestid);
    await assert.rejects(pins.getPin(replaced.requestid), NotFoundError);
  });

  it("content unreachable from origins → failed, surfaced as StorageBackendError", async () => {
    const elsewhere = (
      await addFile(new MemoryBlockstore(), new TextEncoder().encode("not on the origin"))
    ).cid.toString();
    const status = await pins.addPin({ cid: elsewhere });
    const err = await pins.waitForPin(status.requestid, { intervalMs: 5 }).catch((e: unknown) => e);
    assert.ok(err instanceof StorageBackendError);
    assert.match(err.message, /could not retrieve/);
  });

  it("spec errors: 401 without a valid token, 400 for a bad CID, 404 for unknown ids", async () => {
    const wrongToken = createPinningServiceClient({ endpoint: service.url, accessToken: "nope" });
    const unauthorized = await wrongToken.listPins().catch((e: unknown) => e);
    assert.ok(unauthorized instanceof StorageBackendError);
    assert.equal(unauthorized.status, 401);
    assert.match(unauthorized.message, /UNAUTHORIZED/);
    const raw = await fetch(`${service.url}/pins`, {
      method: "POST",
      headers: { authorization: "Bearer test-token", "content-type": "application/json" },
      body: JSON.stringify({ cid: "not-a-cid" }),
    });
    assert.equal(raw.status, 400);
    assert.equal(((await raw.json()) as { error: { reason: string } }).error.reason, "BAD_REQUEST");
    await assert.rejects(pins.getPin("00000000-0000-0000-0000-000000000000"), NotFoundError);
    await assert.rejects(pins.addPin({ cid: "not-a-cid" }), /not a valid CID/);
  });
});
