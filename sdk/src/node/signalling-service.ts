/**
 * The `rooms` signalling service: a WebSocket server that authenticates wallets with Sign-In with
 * Ethereum, lets a session's artist open a room, admits fans (on-chain `canWatch`, up to a cap) and
 * relays SDP/ICE between the artist and each fan. Media never touches it: the artist sends one
 * WebRTC stream per fan (a mesh), so rooms are small.
 *
 * Abuse handling: frames over `maxMessageBytes` close the socket (1009); malformed or unknown messages
 * get an `error` reply; each connection has a token bucket — messages past it are dropped with
 * `rate-limited`, and a client that keeps flooding is disconnected (1008). Unauthenticated sockets
 * are closed after `authTimeoutMs`. A failure in one connection never affects another room.
 *
 *   ws://host:port/          the signalling socket (see `protocol.ts`)
 *   GET /health              { ok, rooms, fans, connections, memory }
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Address, type Chain, createPublicClient, http } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { WebSocket, WebSocketServer } from "ws";
import type { HarmonieClient } from "../actions/internal.ts";
import { canWatch, getSession } from "../actions/live.ts";
import { verifySignIn } from "../auth.ts";
import { harmonieChains } from "../chains.ts";
import type { Deployment } from "../deployments.ts";
import { createSessionIssuer, type SessionIssuer } from "./sessions.ts";
import type { SignallingErrorCode } from "../streaming/errors.ts";
import type { ClientMessage, ServerMessage, SignalData } from "../streaming/protocol.ts";

export interface SignallingServiceOptions {
  deployment: Deployment;
  /** A client for the deployment's chain (reads only); or pass `rpcUrl`. */
  client?: HarmonieClient;
  rpcUrl?: string;
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  /** The host sign-in messages must name; `<host>:<port>` by default. */
  domain?: string;
  /** Most fans per room (the artist uploads once per fan). Default 8. */
  maxFansPerRoom?: number;
  /** STUN/TURN servers handed to clients in `welcome`. */
  iceServers?: RTCIceServer[];
  sessions?: SessionIssuer;
  /** Largest accepted frame; larger ones close the socket with 1009. Default 16 KiB. */
  maxMessageBytes?: number;
  /** Token bucket per connection: sustained messages per second (default 20) and burst (default 40). */
  rateLimit?: { perSecond: number; burst: number };
  /** Dropped messages after which a flooding client is disconnected. Default 50. */
  floodStrikes?: number;
  /** Sockets that have not signed in by then are closed. Default 30 s. */
  authTimeoutMs?: number;
  /** Called for each refused or failed message (logging). */
  onError?: (error: { code: SignallingErrorCode; message: string; address?: Address }) => void;
}

export interface SignallingService {
  /** `ws://host:port`. */
  url: string;
  port: number;
  /** Live rooms and their fan counts. */
  rooms(): { streamId: string; artist: Address; fans: number; peak: number }[];
  close(): Promise<void>;
}

interface Connection {
  socket: WebSocket;
  peerId: string;
  nonce: string;
  address?: Address;
  room?: Room;
  role?: "artist" | "fan";
  tokens: number;
  refilledAt: number;
  strikes: number;
  warned: boolean;
  queue: Promise<void>;
}

interface Room {
  streamId: string;
  artist: Connection;
  fans: Map<string, Connection>;
  peak: number;
}

