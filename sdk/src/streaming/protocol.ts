/**
 * The signalling protocol between the rooms service and its clients: JSON text frames, one message
 * per frame. Requests carry an `id`; the reply (or `error`) echoes it. Stream ids travel as decimal
 * strings (JSON has no bigint).
 */
import type { Address, Hex } from "viem";
import { type Tip, tipId } from "../tip.ts";
import type { SignallingErrorCode } from "./errors.ts";

/** SDP or ICE candidate relayed between the artist and one fan. */
export type SignalData =
  | { sdp: { type: "offer" | "answer"; sdp: string } }
  | { candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | null };

export type ClientMessage = { id?: number } & (
  | { t: "auth"; message: string; signature: Hex }
  | { t: "auth"; token: string }
  | { t: "publish"; streamId: string }
  /** `audience`: chat only, the video comes from a relay (an SFU); the mesh cap does not apply. */
  | { t: "join"; streamId: string; audience?: boolean }
  | { t: "signal"; to: string; data: SignalData }
  /** A room member's chat line; the service relays it to the room (the sender too) and keeps it for late joiners. */
  | { t: "chat"; text: string }
  | { t: "leave" }
);

export type ServerMessage =
  | { t: "welcome"; nonce: string; iceServers: RTCIceServer[]; maxFansPerRoom: number; maxMessageBytes: number }
  | { t: "authed"; id?: number; address: Address; token: string }
  | { t: "published"; id?: number; streamId: string; maxFans: number }
  /** `chat`: the room's latest messages, oldest first (bounded by the service). */
  | { t: "joined"; id?: number; streamId: string; peerId: string; artist: Address; chat?: ChatEntry[]; audience?: true }
  /** A chat line in the room; `from` is the wallet the service authenticated. */
  | ({ t: "chat"; streamId: string } & ChatEntry)
  | { t: "left"; id?: number }
  | { t: "fan-joined"; peerId: string; address: Address }
  | { t: "fan-left"; peerId: string }
  | { t: "viewers"; count: number; peak: number }
  | { t: "signal"; from: string; data: SignalData }
  | { t: "room-closed"; streamId: string }
  | {
      t: "error";
      id?: number;
      code: SignallingErrorCode;
      message: string;
      /** `room-full`: the room's cap. */
      maxFans?: number;
      /** `rate-limited` joins: when to try again. */
      retryAfterSeconds?: number;
    };

/** One chat line as the service keeps and relays it. */
export interface ChatEntry {
  from: Address;
  text: string;
  /** Milliseconds since the epoch, the service's clock. */
  at: number;
}

/** Messages on the per-fan data channel (label `harmonie`); chat goes through the service instead. */
export type RoomMessage = { t: "tip"; tip: TipNoticeJson };

/**
 * A confirmed tip naming the session, as the live feed knows it from the chain log: a `Tip` without
 * what only the indexer adds — the block's `timestamp`, and the token's symbol and decimals (`token`
 * is the address: the zero address for CORE, see `paymentTokens`). Same `id` (`tipId`) and order
 * (`compareTips`) as the indexer's tips, so both lists merge.
 */
export type TipNotice = Omit<Tip, "timestamp" | "token"> & { token: Address };

/** A `TipNotice` on the data channel: JSON has no bigint, so those fields are decimal strings. */
export type TipNoticeJson = Omit<TipNotice, "blockNumber" | "streamId" | "amount"> & {
  blockNumber: string;
  streamId: string;
  amount: string;
};

export function encodeTipNotice(tip: TipNotice): TipNoticeJson {
  return { ...tip, blockNumber: String(tip.blockNumber), streamId: String(tip.streamId), amount: String(tip.amount) };
}

const HEX = /^0x[0-9a-fA-F]*$/;
const DECIMAL = /^\d{1,78}$/;

/**
 * A notice from a peer, checked field by field (undefined if malformed); its id is rebuilt from the
 * transaction hash and log index, so a peer cannot bring another id format in.
 */
export function decodeTipNotice(json: unknown): TipNotice | undefined {
  const t = json as Partial<Record<keyof TipNoticeJson, unknown>> | null;
  const isHex = (v: unknown): v is Hex => typeof v === "string" && HEX.test(v);
  const isDecimal = (v: unknown): v is string => typeof v === "string" && DECIMAL.test(v);
  if (
    !t ||
    !isHex(t.transactionHash) ||
    !Number.isSafeInteger(t.logIndex) ||
    !isDecimal(t.blockNumber) ||
    !isDecimal(t.streamId) ||
    !isDecimal(t.amount) ||
    !isHex(t.artist) ||
    !isHex(t.from) ||
    !isHex(t.token) ||
    typeof t.message !== "string"
  )
    return undefined;
  const logIndex = t.logIndex as number;
  return {
    id: tipId(t.transactionHash, logIndex),
    transactionHash: t.transactionHash,
    blockNumber: BigInt(t.blockNumber),
    logIndex,
    artist: t.artist,
    from: t.from,
    streamId: BigInt(t.streamId),
    token: t.token,
    amount: BigInt(t.amount),
    message: t.message,
  };
}

/** Longest chat message, in characters. */
export const MAX_CHAT_CHARS = 500;

/** The data channel's label. */
export const DATA_CHANNEL_LABEL = "harmonie";
