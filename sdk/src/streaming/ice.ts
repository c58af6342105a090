/** STUN/TURN configuration for peer connections. */

export interface IceServerOptions {
  /** STUN URLs, e.g. `stun:stun.example.org:3478`. */
  stun?: string[];
  /** TURN relays with long-term credentials (coturn `--lt-cred-mech`). */
  turn?: { urls: string | string[]; username: string; credential: string }[];
}

/**
 * Builds `RTCIceServer[]` for `RTCPeerConnection` (and for the signalling service's `iceServers`).
 *
 * @example
 * const servers = iceServers({
 *   stun: ["stun:turn.example.org:3478"],
 *   turn: [{ urls: "turn:turn.example.org:3478?transport=udp", username: "harmonie", credential: "secret" }],
 * });
 * new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: "relay" });
 */
export function iceServers(options: IceServerOptions): RTCIceServer[] {
  return [
    ...(options.stun?.length ? [{ urls: options.stun }] : []),
    ...(options.turn ?? []).map(({ urls, username, credential }) => ({ urls, username, credential })),
  ];
}
