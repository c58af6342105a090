/**
 * Short-lived session tokens for servers that gate on a wallet (key service, stream signalling):
 * after a Sign-In with Ethereum, the server hands out an HMAC-signed token naming the address, so
 * later requests need no signature. Nonces are single use.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Address } from "viem";
import { parseSiweMessage } from "viem/siwe";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import { createSignInNonce, type SignedSignIn, verifySignIn } from "../../../sdk/src/auth.ts";
import { SignInError } from "../../../sdk/src/errors.ts";

export interface SessionClaims {
  address: Address;
  chainId: number;
  /** Expiry, unix seconds. */
  exp: number;
}

export interface SessionIssuer {
  /** Issues a single-use sign-in nonce, valid for `nonceTtlSeconds`. */
  issueNonce(): string;
  /** Consumes a nonce: true once per issued, unexpired nonce. */
  consumeNonce(nonce: string): boolean;
  createToken(claims: Omit<SessionClaims, "exp">): string;
  /** @throws SignInError for a forged, malformed or expired token. */
  verifyToken(token: string): SessionClaims;
}

/**
 * @example
 * const sessions = createSessionIssuer({ ttlSeconds: 900 });
 * const token = sessions.createToken({ address, chainId });
 * const { address } = sessions.verifyToken(token);
 */
export function createSessionIssuer(
  options: { secret?: Uint8Array; ttlSeconds?: number; nonceTtlSeconds?: number } = {},
): SessionIssuer {
  const secret = options.secret ?? randomBytes(32);
  const ttl = options.ttlSeconds ?? 900;
  const nonceTtl = options.nonceTtlSeconds ?? 300;
  const nonces = new Map<string, number>();
  const now = () => Math.floor(Date.now() / 1000);
  const sign = (payload: string) => createHmac("sha256", secret).update(payload).digest("base64url");

  return {
    issueNonce() {
      for (const [nonce, expires] of nonces) if (expires < now()) nonces.delete(nonce);
      const nonce = createSignInNonce();
      nonces.set(nonce, now() + nonceTtl);
      return nonce;
    },
    consumeNonce(nonce) {
      const expires = nonces.get(nonce);
      nonces.delete(nonce);
      return expires !== undefined && expires >= now();
    },
    createToken(claims) {
      const payload = Buffer.from(JSON.stringify({ ...claims, exp: now() + ttl })).toString("base64url");
      return `${payload}.${sign(payload)}`;
    },
    verifyToken(token) {
      const [payload, signature] = token.split(".");
      if (!payload || !signature) throw new SignInError("malformed session token");
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        throw new SignInError("the session token was not issued by this server");
      }
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as SessionClaims;
      if (claims.exp < now()) throw new SignInError("the session expired");
      return claims;
    },
  };
}

/**
 * Turns a Sign-In with Ethereum message, signed over a nonce `issuer` gave out (single use) for
 * `domain`, into a session token.
 *
 * @example
 * const { token, address } = await exchangeSignIn(sessions, publicClient, { ...signed, domain: "keys.example.org" });
 * @throws SignInError for an unknown or reused nonce, a wrong domain or signature, or an expired message
 */
export async function exchangeSignIn(
  issuer: SessionIssuer,
  client: HarmonieClient,
  params: SignedSignIn & { domain: string },
): Promise<{ token: string; address: Address; chainId: number }> {
  const nonce = parseSiweMessage(params.message).nonce ?? "";
  if (!issuer.consumeNonce(nonce)) throw new SignInError("unknown or reused nonce; get a new one and sign again");
  const { address, chainId } = await verifySignIn(client, { ...params, nonce });
  return { token: issuer.createToken({ address, chainId }), address, chainId };
}

/** The `{ message, signature }` body of a sign-in request, or undefined when it is not one. */
export function signedSignInOf(body: unknown): SignedSignIn | undefined {
  const { message, signature } = (body ?? {}) as { message?: unknown; signature?: unknown };
  return typeof message === "string" && typeof signature === "string"
    ? { message, signature: signature as `0x${string}` }
    : undefined;
}
