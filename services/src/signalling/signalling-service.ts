/**
 * The `rooms` signalling service: a WebSocket server that authenticates wallets with Sign-In with
 * Ethereum, lets a session's artist open a room, admits fans (on-chain `canWatch`, up to a cap) and
 * relays SDP/ICE between the artist and each fan. Media never touches it: the artist sends one
 * WebRTC stream per fan (a mesh), so rooms are small. Beyond them, fans join as the room's audience
 * (`join` with `audience: true`): they chat and count as viewers, and watch through a relay (an SFU
 * the artist publishes to once), so the artist uploads nothing more for them.
 *
 * Abuse handling: frames over `maxMessageBytes` close the socket (1009); malformed or unknown messages
 * get an `error` reply; each connection has a token bucket — messages past it are dropped with
 * `rate-limited`, and a client that keeps flooding is disconnected (1008). The artist's bucket grows
 * with the room's cap (an offer and a dozen ICE candidates per fan), so fans joining together never
 * make the artist look like a flooder. Unauthenticated sockets are closed after `authTimeoutMs`;
 * every socket is pinged and one that answers nothing for `idleTimeoutMs` is dropped (a frozen
 * client loses its seat). One seat per wallet and room (a newer socket replaces the older one), joins
 * rate-limited per wallet and per IP, cheap checks (room full, already joined) before any chain read,
 * and chain reads shared per (wallet, session, block). Chat goes through the service: a room member's
 * `chat` reaches everyone in the room, and the room keeps its latest messages (at most
 * `chatHistory.count` and `chatHistory.bytes`) for fans who join late — they arrive in `joined`, oldest
 * first — until the session's room closes. Clients never see an internal URL, key or
 * stack: a failed chain read is a generic `unavailable`. Fan signals reach the artist rebuilt from
 * known fields only. Log lines (`onError`) are rate-limited. A failure in one connection never
 * affects another room.
 *
 *   ws://host:port/          the signalling socket (see `protocol.ts`)
 *   GET /health              { ok, service: "signal", rooms, fans, audience, connections, memory }
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Address, type Chain, createPublicClient, http } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { WebSocket, WebSocketServer } from "ws";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import { verifySignIn } from "../../../sdk/src/auth.ts";
import { harmonieChains } from "../../../sdk/src/chains.ts";
import type { Deployment } from "../../../sdk/src/deployments.ts";
import { SignInError } from "../../../sdk/src/errors.ts";
import { closeServer, createHttpHandler, HttpError, listen } from "../http/kernel.ts";
import { createRateLimiter, type RateLimitOptions } from "../http/rate-limit.ts";
import { createLiveAccess } from "../sign-in/live-access.ts";
import { createSessionIssuer, type SessionIssuer } from "../sign-in/sessions.ts";
import type { SignallingErrorCode } from "../../../sdk/src/streaming/errors.ts";
import {
  type ChatEntry,
  type ClientMessage,
  MAX_CHAT_CHARS,
  type ServerMessage,
  type SignalData,
} from "../../../sdk/src/streaming/protocol.ts";

export interface SignallingServiceOptions {
  deployment: Deployment;
  /** A client for the deployment's chain (reads only); or pass `rpcUrl`. */
  client?: HarmonieClient;
  rpcUrl?: string;
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  /**
   * The host sign-in messages must name: the public host clients connect to (behind a proxy,
   * e.g. `signal.example.org`). `<host>:<port>` by default.
   */
  domain?: string;
  /**
   * The origin sign-in messages must name as `uri` (e.g. `https://signal.example.org`). By default
   * any `http:` or `https:` origin on `domain`.
   */
  uri?: string;
  /** Most fans per room (the artist uploads once per fan). Default 8. */
  maxFansPerRoom?: number;
  /**
   * Most audience members per room: fans who joined with `audience: true` to chat while they watch
   * through a relay (an SFU), so the artist uploads nothing for them. Default 500.
   */
  maxAudiencePerRoom?: number;
  /** STUN/TURN servers handed to clients in `welcome`. */
  iceServers?: RTCIceServer[];
  sessions?: SessionIssuer;
  /** Largest accepted frame; larger ones close the socket with 1009. Default 16 KiB. */
  maxMessageBytes?: number;
  /** Token bucket per connection: sustained messages per second (default 20) and burst (default 40). */
  rateLimit?: { perSecond: number; burst: number };
  /** The artist's bucket once publishing. Default: `rateLimit` × (`maxFansPerRoom` + 1). */
  artistRateLimit?: { perSecond: number; burst: number };
  /** Dropped messages after which a flooding client is disconnected. Default 50. */
  floodStrikes?: number;
  /** Sockets that have not signed in by then are closed. Default 30 s. */
  authTimeoutMs?: number;
  /** How often every socket is pinged. Default 10 s. */
  pingIntervalMs?: number;
  /** A socket that answers no ping and sends nothing for this long is dropped (and its seat freed). Default 30 s. */
  idleTimeoutMs?: number;
  /** Joins per wallet (default 10 a minute) and per IP address (default 120 a minute). */
  joinRateLimit?: { perWallet?: RateLimitOptions; perIp?: RateLimitOptions };
  /** Take the client IP from `X-Forwarded-For` (behind a reverse proxy you run). Default false. */
  trustProxy?: boolean;
  /** How long a read block number is reused for the chain-read cache. Default 1 s. */
  blockCacheMs?: number;
  /** The chat a late joiner reads: latest messages kept per room, by count (default 50) and UTF-8 bytes of text (default 32 KiB). */
  chatHistory?: { count?: number; bytes?: number };
  /** Log lines (`onError` calls) per second and burst; the rest are counted as `suppressed`. Default 5 and 20. */
  logRateLimit?: { perSecond: number; burst: number };
  /**
   * Called for each refused or failed message (logging), at most `logRateLimit`; `suppressed` counts
   * the lines dropped since the previous call. `detail` is for the operator only (e.g. an RPC error).
   */
  onError?: (error: {
    code: SignallingErrorCode;
    message: string;
    address?: Address;
    detail?: string;
    suppressed?: number;
  }) => void;
}

