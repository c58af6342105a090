/**
 * The selective forwarding unit's wire protocol (WHIP in, WHEP out). The artist publishes a session's
 * media once; every fan subscribes; the SFU forwards the artist's RTP to each fan without decoding.
 * Fans and the artist sign in first (`sign-in.ts`: `GET /nonce`, `POST /session`) and send the
 * session token as `Authorization: Bearer <token>`.
 *
 *   POST   /whip/<streamId>        application/sdp offer (sendonly) → 201 + answer + Location   (the session's artist only)
 *   POST   /whep/<streamId>        application/sdp offer (recvonly) → 201 + answer + Location   (a wallet that `canWatch`)
 *   DELETE <Location>              ends that publisher or viewer (Bearer of the same wallet)
 *   GET    /health                 → SfuHealth
 *
 * Errors (the services' one shape, `http.ts`): `SignInRequired` (401), `Forbidden` (403: not the
 * session's artist, or the session is closed), `AccessDeniedError` (403: no licence), `NotFoundError`
 * (404: no such session, or nobody is publishing it yet), `BadRequest` (400/415: not an SDP offer),
 * `RateLimited` (429), `ChainUnavailable` (503).
 */

export const SFU_ROUTES = {
  /** WHIP ingest (RFC 9725) of a session: `${whip}/${streamId}`. */
  whip: "/whip",
  /** WHEP playback of a session: `${whep}/${streamId}`. */
  whep: "/whep",
  /** Publisher and viewer resources (the `Location` of a 201): `${resources}/${id}`. */
  resources: "/sfu/sessions",
} as const;

export const SDP_CONTENT_TYPE = "application/sdp";

/** The codecs the SFU forwards (it never transcodes, so publisher and viewers must agree). */
export const SFU_CODECS = { video: "video/VP8", audio: "audio/opus" } as const;

export interface SfuSessionHealth {
  streamId: string;
  viewers: number;
  /** RTP packets received from the artist since publishing. */
  packetsIn: number;
  /** RTP packets sent to viewers since publishing. */
  packetsOut: number;
}

export interface SfuHealth {
  ok: boolean;
  service: "sfu";
  chainId: number;
  sessions: SfuSessionHealth[];
  viewers: number;
}

/** The URL of a session's WHIP ingest on an SFU at `base` (e.g. `https://sfu.example.org`). */
export const sfuWhipUrl = (base: string, streamId: bigint | string) =>
  `${base.replace(/\/$/, "")}${SFU_ROUTES.whip}/${streamId}`;

/** The URL of a session's WHEP playback on an SFU at `base`. */
export const sfuWhepUrl = (base: string, streamId: bigint | string) =>
  `${base.replace(/\/$/, "")}${SFU_ROUTES.whep}/${streamId}`;