class Refusal extends Error {
  readonly code: SignallingErrorCode;
  constructor(code: SignallingErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Starts the signalling service on 127.0.0.1 (by default) and resolves once it listens.
 *
 * @example
 * const service = await startSignallingService({ rpcUrl: "http://127.0.0.1:8545", deployment, port: 8787 });
 * console.log(service.url); // ws://127.0.0.1:8787
 * await service.close();
 */
export async function startSignallingService(options: SignallingServiceOptions): Promise<SignallingService> {
  const client =
    options.client ??
    (createPublicClient({
      chain: harmonieChains[options.deployment.chainId] as Chain | undefined,
      transport: http(options.rpcUrl),
    }) as HarmonieClient);
  if (!options.client && !options.rpcUrl) throw new Error("startSignallingService needs `client` or `rpcUrl`.");
  const { deployment } = options;
  const sessions = options.sessions ?? createSessionIssuer();
  const maxFans = options.maxFansPerRoom ?? 8;
  const maxMessageBytes = options.maxMessageBytes ?? 16 * 1024;
  const { perSecond, burst } = options.rateLimit ?? { perSecond: 20, burst: 40 };
  const floodStrikes = options.floodStrikes ?? 50;
  const authTimeoutMs = options.authTimeoutMs ?? 30_000;
  const iceServers = options.iceServers ?? [];
  const host = options.host ?? "127.0.0.1";
  const rooms = new Map<string, Room>();
  const connections = new Set<Connection>();
  let domain = options.domain ?? "";

  const send = (conn: Connection, message: ServerMessage) => {
    if (conn.socket.readyState === WebSocket.OPEN) conn.socket.send(JSON.stringify(message));
  };
  const viewers = (room: Room) => {
    room.peak = Math.max(room.peak, room.fans.size);
    send(room.artist, { t: "viewers", count: room.fans.size, peak: room.peak });
  };

  function leave(conn: Connection) {
    const room = conn.room;
    if (!room) return;
    conn.room = undefined;
    if (conn.role === "artist" && room.artist === conn) {
      rooms.delete(room.streamId);
      for (const fan of room.fans.values()) {
        fan.room = undefined;
        send(fan, { t: "room-closed", streamId: room.streamId });
      }
    } else if (room.fans.delete(conn.peerId)) {
      send(room.artist, { t: "fan-left", peerId: conn.peerId });
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

  async function handle(conn: Connection, msg: ClientMessage): Promise<ServerMessage | undefined> {
    switch (msg.t) {
      case "auth": {
        if ("token" in msg && typeof msg.token === "string") {
          try {
            conn.address = sessions.verifyToken(msg.token).address;
          } catch (error) {
            throw new Refusal("auth-failed", (error as Error).message);
          }
          return { t: "authed", address: conn.address, token: msg.token };
        }
        if (!("message" in msg) || typeof msg.message !== "string" || typeof msg.signature !== "string") {
          throw new Refusal("bad-request", "auth needs { message, signature } or { token }.");
        }
        const nonce = parseSiweMessage(msg.message).nonce ?? "";
        if (nonce !== conn.nonce || !sessions.consumeNonce(nonce)) {
          throw new Refusal("auth-failed", "Unknown or reused nonce: sign the nonce from this connection's welcome.");
        }
        try {
          const { address, chainId } = await verifySignIn(client, {
            message: msg.message,
            signature: msg.signature,
            domain,
            nonce,
          });
          conn.address = address;
          return { t: "authed", address, token: sessions.createToken({ address, chainId }) };
        } catch (error) {
          throw new Refusal("auth-failed", (error as Error).message);
        }
      }
      case "publish": {
        const address = requireAuth(conn);
        const streamId = streamIdOf(msg.streamId);
        const session = await getSession(client, { deployment, streamId }).catch(() => {
          throw new Refusal("unknown-room", `No on-chain session ${streamId}.`);
        });
        if (session.artist.toLowerCase() !== address.toLowerCase()) {
          throw new Refusal("not-artist", `Only the session's artist (${session.artist}) may publish to ${streamId}.`);
        }
        if (session.closedAt !== 0n) throw new Refusal("not-artist", `Session ${streamId} is closed.`);
        const key = streamId.toString();
        const existing = rooms.get(key);
        if (existing && existing.artist !== conn) leave(existing.artist); // the artist reconnected
        leave(conn);
        const room: Room = { streamId: key, artist: conn, fans: new Map(), peak: 0 };
        rooms.set(key, room);
        conn.room = room;
        conn.role = "artist";
        return { t: "published", streamId: key, maxFans };
      }
      case "join": {
        const address = requireAuth(conn);
        const streamId = streamIdOf(msg.streamId);
        const key = streamId.toString();
        if (!rooms.has(key)) throw new Refusal("unknown-room", `No artist is live in room ${key}.`);
        const allowed = await canWatch(client, { deployment, account: address, streamId });
        const room = rooms.get(key); // re-read: the artist may have left during the chain read
        if (!room) throw new Refusal("unknown-room", `No artist is live in room ${key}.`);
        if (!allowed) {
          throw new Refusal("access-denied", `${address} holds no licence for the track gating session ${key}.`);
        }
        if (room.artist === conn) throw new Refusal("forbidden", "The artist cannot join their own room as a fan.");
        if (conn.room !== room && room.fans.size >= maxFans) {
          throw new Refusal("room-full", `Room ${key} is full (${maxFans} fans). Try again later.`);
        }
        leave(conn);
        room.fans.set(conn.peerId, conn);
        conn.room = room;
        conn.role = "fan";
        send(room.artist, { t: "fan-joined", peerId: conn.peerId, address });
        viewers(room);
        return { t: "joined", streamId: key, peerId: conn.peerId, artist: room.artist.address! };
      }
      case "signal": {
        requireAuth(conn);
        const room = conn.room;
        if (!room) throw new Refusal("unknown-room", "Join or publish a room before signalling.");
        const data = msg.data as SignalData | undefined;
        if (typeof data !== "object" || data === null || (!("sdp" in data) && !("candidate" in data))) {
          throw new Refusal("bad-request", "signal data must hold sdp or candidate.");
        }
        if (conn.role === "fan") {
          if ("sdp" in data && data.sdp?.type !== "answer") {
            throw new Refusal("forbidden", "Only the artist publishes: fans may only answer.");
          }
          send(room.artist, { t: "signal", from: conn.peerId, data });
        } else {
          const fan = room.fans.get(String(msg.to));
          if (!fan) throw new Refusal("bad-request", `No fan ${msg.to} in this room.`);
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

  /** Token bucket; true when the message may proceed. */
  function admit(conn: Connection): boolean {
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

  const refuse = (conn: Connection, code: SignallingErrorCode, message: string, id?: number) => {
    options.onError?.({ code, message, address: conn.address });
    send(conn, { t: "error", id, code, message });
  };

  function onMessage(conn: Connection, raw: Buffer, isBinary: boolean) {
    if (!admit(conn)) {
      if (conn.strikes >= floodStrikes) {
        options.onError?.({ code: "rate-limited", message: "flood: disconnected", address: conn.address });
        conn.socket.close(1008, "flood");
        return;
      }
      if (!conn.warned) {
        conn.warned = true;
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
        if (error instanceof Refusal) refuse(conn, error.code, error.message, id);
        else refuse(conn, "bad-request", `The service could not handle this message: ${(error as Error).message}`, id);
      }
    });
  }

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "GET" && request.url === "/health") {
      const body = JSON.stringify({
        ok: true,
        rooms: rooms.size,
        fans: [...rooms.values()].reduce((sum, room) => sum + room.fans.size, 0),
        connections: connections.size,
        memory: process.memoryUsage(),
      });
      response.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" }).end(body);
      return;
    }
    response.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server, maxPayload: maxMessageBytes });

  wss.on("connection", (socket) => {
    const conn: Connection = {
      socket,
      peerId: randomUUID(),
      nonce: sessions.issueNonce(),
      tokens: burst,
      refilledAt: Date.now(),
      strikes: 0,
      warned: false,
      queue: Promise.resolve(),
    };
    connections.add(conn);
    const authTimer = setTimeout(() => conn.address || socket.close(4001, "sign-in timeout"), authTimeoutMs);
    socket.on("message", (raw: Buffer, isBinary) => onMessage(conn, raw, isBinary));
    socket.on("error", () => {}); // e.g. 1009 on an oversized frame: `close` follows
    socket.on("close", () => {
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

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
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
        fans: room.fans.size,
        peak: room.peak,
      })),
    async close() {
      for (const conn of connections) conn.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
