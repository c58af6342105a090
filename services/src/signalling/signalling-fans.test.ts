/**
 * Rooms that survive real fans, against a real chain (regression tests for issue 12): fans joining
 * together while the artist answers each with an offer and a dozen candidates, joins whose socket
 * closed during the chain read, one wallet on many sockets, join churn, frozen clients, the publish
 * flood's chain reads, RPC failures, SIWE domain and uri, re-sign-in as another wallet, extra fields
 * in relayed signals, the room cap and the log rate. Raw `ws` sockets sign in with session tokens from
 * the service's own issuer, so each "fan" can be any wallet.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Address, createPublicClient, custom, HttpRequestError, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import WebSocket from "ws";
import { openSession } from "../../../sdk/src/actions/live.ts";
import { harmonieLocal } from "../../../sdk/src/chains.ts";
import { createSessionIssuer } from "../sign-in/sessions.ts";
import { startSignallingService, type SignallingService, type SignallingServiceOptions } from "./signalling-service.ts";
import { RoomFullError, SignallingError } from "../../../sdk/src/streaming/errors.ts";
import type { ServerMessage } from "../../../sdk/src/streaming/protocol.ts";
import { connectSignalling } from "../../../sdk/src/streaming/signalling-client.ts";
import { freePort, ROOT } from "../../../scripts/local-chain.ts";
import { type Chain, KEYS, startChain } from "../../../testkit/src/chain.ts";

/** What an RPC provider URL with its key looks like; it must never reach a client. */
const SECRET_RPC = "https://rpc.example.net/v2/SECRET-API-KEY-1234";

let chain: Chain;
const sessions = createSessionIssuer({ secret: randomBytes(32) });
const services: SignallingService[] = [];

/** The chain as the service sees it: counts calls per method, can hold `eth_call`s, or fail like a dead provider. */
const rpc = {
  calls: new Map<string, number>(),
  started: 0,
  done: 0,
  hold: false,
  held: [] as (() => void)[],
  broken: false,
  count: (method: string) => rpc.calls.get(method) ?? 0,
  release() {
    rpc.hold = false;
    for (const resume of rpc.held.splice(0)) resume();
  },
};
let serviceClient: SignallingServiceOptions["client"];

const start = async (options: Partial<SignallingServiceOptions> = {}) => {
  const service = await startSignallingService({
    client: serviceClient,
    deployment: chain.deployment,
    sessions,
    joinRateLimit: { perIp: { max: 10_000, windowMs: 60_000 } },
    ...options,
  });
  services.push(service);
  return service;
};
const randomAddress = (): Address => privateKeyToAccount(generatePrivateKey()).address;
const newSession = async (title: string) =>
  (await openSession(chain.wallet(KEYS.artist), { deployment: chain.deployment, title, playbackId: "rooms" })).streamId;