export interface SignallingService {
  /** `ws://host:port`. */
  url: string;
  port: number;
  /** Live rooms and their fan counts. */
  rooms(): {
    streamId: string;
    artist: Address;
    fans: number;
    audience: number;
    peak: number;
    chat: { messages: number; bytes: number };
  }[];
  close(): Promise<void>;
}

interface Connection {
  socket: WebSocket;
  peerId: string;
  nonce: string;
  ip: string;
  address?: Address;
  room?: Room;
  /** A fan has a peer connection with the artist (the mesh); an audience member only chats (video from a relay). */
  role?: "artist" | "fan" | "audience";
  tokens: number;
  refilledAt: number;
  strikes: number;
  warned: boolean;
  lastSeen: number;
  closed: boolean;
  queue: Promise<void>;
}

interface Room {
  streamId: string;
  artist: Connection;
  /** Everyone in the room but the artist, by peer id; each connection's `role` says fan or audience. */
  members: Map<string, Connection>;
  /** The member connection holding each wallet's seat (lowercase address). */
  seats: Map<string, Connection>;
  peak: number;
  /** The latest chat, oldest first, and the UTF-8 bytes of its texts. */
  chat: ChatEntry[];
  chatBytes: number;
}

/** Members of a room in one role (a room holds at most `maxFans` + `maxAudience`: counting is cheap). */
const countOf = (room: Room, role: "fan" | "audience") => {
  let count = 0;
  for (const member of room.members.values()) if (member.role === role) count++;
  return count;
};

type ErrorDetails = { maxFans?: number; retryAfterSeconds?: number };

