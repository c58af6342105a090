/**
 * The signalling protocol between the rooms service and its clients: JSON text frames, one message
 * per frame. Requests carry an `id`; the reply (or `error`) echoes it. Stream ids travel as decimal
 * strings (JSON has no bigint).
 */
import type { Address, Hex } from "viem";
import type { SignallingErrorCode } from "./errors.ts";

/** SDP or ICE candidate relayed between the artist and one fan. */
export type SignalData =
  | { sdp: { type: "offer" | "answer"; sdp: string } }
  | { candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | null };

export type ClientMessage = { id?: number } & (
  | { t: "auth"; message: string; signature: Hex }
  | { t: "auth"; token: string }
  | { t: "publish"; streamId: string }
  | { t: "join"; streamId: string }
  | { t: "signal"; to: string; data: SignalData }
  | { t: "leave" }
);

export type ServerMessage =
  | { t: "welcome"; nonce: string; iceServers: RTCIceServer[]; maxFansPerRoom: number; maxMessageBytes: number }
  | { t: "authed"; id?: number; address: Address; token: string }
  | { t: "published"; id?: number; streamId: string; maxFans: number }
  | { t: "joined"; id?: number; streamId: string; peerId: string; artist: Address }
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

/** Messages on the per-fan data channel (label `harmonie`). */
export type RoomMessage =
  | { t: "chat"; from: Address; text: string; at: number }
  | { t: "tip"; tip: TipNotice }
  /** Sent by the artist once a fan's channel opens: the room's latest chat, oldest first. */
  | { t: "chat-history"; messages: { from: Address; text: string; at: number }[] };

/** A confirmed tip (`TipSent` or `TokenTipSent`) naming the session, as clients show it. */
export interface TipNotice {
  /** `<blockNumber>:<logIndex>`: unique and ordered. */
  id: string;
  txHash: Hex;
  blockNumber: string;
  logIndex: number;
  from: Address;
  /** In the token's smallest unit (CORE: wei), decimal. */
  amount: string;
  /** The ERC-20 the tip was paid in; absent for CORE. */
  token?: Address;
  message: string;
}

/** Longest chat message, in characters. */
export const MAX_CHAT_CHARS = 500;

/** The data channel's label. */
export const DATA_CHANNEL_LABEL = "harmonie";