/** Polls `check` (bounded by a generous deadline: waiting, never asserting speed). */
const until = async (check: () => boolean, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
/** Waits until every chain read the service started has answered (then one more turn of the loop). */
const readsSettled = async () => {
  await until(() => rpc.started === rpc.done, "chain reads to settle");
  await new Promise((resolve) => setTimeout(resolve, 50));
};

type Raw = Awaited<ReturnType<typeof rawClient>>;
/** A raw socket: collects every server message; `request` awaits the reply echoing its id. */
async function rawClient(service: SignallingService, address?: Address, headers: Record<string, string> = {}) {
  const socket = new WebSocket(service.url, { headers });
  const messages: (ServerMessage & { id?: number })[] = [];
  socket.on("message", (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let nextId = 0;
  const send = (message: object) => socket.send(JSON.stringify(message));
  const request = async (message: object) => {
    const id = ++nextId;
    send({ ...message, id });
    await until(() => messages.some((m) => m.id === id) || socket.readyState !== WebSocket.OPEN, `reply ${id}`);
    const reply = messages.find((m) => m.id === id);
    if (!reply) throw new Error(`socket closed before reply ${id}`);
    return reply as ServerMessage & { code?: string; message?: string; retryAfterSeconds?: number; maxFans?: number };
  };
  const client = { socket, messages, closed, send, request, address: address! };
  if (address) {
    const authed = await request({ t: "auth", token: sessions.createToken({ address, chainId: 31337 }) });
    assert.equal(authed.t, "authed", JSON.stringify(authed));
  }
  return client;
}
const of = <T extends ServerMessage["t"]>(client: Raw, t: T) =>
  client.messages.filter((m): m is Extract<ServerMessage, { t: T }> & { id?: number } => m.t === t);
const artistOf = async (service: SignallingService, streamId: bigint) => {
  const artist = await rawClient(service, chain.wallet(KEYS.artist).account.address);
  assert.equal((await artist.request({ t: "publish", streamId: streamId.toString() })).t, "published");
  return artist;
};
const roomOf = (service: SignallingService, streamId: bigint) =>
  service.rooms().find((room) => room.streamId === streamId.toString());

before(async () => {
  chain = await startChain();
  const upstream = createPublicClient({ chain: harmonieLocal, transport: http(chain.rpcUrl) });
  serviceClient = createPublicClient({
    chain: harmonieLocal,
    transport: custom(
      {
        async request({ method, params }) {
          rpc.calls.set(method, rpc.count(method) + 1);
          rpc.started++;
          try {
            if (rpc.broken) {
              // What viem reports for a provider that is down: the URL (with its key) is in the message.
              throw new HttpRequestError({ url: SECRET_RPC, body: { method, params }, details: "fetch failed" });
            }
            if (rpc.hold && method === "eth_call") await new Promise<void>((resume) => rpc.held.push(resume));
            return await upstream.request({ method, params } as never);
          } finally {
            rpc.done++;
          }
        },
      },
      { retryCount: 0 },
    ),
  }) as SignallingServiceOptions["client"];
});

after(async () => {
  rpc.release();
  await Promise.all(services.map((service) => service.close()));
  await chain?.stop();
});

describe("rooms that survive real fans", () => {
  test("8 fans join at once and the artist answers each with an offer and 20 candidates: nobody is cut off", async () => {
    const service = await start(); // the default rate limits
    const streamId = await newSession("Together");
    const artist = await artistOf(service, streamId);
    const fans = await Promise.all([...Array(8)].map(() => rawClient(service, randomAddress())));
    const joined = await Promise.all(fans.map((fan) => fan.request({ t: "join", streamId: streamId.toString() })));
    assert.deepEqual(
      joined.map((reply) => reply.t),
      Array(8).fill("joined"),
    );
    await until(() => of(artist, "fan-joined").length === 8, "8 fan-joined");
    // What a browser does when 8 fans arrive together: one offer and a burst of ICE candidates per fan.
    for (const { peerId } of of(artist, "fan-joined")) {
      artist.send({ t: "signal", to: peerId, data: { sdp: { type: "offer", sdp: "v=0" } } });
      for (let i = 0; i < 20; i++) {
        artist.send({ t: "signal", to: peerId, data: { candidate: { candidate: `candidate:${i}`, sdpMid: "0" } } });
      }
    }
    for (const fan of fans) await until(() => of(fan, "signal").length === 21, "every offer and candidate");
    // Each fan answers with its own candidates, within a fan's budget.
    for (const fan of fans) {
      fan.send({ t: "signal", to: "artist", data: { sdp: { type: "answer", sdp: "v=0" } } });
      for (let i = 0; i < 20; i++) fan.send({ t: "signal", to: "artist", data: { candidate: null } });
    }
    await until(() => of(artist, "signal").length === 8 * 21, "every answer and candidate");
    assert.equal(artist.socket.readyState, WebSocket.OPEN);
    assert.equal(of(artist, "error").length, 0);
    assert.equal(roomOf(service, streamId)?.fans, 8);
    for (const client of [artist, ...fans]) client.socket.close();
  });

  test("join-then-drop sockets leave no ghost seat and do not inflate the peak", async () => {
    const service = await start();
    const streamId = await newSession("Ghosts");
    const artist = await artistOf(service, streamId);
    const droppers = await Promise.all([...Array(12)].map(() => rawClient(service, randomAddress())));
    const calls = rpc.count("eth_call");
    rpc.hold = true; // each licence read waits until every socket has gone
    for (const fan of droppers) fan.send({ t: "join", id: 1, streamId: streamId.toString() });
    await until(() => rpc.held.length === 12, "12 licence reads in flight");
    for (const fan of droppers) fan.socket.terminate();
    await Promise.all(droppers.map((fan) => fan.closed));
    const health = async () => (await fetch(`${service.url.replace("ws", "http")}/health`)).json();
    for (let i = 0; (await health()).connections > 1; i++) {
      assert.ok(i < 500, "the service saw the sockets close");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    rpc.release();
    await readsSettled();
    assert.equal(rpc.count("eth_call") - calls, 12);
    assert.deepEqual(
      { fans: roomOf(service, streamId)?.fans, peak: roomOf(service, streamId)?.peak },
      { fans: 0, peak: 0 },
    );
    assert.equal(of(artist, "fan-joined").length, 0, "the artist never offered to a ghost");
    // Real fans still get every seat.
    const fans = await Promise.all([...Array(8)].map(() => rawClient(service, randomAddress())));
    for (const fan of fans) assert.equal((await fan.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    assert.deepEqual(
      { fans: roomOf(service, streamId)?.fans, peak: roomOf(service, streamId)?.peak },
      { fans: 8, peak: 8 },
    );
    for (const client of [artist, ...fans]) client.socket.close();
  });

  test("one wallet on 8 sockets holds one seat: each newer socket replaces the older one", async () => {
    const service = await start();
    const streamId = await newSession("One seat");
    const artist = await artistOf(service, streamId);
    const wallet = randomAddress();
    const sockets = await Promise.all([...Array(8)].map(() => rawClient(service, wallet)));
    for (const socket of sockets) {
      assert.equal((await socket.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    }
    const codes = await Promise.all(sockets.slice(0, 7).map(async (socket) => (await socket.closed).code));
    assert.deepEqual(codes, Array(7).fill(4002));
    assert.equal(sockets[7]!.socket.readyState, WebSocket.OPEN);
    assert.equal(roomOf(service, streamId)?.fans, 1);
    await until(() => of(artist, "fan-left").length === 7, "7 fan-left");
    assert.equal(of(artist, "viewers").at(-1)?.peak, 1);
    // Another wallet still finds a free seat.
    const other = await rawClient(service, randomAddress());
    assert.equal((await other.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    assert.equal(roomOf(service, streamId)?.fans, 2);
    for (const client of [artist, sockets[7]!, other]) client.socket.close();
  });

  test("join churn is rate-limited per wallet and per IP (X-Forwarded-For behind a trusted proxy)", async () => {
    const service = await start({
      trustProxy: true,
      joinRateLimit: { perWallet: { max: 5, windowMs: 60_000 }, perIp: { max: 12, windowMs: 60_000 } },
    });
    const streamId = await newSession("Churn");
    const artist = await artistOf(service, streamId);
    const churner = await rawClient(service, randomAddress(), { "x-forwarded-for": "203.0.113.1" });
    const replies: string[] = [];
    for (let i = 0; i < 20; i++) {
      const reply = await churner.request({ t: "join", streamId: streamId.toString() });
      replies.push(reply.t === "error" ? reply.code! : reply.t);
      await churner.request({ t: "leave" });
    }
    assert.deepEqual(replies, [...Array(5).fill("joined"), ...Array(15).fill("rate-limited")]);
    const limited = of(churner, "error").find((m) => m.code === "rate-limited")!;
    assert.ok((limited as { retryAfterSeconds?: number }).retryAfterSeconds! >= 1);
    assert.equal(of(artist, "fan-joined").length, 5, "the artist saw 5 joins, not 20");

    // Many wallets from one address: 12 joins, then refused; another address is unaffected.
    const crowd = await Promise.all(
      [...Array(14)].map(() => rawClient(service, randomAddress(), { "x-forwarded-for": "198.51.100.9" })),
    );
    const outcomes: string[] = [];
    for (const fan of crowd) {
      const reply = await fan.request({ t: "join", streamId: streamId.toString() });
      outcomes.push(reply.t === "error" ? reply.code! : reply.t);
      await fan.request({ t: "leave" });
    }
    assert.deepEqual(outcomes, [...Array(12).fill("joined"), "rate-limited", "rate-limited"]);
    const elsewhere = await rawClient(service, randomAddress(), { "x-forwarded-for": "192.0.2.77" });
    assert.equal((await elsewhere.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    for (const client of [artist, churner, elsewhere, ...crowd]) client.socket.close();
  });

  test("a frozen client (no pongs) loses its seat; a live one keeps it", async () => {
    const service = await start({ pingIntervalMs: 250, idleTimeoutMs: 5_000 });
    const streamId = await newSession("Frozen");
    const artist = await artistOf(service, streamId);
    const [frozen, alive] = await Promise.all([
      rawClient(service, randomAddress()),
      rawClient(service, randomAddress()),
    ]);
    for (const fan of [frozen, alive]) {
      assert.equal((await fan.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    }
    frozen.socket.pause(); // like a SIGSTOPped browser: nothing is read, so no ping is answered
    await until(() => of(artist, "fan-left").length === 1, "the frozen fan to lose its seat", 60_000);
    assert.equal(roomOf(service, streamId)?.fans, 1);
    // The artist and the other fan answered every ping meanwhile and are still there.
    assert.equal(artist.socket.readyState, WebSocket.OPEN);
    assert.equal(alive.socket.readyState, WebSocket.OPEN);
    assert.equal((await alive.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    frozen.socket.terminate();
    for (const client of [artist, alive]) client.socket.close();
  });

  test("cheap checks before chain reads, and chain reads shared per (wallet, session, block)", async () => {
    const service = await start({ maxFansPerRoom: 2 });
    const streamId = await newSession("Cheap");
    // The publish flood: one sign-in on 50 sockets, each publishing 10 times.
    const publishCalls = rpc.count("eth_call");
    const artistAddress = chain.wallet(KEYS.artist).account.address;
    const flood = await Promise.all([...Array(50)].map(() => rawClient(service, artistAddress)));
    for (const socket of flood)
      for (let i = 0; i < 10; i++) socket.send({ t: "publish", id: 100 + i, streamId: streamId.toString() });
    await until(() => flood.every((socket) => socket.messages.some((m) => m.id === 109)), "500 publish replies");
    await readsSettled();
    const floodReads = rpc.count("eth_call") - publishCalls;
    console.log(
      `publish flood (50 sockets × 10): ${floodReads} eth_call, ${rpc.count("eth_blockNumber")} block reads so far`,
    );
    assert.ok(floodReads <= 3, `the flood cost ${floodReads} contract reads`);
    const artist = flood.at(-1)!;
    for (const socket of flood.slice(0, -1)) socket.socket.close();
    assert.equal((await artist.request({ t: "publish", streamId: streamId.toString() })).t, "published");

    const [fan1, fan2, late] = await Promise.all([0, 1, 2].map(() => rawClient(service, randomAddress())));
    for (const fan of [fan1!, fan2!])
      assert.equal((await fan.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    await readsSettled();
    const calls = rpc.count("eth_call");
    // Already joined: answered without a read. Room full: refused without a read, with the cap.
    assert.equal((await fan1!.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    const full = await late!.request({ t: "join", streamId: streamId.toString() });
    assert.equal(full.t === "error" && full.code, "room-full");
    assert.equal(full.maxFans, 2);
    await readsSettled();
    assert.equal(rpc.count("eth_call"), calls, "no chain read for a rejoin or a full room");
    // The typed client error carries the cap too.
    const typed = await connectSignalling({
      url: service.url,
      token: sessions.createToken({ address: randomAddress(), chainId: 31337 }),
    });
    const refused = await typed.request({ t: "join", streamId: streamId.toString() }).catch((error: unknown) => error);
    assert.ok(refused instanceof RoomFullError);
    assert.equal(refused.maxFans, 2);
    typed.close();
    for (const client of [artist, fan1!, fan2!, late!]) client.socket.close();
  });

  test("an RPC failure reaches clients as a generic `unavailable`: no URL, key or stack (nor in /health)", async () => {
    const logged: string[] = [];
    const service = await start({ onError: (entry) => logged.push(JSON.stringify(entry)) });
    const streamId = await newSession("Outage");
    const artist = await artistOf(service, streamId);
    const other = await newSession("Outage 2");
    rpc.broken = true;
    try {
      const fan = await rawClient(service, randomAddress());
      const join = await fan.request({ t: "join", streamId: streamId.toString() });
      const publish = await artist.request({ t: "publish", streamId: other.toString() });
      const typed = await connectSignalling({
        url: service.url,
        token: sessions.createToken({ address: randomAddress(), chainId: 31337 }),
      });
      const error = await typed.request({ t: "join", streamId: streamId.toString() }).catch((e: unknown) => e);
      typed.close();
      const health = await (await fetch(`${service.url.replace("ws", "http")}/health`)).text();
      for (const reply of [join, publish]) assert.equal(reply.t === "error" && reply.code, "unavailable");
      assert.ok(error instanceof SignallingError && error.code === "unavailable");
      const seen = JSON.stringify([...fan.messages, ...artist.messages, (error as Error).message, health]);
      for (const secret of ["rpc.example.net", "SECRET-API-KEY", "https://", "fetch failed", "    at "]) {
        assert.ok(!seen.includes(secret), `a client saw "${secret}": ${seen}`);
      }
      assert.ok(
        logged.some((line) => line.includes("SECRET-API-KEY")),
        "the operator's log has the detail",
      );
      fan.socket.close();
    } finally {
      rpc.broken = false;
    }
    const recovered = await artist.request({ t: "publish", streamId: other.toString() });
    assert.equal(recovered.t, "published", JSON.stringify(recovered));
    artist.socket.close();
  });

  test("the SIWE domain and uri are configurable and checked", async () => {
    const service = await start({ domain: "signal.example.org", uri: "https://signal.example.org" });
    const wallet = chain.wallet(KEYS.fan1);
    const attempt = (options: { domain?: string; uri?: string }) =>
      connectSignalling({ url: service.url, wallet, ...options }).then(
        (connection) => (connection.close(), "authed"),
        (error: SignallingError) => error.code,
      );
    assert.equal(await attempt({}), "auth-failed", "the listening host:port is not the configured domain");
    assert.equal(await attempt({ domain: "signal.example.org", uri: "https://evil.example" }), "auth-failed");
    assert.equal(await attempt({ domain: "signal.example.org", uri: "http://signal.example.org" }), "auth-failed");
    assert.equal(await attempt({ domain: "evil.example", uri: "https://signal.example.org" }), "auth-failed");
    assert.equal(await attempt({ domain: "signal.example.org", uri: "https://signal.example.org" }), "authed");
    // Without a configured uri, the uri must still name the domain.
    const plain = await start();
    const host = new URL(plain.url).host;
    const onPlain = (uri: string) =>
      connectSignalling({ url: plain.url, wallet, uri }).then(
        (connection) => (connection.close(), "authed"),
        (error: SignallingError) => error.code,
      );
    assert.equal(await onPlain("https://evil.example"), "auth-failed");
    assert.equal(await onPlain(`http://${host}`), "authed");
  });

  test("re-signing in as another wallet mid-room is refused", async () => {
    const service = await start();
    const streamId = await newSession("Who");
    const artist = await artistOf(service, streamId);
    const [first, second] = [randomAddress(), randomAddress()];
    const fan = await rawClient(service, first);
    assert.equal((await fan.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    const again = await fan.request({ t: "auth", token: sessions.createToken({ address: second, chainId: 31337 }) });
    assert.equal(again.t === "error" && again.code, "forbidden");
    const same = await fan.request({ t: "auth", token: sessions.createToken({ address: first, chainId: 31337 }) });
    assert.equal(same.t, "authed", "refreshing the same wallet's token is fine");
    assert.equal(of(artist, "fan-joined").at(-1)?.address, first);
    // Still seated as the first wallet: a rejoin is a no-op, and the second wallet holds no seat.
    assert.equal((await fan.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    assert.equal(roomOf(service, streamId)?.fans, 1);
    for (const client of [artist, fan]) client.socket.close();
  });

  test("signals are relayed with their known fields only", async () => {
    const service = await start();
    const streamId = await newSession("Whitelist");
    const artist = await artistOf(service, streamId);
    const fan = await rawClient(service, randomAddress());
    const { peerId } = (await fan.request({ t: "join", streamId: streamId.toString() })) as { peerId: string };
    fan.send({
      t: "signal",
      to: "artist",
      from: "artist",
      address: "0x0000000000000000000000000000000000000001",
      data: { sdp: { type: "answer", sdp: "v=0", html: "<img onerror=alert(1)>" }, extra: { big: "x".repeat(100) } },
    });
    fan.send({
      t: "signal",
      to: "artist",
      data: {
        candidate: { candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "u", evil: true },
      },
    });
    artist.send({ t: "signal", to: peerId, data: { sdp: { type: "offer", sdp: "v=0", note: "x" }, more: 1 } });
    await until(() => of(artist, "signal").length === 2 && of(fan, "signal").length === 1, "relayed signals");
    assert.deepEqual(of(artist, "signal"), [
      { t: "signal", from: peerId, data: { sdp: { type: "answer", sdp: "v=0" } } },
      {
        t: "signal",
        from: peerId,
        data: { candidate: { candidate: "candidate:1", sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "u" } },
      },
    ]);
    assert.deepEqual(of(fan, "signal"), [
      { t: "signal", from: "artist", data: { sdp: { type: "offer", sdp: "v=0" } } },
    ]);
    const bad = await fan.request({ t: "signal", to: "artist", data: { sdp: { type: "answer", sdp: 42 } } });
    assert.equal(bad.t === "error" && bad.code, "bad-request");
    for (const client of [artist, fan]) client.socket.close();
  });

  test("log lines are rate-limited: a flood of bad frames writes a few lines and counts the rest", async () => {
    const lines: { suppressed?: number }[] = [];
    const service = await start({ logRateLimit: { perSecond: 1, burst: 5 }, onError: (line) => lines.push(line) });
    const sockets = await Promise.all([...Array(20)].map(() => rawClient(service)));
    for (const socket of sockets) for (let i = 0; i < 10; i++) socket.socket.send("{not json");
    for (const socket of sockets) {
      await until(() => of(socket, "error").length === 10, "200 bad-request replies");
    }
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // one more token, so the next line reports the count
    sockets[0]!.socket.send("{not json");
    await until(() => lines.some((line) => (line.suppressed ?? 0) > 0), "a line counting the suppressed ones");
    assert.ok(lines.length < 50, `${lines.length} log lines for 201 refusals`);
    for (const socket of sockets) socket.socket.close();
  });

  test("the CLI takes --domain and --uri, and finds the repository's deployment file from services/", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "signal-cli-"));
    const file = path.join(dir, "31337.json");
    writeFileSync(file, JSON.stringify(chain.deployment));
    const cli = path.join(ROOT, "services/src/cli.ts");
    const run = (args: string[]) => {
      const child = spawn(process.execPath, [cli, "serve", "signal", "--rpc", chain.rpcUrl, ...args], {
        cwd: path.join(ROOT, "services"),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      return { child, exited, output: () => output };
    };
    const port = await freePort();
    const origin = ["--domain", "signal.example.org", "--uri", "https://signal.example.org"];
    const cliService = run(["--deployment", file, "--port", String(port), ...origin]);
    try {
      await until(() => cliService.output().includes("signalling on"), "the CLI to listen", 30_000);
      const url = `ws://127.0.0.1:${port}`;
      const wallet = chain.wallet(KEYS.fan2);
      const ok = await connectSignalling({
        url,
        wallet,
        domain: "signal.example.org",
        uri: "https://signal.example.org",
      });
      assert.equal(ok.address, wallet.account.address);
      ok.close();
      const refused = await connectSignalling({ url, wallet }).catch((error: SignallingError) => error);
      assert.equal((refused as SignallingError).code, "auth-failed");
    } finally {
      cliService.child.kill("SIGTERM");
      await cliService.exited;
    }
    // No --deployment: the repository's deployments/31337.json, whatever the working directory.
    const repositoryFile = path.join(ROOT, "deployments/31337.json");
    if (!existsSync(repositoryFile)) {
      const missing = run(["--port", String(await freePort())]);
      assert.equal(await missing.exited, 1);
      assert.ok(missing.output().includes(repositoryFile), missing.output());
    }
  });
});

describe("live chat a late joiner can read", () => {
  test("a fan who joins after 3 messages receives them, in order, in `joined`; later lines reach everyone", async () => {
    const service = await start();
    const streamId = await newSession("Chat replay");
    const artist = await artistOf(service, streamId);
    const early = await rawClient(service, randomAddress());
    assert.equal((await early.request({ t: "join", streamId: streamId.toString() })).t, "joined");
    for (const [client, text] of [
      [artist, "doors open"],
      [early, "first!"],
      [artist, "one more song"],
    ] as const) {
      const seen = of(early, "chat").length;
      client.send({ t: "chat", text });
      await until(() => of(early, "chat").length === seen + 1, `"${text}" on the early fan`);
    }
    const late = await rawClient(service, randomAddress());
    const joined = await late.request({ t: "join", streamId: streamId.toString() });
    assert.equal(joined.t, "joined");
    const replayed = (joined as Extract<ServerMessage, { t: "joined" }>).chat ?? [];
    assert.deepEqual(
      replayed.map(({ from, text }) => [from, text]),
      [
        [artist.address, "doors open"],
        [early.address, "first!"],
        [artist.address, "one more song"],
      ],
    );
    assert.ok(replayed.every((line, i) => i === 0 || line.at >= replayed[i - 1]!.at));
    late.send({ t: "chat", text: "hi all", from: artist.address }); // a claimed sender is ignored
    for (const client of [artist, early, late])
      await until(() => of(client, "chat").some((m) => m.text === "hi all"), "relayed");
    assert.equal(of(artist, "chat").find((m) => m.text === "hi all")?.from, late.address);
    // A socket outside the room cannot chat.
    const outsider = await rawClient(service, randomAddress());
    const refused = await outsider.request({ t: "chat", text: "let me in" });
    assert.equal(refused.t === "error" && refused.code, "unknown-room");
    for (const client of [artist, early, late, outsider]) client.socket.close();
  });

  test("the history is bounded by count and bytes, and cleared when the room closes", async () => {
    const service = await start({ chatHistory: { count: 5, bytes: 1_000 } });
    const streamId = await newSession("Chat bounds");
    const artist = await artistOf(service, streamId);
    for (let i = 0; i < 20; i++) artist.send({ t: "chat", text: `line ${i}` });
    await until(() => of(artist, "chat").length === 20, "20 lines echoed");
    assert.deepEqual(roomOf(service, streamId)?.chat.messages, 5);
    const fan = await rawClient(service, randomAddress());
    const joined = (await fan.request({ t: "join", streamId: streamId.toString() })) as Extract<
      ServerMessage,
      { t: "joined" }
    >;
    assert.deepEqual(
      joined.chat?.map((line) => line.text),
      ["line 15", "line 16", "line 17", "line 18", "line 19"],
    );
    // Long lines (500 characters, up to 4 bytes each): the byte bound holds whatever the count.
    for (let i = 0; i < 10; i++) artist.send({ t: "chat", text: "é".repeat(499) + i });
    await until(() => of(artist, "chat").length === 30, "long lines echoed");
    const { chat } = roomOf(service, streamId)!;
    assert.ok(chat.bytes <= 1_000 && chat.messages === 1, JSON.stringify(chat));
    artist.socket.close();
    await until(() => roomOf(service, streamId) === undefined, "room closed");
    const again = await artistOf(service, streamId);
    assert.deepEqual(roomOf(service, streamId)?.chat, { messages: 0, bytes: 0 });
    again.socket.close();
    fan.socket.close();
  });
});

describe("the room's audience (fans who watch through the SFU)", () => {
  test("beyond the mesh cap a fan joins as audience: chat both ways and a viewer count, no peer with the artist", async () => {
    const service = await start({ maxFansPerRoom: 1, maxAudiencePerRoom: 2 });
    const streamId = await newSession("Audience");
    const key = streamId.toString();
    const artist = await artistOf(service, streamId);
    const meshFan = await rawClient(service, randomAddress());
    assert.equal((await meshFan.request({ t: "join", streamId: key })).t, "joined");
    const member = await rawClient(service, randomAddress());
    const full = await member.request({ t: "join", streamId: key });
    assert.equal(full.t === "error" && full.code, "room-full");

    const joined = await member.request({ t: "join", streamId: key, audience: true });
    assert.deepEqual(joined.t === "joined" && [joined.audience, joined.artist], [true, artist.address]);
    await until(() => of(artist, "viewers").at(-1)?.count === 2, "the artist's count with the audience");
    assert.equal(of(artist, "viewers").at(-1)?.peak, 2);
    assert.equal(of(artist, "fan-joined").length, 1, "only the mesh fan asks the artist for a connection");
    assert.deepEqual(roomOf(service, streamId), { ...roomOf(service, streamId)!, fans: 1, audience: 1 });

    // Chat reaches the audience, and the audience's chat reaches the room.
    artist.send({ t: "chat", text: "hello back row" });
    member.send({ t: "chat", text: "hi from the back" });
    await until(() => of(member, "chat").some((m) => m.text === "hello back row"), "artist → audience");
    for (const client of [artist, meshFan])
      await until(() => of(client, "chat").some((m) => m.text === "hi from the back"), "audience → room");
    // The audience has no connection to the artist to signal on.
    const signal = await member.request({ t: "signal", to: "artist", data: { candidate: null } });
    assert.equal(signal.t === "error" && signal.code, "forbidden");

    // The audience has its own cap, and a rejoin takes no new place.
    assert.equal((await member.request({ t: "join", streamId: key, audience: true })).t, "joined");
    const second = await rawClient(service, randomAddress());
    assert.equal((await second.request({ t: "join", streamId: key, audience: true })).t, "joined");
    const third = await rawClient(service, randomAddress());
    const capped = await third.request({ t: "join", streamId: key, audience: true });
    assert.equal(capped.t === "error" && capped.code, "room-full");
    assert.equal(capped.maxFans, 2);

    // Leaving frees the place and lowers the count; the peak stays.
    member.socket.close();
    await until(() => of(artist, "viewers").at(-1)?.count === 2 && roomOf(service, streamId)?.audience === 1, "leave");
    assert.equal(of(artist, "viewers").at(-1)?.peak, 3);
    assert.equal(of(artist, "fan-left").length, 0);
    assert.equal((await third.request({ t: "join", streamId: key, audience: true })).t, "joined");

    // The room's end reaches the audience too.
    artist.socket.close();
    await until(() => of(second, "room-closed").length === 1 && of(third, "room-closed").length === 1, "room-closed");
    for (const client of [meshFan, second, third]) client.socket.close();
  });
});
