/**
 * Signalling abuse against a real chain: malformed and binary frames, oversized frames, unknown rooms,
 * unauthenticated requests, a fan trying to publish, and a flood — the service stays up and other
 * rooms keep working.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import { openSession } from "../../../sdk/src/actions/live.ts";
import { startSignallingService, type SignallingService } from "./signalling-service.ts";
import { NotSessionArtistError, SignallingError, UnknownRoomError } from "../../../sdk/src/streaming/errors.ts";
import type { ServerMessage } from "../../../sdk/src/streaming/protocol.ts";
import { connectSignalling, type SignallingConnection } from "../../../sdk/src/streaming/signalling-client.ts";
import { type Chain, KEYS, startChain } from "../../../testkit/src/chain.ts";

let chain: Chain;
let service: SignallingService;
let streamId: bigint;
let artist: SignallingConnection;
const errors: string[] = [];

/** A raw socket that collects every server message. */
async function raw() {
  const socket = new WebSocket(service.url);
  const messages: ServerMessage[] = [];
  socket.on("message", (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  await new Promise((resolve) => socket.once("open", resolve));
  return { socket, messages, closed };
}
const until = async (check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const connect = (key: `0x${string}`) => connectSignalling({ url: service.url, wallet: chain.wallet(key) });

/** The room opened in `before` still admits a fan end to end. */
async function roomStillWorks() {
  const fan = await connect(KEYS.fan2);
  const joined = new Promise((resolve) => artist.on("fan-joined", resolve));
  await fan.request({ t: "join", streamId: streamId.toString() });
  await joined;
  await fan.request({ t: "leave" });
  fan.close();
}

before(async () => {
  chain = await startChain();
  service = await startSignallingService({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    maxMessageBytes: 4096,
    rateLimit: { perSecond: 20, burst: 20 },
    floodStrikes: 30,
    onError: (error) => errors.push(error.code),
  });
  ({ streamId } = await openSession(chain.wallet(KEYS.artist), {
    deployment: chain.deployment,
    title: "Abuse",
    playbackId: "rooms",
  }));
  artist = await connect(KEYS.artist);
  await artist.request({ t: "publish", streamId: streamId.toString() });
});

after(async () => {
  artist?.close();
  await service?.close();
  await chain?.stop();
});

test("malformed JSON, binary frames and unknown types get an error; the socket stays usable", async () => {
  const client = await raw();
  client.socket.send("{not json");
  client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
  client.socket.send(JSON.stringify({ t: "dance", id: 7 }));
  client.socket.send(JSON.stringify([1, 2]));
  await until(() => client.messages.filter((m) => m.t === "error").length === 4);
  const codes = client.messages.filter((m) => m.t === "error").map((m) => (m as { code: string }).code);
  assert.deepEqual(codes, ["bad-request", "bad-request", "bad-request", "bad-request"]);
  client.socket.send(JSON.stringify({ t: "join", id: 8, streamId: streamId.toString() }));
  await until(() => client.messages.some((m) => m.t === "error" && m.id === 8));
  assert.equal((client.messages.at(-1) as { code: string }).code, "auth-required");
  client.socket.close();
});

test("an oversized frame closes that socket only (1009)", async () => {
  const client = await raw();
  client.socket.send(JSON.stringify({ t: "join", streamId: "1", pad: "x".repeat(10_000) }));
  assert.equal(await client.closed, 1009);
  await roomStillWorks();
});

test("unknown room and bad stream ids are typed errors", async () => {
  const fan = await connect(KEYS.fan1);
  await assert.rejects(fan.request({ t: "join", streamId: "424242" }), UnknownRoomError);
  await assert.rejects(fan.request({ t: "join", streamId: "-1" }), (e: SignallingError) => e.code === "bad-request");
  await assert.rejects(fan.request({ t: "signal", to: "artist", data: { candidate: null } }), UnknownRoomError);
  fan.close();
});

test("a fan cannot publish: neither the artist's room nor an offer to the artist", async () => {
  const fan = await connect(KEYS.fan1);
  await assert.rejects(fan.request({ t: "publish", streamId: streamId.toString() }), NotSessionArtistError);
  await fan.request({ t: "join", streamId: streamId.toString() });
  await assert.rejects(
    fan.request({ t: "signal", to: "artist", data: { sdp: { type: "offer", sdp: "v=0" } } }),
    (e: SignallingError) => e.code === "forbidden",
  );
  assert.equal(
    service.rooms().find((r) => r.streamId === streamId.toString())?.artist,
    chain.wallet(KEYS.artist).account.address,
  );
  await fan.request({ t: "leave" });
  fan.close();
});

test("a forged or foreign sign-in is refused", async () => {
  const client = await raw();
  await until(() => client.messages.some((m) => m.t === "welcome"));
  client.socket.send(JSON.stringify({ t: "auth", id: 1, token: "forged.token" }));
  client.socket.send(JSON.stringify({ t: "auth", id: 2, message: "hello", signature: "0x00" }));
  await until(() => client.messages.filter((m) => m.t === "error").length === 2);
  assert.deepEqual(
    client.messages.filter((m) => m.t === "error").map((m) => (m as { code: string }).code),
    ["auth-failed", "auth-failed"],
  );
  client.socket.close();
});

test("a flood is rate-limited, then disconnected (1008); other rooms keep working", async () => {
  const flooder = await connect(KEYS.fan3);
  const closed = flooder.closed;
  const errorsBefore = errors.length;
  for (let i = 0; i < 500; i++) flooder.send({ t: "leave" });
  assert.equal((await closed).code, 1008);
  assert.ok(errors.slice(errorsBefore).includes("rate-limited"));
  await roomStillWorks();
  const health = await (await fetch(`${service.url.replace("ws", "http")}/health`)).json();
  assert.equal(health.ok, true);
});
