/**
 * Client side of the rooms signalling protocol. Runs wherever a WHATWG `WebSocket` exists (browsers,
 * Node ≥ 22). Signs in with Ethereum on connect (or reuses a session token).
 */
import type { Address } from "viem";
import type { HarmonieClient } from "../actions/internal.ts";
import { signIn } from "../auth.ts";
import { SignallingError, signallingErrorFrom } from "./errors.ts";
import type { ClientMessage, ServerMessage } from "./protocol.ts";

type Push = Exclude<ServerMessage, { id?: number }> | Extract<ServerMessage, { t: "signal" | "fan-joined" }>;
type Handler<T extends ServerMessage["t"]> = (message: Extract<ServerMessage, { t: T }>) => void;

export interface SignallingConnection {
  /** The signed-in wallet. */
  address: Address;
  /** Session token: pass it as `token` to reconnect without signing again. */
  token: string;
  /** STUN/TURN servers the service recommends. */
  iceServers: RTCIceServer[];
  maxFansPerRoom: number;
  /** Sends a request and resolves with its reply; rejects with a typed `SignallingError`. */
  request<T extends ServerMessage["t"]>(message: ClientMessage): Promise<Extract<ServerMessage, { t: T }>>;
  /** Fire-and-forget (signals). */
  send(message: ClientMessage): void;
  /** Subscribes to pushed messages (`signal`, `fan-joined`, `viewers` …); returns the unsubscribe. */
  on<T extends Push["t"]>(type: T, handler: Handler<T>): () => void;
  /** Resolves when the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export interface ConnectSignallingOptions {
  /** `ws://127.0.0.1:8791` or `wss://signal.example.org`. */
  url: string;
  /** A wallet client to sign in with (SIWE) … */
  wallet?: HarmonieClient;
  /** … or a token from an earlier sign-in. */
  token?: string;
  /** Per-request timeout, ms. Default 15 s. */
  timeoutMs?: number;
  /** The SIWE `domain` to sign for; the URL's host by default (what the service checks). */
  domain?: string;
  /** The SIWE `uri`; `http(s)://<url host>` by default. */
  uri?: string;
}

/**
 * Opens a signalling connection and signs in.
 *
 * @example
 * const signalling = await connectSignalling({ url: "ws://127.0.0.1:8791", wallet: walletClient });
 * console.log(signalling.address);
 * @throws SignallingError (`auth-failed` …)
 */
export async function connectSignalling(options: ConnectSignallingOptions): Promise<SignallingConnection> {
  if (!options.wallet && !options.token) throw new SignallingError("auth-required", "Pass a wallet or a token.");
  const socket = new WebSocket(options.url);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pending = new Map<number, { resolve: (m: ServerMessage) => void; reject: (e: Error) => void }>();
  const handlers = new Map<string, Set<(m: ServerMessage) => void>>();
  let nextId = 1;
  let welcome: ((m: Extract<ServerMessage, { t: "welcome" }>) => void) | undefined;
  const welcomed = new Promise<Extract<ServerMessage, { t: "welcome" }>>((resolve) => (welcome = resolve));

  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.addEventListener("close", (event) => {
      const error = new SignallingError("closed", `The signalling connection closed (${event.code} ${event.reason}).`);
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
      resolve({ code: event.code, reason: event.reason });
    });
  });
  socket.addEventListener("message", (event) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data));
    } catch {
      return;
    }
    if (message.t === "welcome") return welcome?.(message);
    const id = "id" in message ? message.id : undefined;
    if (id !== undefined && pending.has(id)) {
      const { resolve, reject } = pending.get(id)!;
      pending.delete(id);
      if (message.t === "error") reject(signallingErrorFrom(message.code, message.message, message));
      else resolve(message);
      return;
    }
    for (const handler of handlers.get(message.t) ?? []) handler(message);
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener(
      "error",
      () => reject(new SignallingError("closed", `Cannot reach the signalling service at ${options.url}.`)),
      { once: true },
    );
  });

  const send = (message: ClientMessage) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const request = <T extends ServerMessage["t"]>(message: ClientMessage) => {
    const id = nextId++;
    return new Promise<Extract<ServerMessage, { t: T }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new SignallingError("closed", `No reply to ${message.t} within ${timeoutMs} ms.`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (m) => (clearTimeout(timer), resolve(m as Extract<ServerMessage, { t: T }>)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      send({ ...message, id });
    });
  };

  try {
    const hello = await welcomed;
    let authed: Extract<ServerMessage, { t: "authed" }>;
    if (options.token) {
      authed = await request<"authed">({ t: "auth", token: options.token });
    } else {
      const url = new URL(options.url);
      const signed = await signIn(options.wallet!, {
        domain: options.domain ?? url.host,
        uri: options.uri ?? `${url.protocol === "wss:" ? "https:" : "http:"}//${url.host}`,
        nonce: hello.nonce,
        statement: "Sign in to HarmonieCORE live rooms.",
      });
      authed = await request<"authed">({ t: "auth", ...signed });
    }
    return {
      address: authed.address,
      token: authed.token,
      iceServers: hello.iceServers,
      maxFansPerRoom: hello.maxFansPerRoom,
      request,
      send,
      on(type, handler) {
        const set = handlers.get(type) ?? new Set();
        handlers.set(type, set);
        set.add(handler as (m: ServerMessage) => void);
        return () => set.delete(handler as (m: ServerMessage) => void);
      },
      closed,
      close: () => socket.close(1000, "bye"),
    };
  } catch (error) {
    socket.close();
    throw error;
  }
}