class Refusal extends Error {
  readonly code: SignallingErrorCode;
  readonly details: ErrorDetails;
  constructor(code: SignallingErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** What a client sees when a chain read fails: no URL, key or stack. */
const UNAVAILABLE = "The live service cannot read the chain right now. Try again in a moment.";

const lower = (address: string) => address.toLowerCase();

/** A relayed signal rebuilt from the fields WebRTC needs, so nothing else reaches the other side. */
function cleanSignal(data: unknown): SignalData {
  const bad = () => new Refusal("bad-request", "signal data must hold sdp { type, sdp } or candidate.");
  if (typeof data !== "object" || data === null) throw bad();
  if ("sdp" in data) {
    const sdp = (data as { sdp?: unknown }).sdp as { type?: unknown; sdp?: unknown } | null;
    if (typeof sdp !== "object" || sdp === null || typeof sdp.sdp !== "string") throw bad();
    if (sdp.type !== "offer" && sdp.type !== "answer") throw bad();
    return { sdp: { type: sdp.type, sdp: sdp.sdp } };
  }
  if ("candidate" in data) {
    const candidate = (data as { candidate?: unknown }).candidate as Record<string, unknown> | null;
    if (candidate === null) return { candidate: null };
    if (typeof candidate !== "object" || typeof candidate.candidate !== "string") throw bad();
    return {
      candidate: {
        candidate: candidate.candidate,
        sdpMid: typeof candidate.sdpMid === "string" ? candidate.sdpMid : null,
        sdpMLineIndex: typeof candidate.sdpMLineIndex === "number" ? candidate.sdpMLineIndex : null,
        ...(typeof candidate.usernameFragment === "string" ? { usernameFragment: candidate.usernameFragment } : {}),
      },
    };
  }
  throw bad();
}

/**
 * Starts the signalling service on 127.0.0.1 (by default) and resolves once it listens.
 *
 * @example
 * const service = await startSignallingService({ rpcUrl: "http://127.0.0.1:8545", deployment, port: 8791 });
 * console.log(service.url); // ws://127.0.0.1:8791
 * await service.close();
 */
export async function startSignallingService(options: SignallingServiceOptions): Promise<SignallingService> {
  if (!options.client && !options.rpcUrl) throw new Error("startSignallingService needs `client` or `rpcUrl`.");
  const client =
    options.client ??
    (createPublicClient({
      chain: harmonieChains[options.deployment.chainId] as Chain | undefined,
      transport: http(options.rpcUrl),
    }) as HarmonieClient);
  const { deployment } = options;
  const sessions = options.sessions ?? createSessionIssuer();
  const maxFans = options.maxFansPerRoom ?? 8;
  const maxAudience = options.maxAudiencePerRoom ?? 500;
  const maxMessageBytes = options.maxMessageBytes ?? 16 * 1024;
  const fanLimit = options.rateLimit ?? { perSecond: 20, burst: 40 };
  const artistLimit = options.artistRateLimit ?? {
    perSecond: fanLimit.perSecond * (maxFans + 1),
    burst: fanLimit.burst * (maxFans + 1),
  };
  const floodStrikes = options.floodStrikes ?? 50;
  const authTimeoutMs = options.authTimeoutMs ?? 30_000;
  const pingIntervalMs = options.pingIntervalMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const chatCount = options.chatHistory?.count ?? 50;
  const chatBytes = options.chatHistory?.bytes ?? 32 * 1024;
  const walletJoins = createRateLimiter(options.joinRateLimit?.perWallet ?? { max: 10, windowMs: 60_000 });
  const ipJoins = createRateLimiter(options.joinRateLimit?.perIp ?? { max: 120, windowMs: 60_000 });
  const iceServers = options.iceServers ?? [];
  const host = options.host ?? "127.0.0.1";
  const access = createLiveAccess({ client, deployment, blockCacheMs: options.blockCacheMs });
  const rooms = new Map<string, Room>();
  const connections = new Set<Connection>();
  let domain = options.domain ?? "";
  const expectedOrigin = options.uri ? new URL(options.uri).origin : undefined;

  // Log lines: a token bucket shared by the whole service, so a flood writes a few lines, not one per frame.
  const logLimit = options.logRateLimit ?? { perSecond: 5, burst: 20 };
  let logTokens = logLimit.burst;
  let logRefilledAt = Date.now();
  let suppressed = 0;
  const log = (entry: { code: SignallingErrorCode; message: string; address?: Address; detail?: string }) => {
    if (!options.onError) return;
    const now = Date.now();
    logTokens = Math.min(logLimit.burst, logTokens + ((now - logRefilledAt) / 1000) * logLimit.perSecond);
    logRefilledAt = now;
    if (logTokens < 1) {
      suppressed += 1;
      return;
    }
    logTokens -= 1;
    const dropped = suppressed;
    suppressed = 0;
    options.onError(dropped ? { ...entry, suppressed: dropped } : entry);
  };

  /** A failed chain read, logged in full for the operator and generic for the client. */
  const chainFailure = (conn: Connection, error: unknown) => {
    log({ code: "unavailable", message: "chain read failed", address: conn.address, detail: String(error) });
    return new Refusal("unavailable", UNAVAILABLE);
  };

  const send = (conn: Connection, message: ServerMessage) => {
    if (conn.socket.readyState === WebSocket.OPEN) conn.socket.send(JSON.stringify(message));
  };
  /** Everyone watching: the mesh's fans and the relay's audience (the peak is what the session records on chain). */
  const viewers = (room: Room) => {
    const count = room.members.size;
    room.peak = Math.max(room.peak, count);
    send(room.artist, { t: "viewers", count, peak: room.peak });
  };

  function leave(conn: Connection) {
    const room = conn.room;
    if (!room) return;
    conn.room = undefined;
    if (conn.role === "artist" && room.artist === conn) {
      rooms.delete(room.streamId);
      for (const member of room.members.values()) {
        member.room = undefined;
        member.role = undefined;
        send(member, { t: "room-closed", streamId: room.streamId });
      }
    } else if (room.members.delete(conn.peerId)) {
      if (conn.address && room.seats.get(lower(conn.address)) === conn) room.seats.delete(lower(conn.address));
      if (conn.role === "fan") send(room.artist, { t: "fan-left", peerId: conn.peerId });
      viewers(room);
    }
    conn.role = undefined;
  }

  const streamIdOf = (value: unknown): bigint => {
    if (typeof value !== "string" || !/^\d{1,78}$/.test(value)) {
      throw new Refusal("bad-request", "streamId must be a decimal string.");
    }
    return BigInt(value);
  };
  const requireAuth = (conn: Connection): Address => {
    if (!conn.address) throw new Refusal("auth-required", "Sign in first: send { t: 'auth', message, signature }.");
    return conn.address;
  };
  const signedInAs = (conn: Connection, address: Address) => {
    if (conn.address && lower(conn.address) !== lower(address)) {
      throw new Refusal(
        "forbidden",
        `This connection is signed in as ${conn.address}: open a new connection to sign in as another wallet.`,
      );
    }
    conn.address = address;
  };

  /** The checks that need no chain read; run before the read and again after it. */
  const seatCheck = (conn: Connection, address: Address, key: string, role: "fan" | "audience"): Room => {
    const room = rooms.get(key);
    if (!room) throw new Refusal("unknown-room", `No artist is live in room ${key}.`);
    if (room.artist === conn || lower(room.artist.address ?? "") === lower(address)) {
      throw new Refusal("forbidden", "The artist cannot join their own room as a fan.");
    }
    // A rejoin, or a replacement of the wallet's seat of the same kind, takes no new seat.
    const holder = conn.room === room ? conn : room.seats.get(lower(address));
    if (holder?.role === role) return room;
    if (role === "fan" && countOf(room, "fan") >= maxFans) {
      throw new Refusal("room-full", `Room ${key} is full (${maxFans} fans). Try again later.`, { maxFans });
    }
    if (role === "audience" && countOf(room, "audience") >= maxAudience) {
      throw new Refusal("room-full", `Room ${key}'s audience is full (${maxAudience}). Try again later.`, {
        maxFans: maxAudience,
      });
    }
    return room;
  };

  async function handle(conn: Connection, msg: ClientMessage): Promise<ServerMessage | undefined> {
    switch (msg.t) {
      case "auth": {
        if ("token" in msg && typeof msg.token === "string") {
          let address: Address;
          try {
            address = sessions.verifyToken(msg.token).address;
          } catch (error) {
            throw new Refusal("auth-failed", error instanceof SignInError ? error.message : "Invalid session token.");
          }
          signedInAs(conn, address);
          return { t: "authed", address, token: msg.token };
        }
        if (!("message" in msg) || typeof msg.message !== "string" || typeof msg.signature !== "string") {
          throw new Refusal("bad-request", "auth needs { message, signature } or { token }.");
        }
        let fields: ReturnType<typeof parseSiweMessage>;
        try {
          fields = parseSiweMessage(msg.message);
        } catch {
          throw new Refusal("auth-failed", "The message is not a Sign-In with Ethereum message.");
        }
        const nonce = fields.nonce ?? "";
        if (nonce !== conn.nonce || !sessions.consumeNonce(nonce)) {
          throw new Refusal("auth-failed", "Unknown or reused nonce: sign the nonce from this connection's welcome.");
        }
        if (fields.domain !== domain) {
          throw new Refusal("auth-failed", "The sign-in message names another domain than this service's.");
        }
        if (!uriAccepted(fields.uri)) {
          throw new Refusal("auth-failed", "The sign-in message names another uri than this service's.");
        }
        if (fields.address && conn.address) signedInAs(conn, fields.address);
        try {
          const { address, chainId } = await verifySignIn(client, {
            message: msg.message,
            signature: msg.signature,
            domain,
            nonce,
          });
          signedInAs(conn, address);
          return { t: "authed", address, token: sessions.createToken({ address, chainId }) };
        } catch (error) {
          if (error instanceof Refusal) throw error;
          if (error instanceof SignInError) {
            if (error.cause) log({ code: "auth-failed", message: error.message, detail: String(error.cause) });
            throw new Refusal("auth-failed", error.message);
          }
          throw chainFailure(conn, error);
        }
      }
      case "publish": {
        const address = requireAuth(conn);
        const streamId = streamIdOf(msg.streamId);
        const key = streamId.toString();
        if (conn.role === "artist" && conn.room === rooms.get(key)) return { t: "published", streamId: key, maxFans };
        const decision = await access.mayPublish(address, streamId).catch((error) => {
          throw chainFailure(conn, error.cause ?? error);
        });
        if (conn.closed) return undefined;
        if (!decision.allowed) {
          if (decision.reason === "unknown-session")
            throw new Refusal("unknown-room", `No on-chain session ${streamId}.`);
          if (decision.reason === "not-artist")
            throw new Refusal(
              "not-artist",
              `Only the session's artist (${decision.artist}) may publish to ${streamId}.`,
            );
          throw new Refusal("not-artist", `Session ${streamId} is closed.`);
        }
        const existing = rooms.get(key);
        // The artist reconnected: the session's chat stays (its fans were told the room closed).
        const carried =
          existing && existing.artist !== conn ? { chat: existing.chat, chatBytes: existing.chatBytes } : undefined;
        if (existing && existing.artist !== conn) leave(existing.artist);
        leave(conn);
        const room: Room = {
          streamId: key,
          artist: conn,
          members: new Map(),
          seats: new Map(),
          peak: 0,
          chat: carried?.chat ?? [],
          chatBytes: carried?.chatBytes ?? 0,
        };
        rooms.set(key, room);
        conn.room = room;
        conn.role = "artist";
        conn.tokens = artistLimit.burst; // the artist's budget starts full: fans may all arrive at once
        return { t: "published", streamId: key, maxFans };
      }
      case "join": {
        const address = requireAuth(conn);
        const streamId = streamIdOf(msg.streamId);
        const key = streamId.toString();
        const role = msg.audience === true ? "audience" : "fan";
        let room = seatCheck(conn, address, key, role);
        const joined = (room: Room): ServerMessage => ({
          t: "joined",
          streamId: key,
          peerId: conn.peerId,
          artist: room.artist.address!,
          chat: [...room.chat],
          ...(role === "audience" ? { audience: true } : {}),
        });
        if (conn.room === room && conn.role === role) return joined(room);
        for (const [limiter, who, what] of [
          [walletJoins, lower(address), "this wallet"],
          [ipJoins, conn.ip, "this address"],
        ] as const) {
          const decision = limiter.take(who);
          if (!decision.allowed) {
            const { retryAfterSeconds } = decision;
            throw new Refusal("rate-limited", `Too many joins from ${what}: try again in ${retryAfterSeconds} s.`, {
              retryAfterSeconds,
            });
          }
        }
        const allowed = await access.mayWatch(address, streamId).catch((error) => {
          throw chainFailure(conn, error.cause ?? error);
        });
        // The socket may have closed, or the room changed, during the chain read.
        if (conn.closed) return undefined;
        room = seatCheck(conn, address, key, role);
        if (!allowed) {
          throw new Refusal("access-denied", `${address} holds no licence for the track gating session ${key}.`);
        }
        const holder = room.seats.get(lower(address));
        if (holder && holder !== conn) {
          leave(holder); // one seat per wallet: the newer socket replaces the older one
          holder.socket.close(4002, "replaced by a newer connection");
        }
        leave(conn);
        room.members.set(conn.peerId, conn);
        room.seats.set(lower(address), conn);
        conn.room = room;
        conn.role = role;
        if (role === "fan") send(room.artist, { t: "fan-joined", peerId: conn.peerId, address });
        viewers(room);
        return joined(room);
      }
      case "chat": {
        const from = requireAuth(conn);
        const room = conn.room;
        if (!room) throw new Refusal("unknown-room", "Join or publish a room before chatting.");
        if (typeof msg.text !== "string" || !msg.text.trim()) throw new Refusal("bad-request", "chat needs a text.");
        const entry: ChatEntry = { from, text: msg.text.slice(0, MAX_CHAT_CHARS), at: Date.now() };
        remember(room, entry);
        const frame: ServerMessage = { t: "chat", streamId: room.streamId, ...entry };
        send(room.artist, frame);
        for (const member of room.members.values()) send(member, frame);
        return undefined;
      }
      case "signal": {
        requireAuth(conn);
        const room = conn.room;
        if (!room) throw new Refusal("unknown-room", "Join or publish a room before signalling.");
        if (conn.role === "audience") {
          throw new Refusal("forbidden", "The audience watches through the relay: it has no connection to the artist.");
        }
        const data = cleanSignal(msg.data);
        if (conn.role === "fan") {
          if ("sdp" in data && data.sdp.type !== "answer") {
            throw new Refusal("forbidden", "Only the artist publishes: fans may only answer.");
          }
          send(room.artist, { t: "signal", from: conn.peerId, data });
        } else {
          const fan = room.members.get(String(msg.to));
          if (fan?.role !== "fan") throw new Refusal("bad-request", "No such fan in this room.");
          send(fan, { t: "signal", from: "artist", data });
        }
        return undefined;
      }
      case "leave":
        leave(conn);
        return { t: "left" };
      default:
        throw new Refusal("bad-request", `Unknown message type ${JSON.stringify((msg as { t?: unknown }).t)}.`);
    }
  }

  /** Keeps a message in the room's history, dropping the oldest past the count or byte bound. */
  function remember(room: Room, entry: ChatEntry) {
    const bytes = Buffer.byteLength(entry.text);
    if (chatCount === 0 || bytes > chatBytes) return;
    room.chat.push(entry);
    room.chatBytes += bytes;
    while (room.chat.length > chatCount || room.chatBytes > chatBytes) {
      room.chatBytes -= Buffer.byteLength(room.chat.shift()!.text);
    }
  }

  function uriAccepted(uri: string | undefined): boolean {
    let url: URL;
    try {
      url = new URL(uri ?? "");
    } catch {
      return false;
    }
    if (expectedOrigin) return url.origin === expectedOrigin;
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === domain;
  }

  /** Token bucket; true when the message may proceed. */
  function admit(conn: Connection): boolean {
    const { perSecond, burst } = conn.role === "artist" ? artistLimit : fanLimit;
    const now = Date.now();
    const refill = ((now - conn.refilledAt) / 1000) * perSecond;
    conn.tokens = Math.min(burst, conn.tokens + refill);
    conn.strikes = Math.max(0, conn.strikes - refill); // strikes fade as the client calms down
    conn.refilledAt = now;
    if (conn.tokens >= 1) {
      conn.tokens -= 1;
      if (conn.strikes === 0) conn.warned = false;
      return true;
    }
    conn.strikes += 1;
    return false;
  }

  const refuse = (conn: Connection, code: SignallingErrorCode, message: string, id?: number, details = {}) => {
    log({ code, message, address: conn.address });
    send(conn, { t: "error", id, code, message, ...details });
  };

  function onMessage(conn: Connection, raw: Buffer, isBinary: boolean) {
    conn.lastSeen = Date.now();
    if (!admit(conn)) {
      if (conn.strikes >= floodStrikes) {
        log({ code: "rate-limited", message: "flood: disconnected", address: conn.address });
        conn.socket.close(1008, "flood");
        return;
      }
      if (!conn.warned) {
        conn.warned = true;
        const { perSecond } = conn.role === "artist" ? artistLimit : fanLimit;
        refuse(conn, "rate-limited", `Slow down: at most ${perSecond} messages per second.`);
      }
      return;
    }
    let msg: ClientMessage;
    try {
      if (isBinary) throw new Error("binary");
      msg = JSON.parse(raw.toString("utf8"));
      if (typeof msg !== "object" || msg === null || typeof msg.t !== "string") throw new Error("shape");
    } catch {
      return refuse(conn, "bad-request", "Messages are JSON objects with a string `t`.");
    }
    const id = typeof msg.id === "number" ? msg.id : undefined;
    // One message at a time per connection, so replies keep the order of requests.
    conn.queue = conn.queue.then(async () => {
      try {
        const reply = await handle(conn, msg);
        if (reply) send(conn, { ...reply, id } as ServerMessage);
      } catch (error) {
        if (error instanceof Refusal) refuse(conn, error.code, error.message, id, error.details);
        else {
          log({ code: "bad-request", message: "unexpected failure", address: conn.address, detail: String(error) });
          send(conn, { t: "error", id, code: "bad-request", message: "The service could not handle this message." });
        }
      }
    });
  }

  const clientIp = (request: IncomingMessage): string => {
    const forwarded = request.headers["x-forwarded-for"];
    if (options.trustProxy && typeof forwarded === "string") {
      const last = forwarded.split(",").at(-1)?.trim(); // the hop our proxy saw
      if (last) return last;
    }
    return request.socket.remoteAddress ?? "?";
  };

  const server: Server = createServer(
    createHttpHandler({
      name: "signal",
      health: () => ({
        status: 200,
        body: {
          ok: true,
          rooms: rooms.size,
          fans: [...rooms.values()].reduce((sum, room) => sum + countOf(room, "fan"), 0),
          audience: [...rooms.values()].reduce((sum, room) => sum + countOf(room, "audience"), 0),
          connections: connections.size,
          memory: process.memoryUsage(),
        },
      }),
      route: async (request, _response, url) => {
        throw new HttpError(
          404,
          "RouteNotFound",
          `No route ${request.method} ${url.pathname}: connect a WebSocket to /.`,
        );
      },
    }),
  );
  const wss = new WebSocketServer({ server, maxPayload: maxMessageBytes });
  // ws re-emits the server's errors; a failed listen reaches the caller through `listen` instead.
  wss.on("error", () => {});

  wss.on("connection", (socket, request) => {
    const conn: Connection = {
      socket,
      peerId: randomUUID(),
      nonce: sessions.issueNonce(),
      ip: clientIp(request),
      tokens: fanLimit.burst,
      refilledAt: Date.now(),
      strikes: 0,
      warned: false,
      lastSeen: Date.now(),
      closed: false,
      queue: Promise.resolve(),
    };
    connections.add(conn);
    const authTimer = setTimeout(() => conn.address || socket.close(4001, "sign-in timeout"), authTimeoutMs);
    socket.on("message", (raw: Buffer, isBinary) => onMessage(conn, raw, isBinary));
    socket.on("pong", () => (conn.lastSeen = Date.now()));
    socket.on("error", () => {}); // e.g. 1009 on an oversized frame: `close` follows
    socket.on("close", () => {
      conn.closed = true; // a request still being handled must not seat this socket
      clearTimeout(authTimer);
      connections.delete(conn);
      leave(conn);
    });
    send(conn, {
      t: "welcome",
      nonce: conn.nonce,
      iceServers,
      maxFansPerRoom: maxFans,
      maxMessageBytes,
    });
  });

  // Heartbeat: ping everyone; drop sockets that answered nothing for `idleTimeoutMs` (frozen or gone).
  const heartbeat = setInterval(() => {
    const now = Date.now();
    for (const conn of connections) {
      if (now - conn.lastSeen > idleTimeoutMs) {
        log({ code: "closed", message: "idle: disconnected", address: conn.address });
        conn.socket.terminate();
      } else if (conn.socket.readyState === WebSocket.OPEN) conn.socket.ping();
    }
  }, pingIntervalMs);
  heartbeat.unref();

  // A busy port rejects (EADDRINUSE) instead of becoming an uncaught exception.
  await listen(server, options.port ?? 0, host).catch((error: unknown) => {
    clearInterval(heartbeat);
    wss.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  if (!domain) domain = `${host}:${port}`;

  return {
    url: `ws://${host}:${port}`,
    port,
    rooms: () =>
      [...rooms.values()].map((room) => ({
        streamId: room.streamId,
        artist: room.artist.address!,
        fans: countOf(room, "fan"),
        audience: countOf(room, "audience"),
        peak: room.peak,
        chat: { messages: room.chat.length, bytes: room.chatBytes },
      })),
    async close() {
      clearInterval(heartbeat);
      for (const conn of connections) conn.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await closeServer(server);
    },
  };
}
