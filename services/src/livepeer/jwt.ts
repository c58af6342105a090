/**
 * JWT playback policies: the alternative to the access-control webhook. The stream's playback policy
 * is `{ type: "jwt" }`; a server holding a Studio signing key (`POST /api/access-control/signing-key`)
 * signs a short-lived ES256 token per viewer, and the player passes it as `?jwt=` (or the
 * `Livepeer-Jwt` header). Livepeer checks the signature against the key's public half, the `sub`
 * (playback id), `pub` (which key) and `exp`, without calling any webhook.
 * Claims: https://docs.livepeer.org/developers/guides/access-control-jwt
 *
 * The private key never leaves the server: it runs here, with Node's `crypto`.
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

export interface PlaybackJwtParams {
  /** The stream's (or asset's) playback id: the token's `sub`. */
  playbackId: string;
  /** The signing key's private key as Studio returns it (base64 of a PEM) or as a PEM. */
  privateKey: string;
  /** The signing key's public key as Studio returns it (base64 of a PEM): the token's `pub`. */
  publicKey: string;
  /** Lifetime, seconds. Default 600 (Livepeer re-checks the token when playback restarts). */
  expiresIn?: number;
  /** `iss`, e.g. your app's URL. */
  issuer?: string;
  /** Extra claims, e.g. the viewer's wallet. */
  custom?: Record<string, unknown>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");
/** Studio hands keys out as base64 of a PEM; a PEM given directly is used as is. */
const pem = (key: string) => (key.includes("-----BEGIN") ? key : Buffer.from(key, "base64").toString("utf8"));

/**
 * Signs a playback JWT (ES256) for one viewer of a `jwt`-gated stream.
 *
 * @example
 * const { id, publicKey, privateKey } = await studio.createSigningKey(); // once; keep privateKey secret
 * await studio.setPlaybackPolicy(stream.id, { type: "jwt" });
 * const jwt = signPlaybackJwt({ playbackId: stream.playbackId, privateKey, publicKey, expiresIn: 300 });
 * // the fan's player: `${hls}?jwt=${jwt}`
 */
export function signPlaybackJwt(params: PlaybackJwtParams): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: "ES256", typ: "JWT" };
  const payload = {
    ...params.custom,
    action: "pull",
    ...(params.issuer ? { iss: params.issuer } : {}),
    pub: params.publicKey,
    sub: params.playbackId,
    video: "none",
    iat: now,
    exp: now + (params.expiresIn ?? 600),
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const key = createPrivateKey(pem(params.privateKey));
  const signature = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
  return `${input}.${base64url(signature)}`;
}

/**
 * Checks a playback JWT as Livepeer does: ES256 signature by `publicKey`, `sub` = the playback id,
 * not expired. Returns the claims, or undefined when any check fails.
 */
export function verifyPlaybackJwt(
  jwt: string,
  expected: { playbackId: string; publicKey: string | KeyObject; now?: number },
): Record<string, unknown> | undefined {
  const [head, body, signature] = jwt.split(".");
  if (!head || !body || !signature) return undefined;
  try {
    const header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
    if (header.alg !== "ES256") return undefined;
    const key = typeof expected.publicKey === "string" ? createPublicKey(pem(expected.publicKey)) : expected.publicKey;
    const ok = verify(
      "sha256",
      Buffer.from(`${head}.${body}`),
      { key, dsaEncoding: "ieee-p1363" },
      Buffer.from(signature, "base64url"),
    );
    if (!ok) return undefined;
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const now = expected.now ?? Math.floor(Date.now() / 1000);
    if (claims.sub !== expected.playbackId || typeof claims.exp !== "number" || claims.exp <= now) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
