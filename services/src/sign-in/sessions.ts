/**
 * The one sign-in layer of the servers that gate on a wallet (key service, Livepeer gate, stream
 * signalling): single-use nonces, the Sign-In with Ethereum exchange, and short-lived HMAC-signed
 * session tokens naming the address, so later requests need no signature. Wire shapes: the SDK's
 * `protocol/sign-in.ts`.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Address } from "viem";
import { parseSiweMessage } from "viem/siwe";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import { createSignInNonce, type SignedSignIn, verifySignIn } from "../../../sdk/src/auth.ts";
import { SignInError } from "../../../sdk/src/errors.ts";
import type { NonceResponse, SessionResponse } from "../../../sdk/src/protocol/sign-in.ts";
import { SIGN_IN_ROUTES } from "../../../sdk/src/protocol/sign-in.ts";
import { HttpError, readJson, redactUrls, type Reply } from "../http/kernel.ts";

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

/** What a failed chain read during sign-in (an ERC-1271 wallet's check) shows: nothing of the RPC. */
const CHAIN_UNAVAILABLE = "The chain could not be read; try again shortly.";

export interface SignInRoutes {
  /** Answers `GET /nonce` and `POST /session`; undefined for any other route. */
  (request: IncomingMessage, url: URL): Promise<Reply | undefined>;
  /** The claims of `Authorization: Bearer <token>`; 401 `SignInRequired` without a valid token. */
  bearer(request: IncomingMessage): SessionClaims;
  /** The claims of a token passed another way (e.g. a Livepeer access key); 401 `SignInRequired` otherwise. */
  verify(token: string | undefined): SessionClaims;
}

/**
 * The sign-in routes and token checks of an HTTP service.
 *
 * @example
 * const signIn = signInRoutes({ sessions, client, domain: () => "keys.example.org" });
 * const reply = await signIn(request, url); // GET /nonce, POST /session
 * const { address } = signIn.bearer(request);
 */
export function signInRoutes(params: {
  sessions: SessionIssuer;
  client: HarmonieClient;
  /** The host sign-in messages must name (read per request: it may be known only once listening). */
  domain: () => string;
  log?: (line: string) => void;
}): SignInRoutes {
  const log = params.log ?? ((line: string) => console.error(line));
  const verify = (token: string | undefined) => {
    if (!token)
      throw new HttpError(401, "SignInRequired", "No session token: sign in first (GET /nonce, POST /session).");
    try {
      return params.sessions.verifyToken(token);
    } catch (error) {
      throw new HttpError(401, "SignInRequired", (error as Error).message); // a SignInError: our own text
    }
  };
  const routes = async (request: IncomingMessage, url: URL): Promise<Reply | undefined> => {
    if (request.method === "GET" && url.pathname === SIGN_IN_ROUTES.nonce) {
      return { status: 200, body: { nonce: params.sessions.issueNonce() } satisfies NonceResponse };
    }
    if (request.method === "POST" && url.pathname === SIGN_IN_ROUTES.session) {
      const signed = signedSignInOf((await readJson(request)).body);
      if (!signed)
        throw new HttpError(400, "BadRequest", "Send { message, signature } of a Sign-In with Ethereum message.");
      const { token, address } = await exchangeSignIn(params.sessions, params.client, {
        ...signed,
        domain: params.domain(),
      }).catch((error: unknown) => {
        if (error instanceof SignInError) throw new HttpError(401, "SignInError", error.message);
        log(
          `sign-in: the chain read failed: ${redactUrls(String((error as Error)?.message ?? error).split("\n")[0] ?? "")}`,
        );
        throw new HttpError(503, "ChainUnavailable", CHAIN_UNAVAILABLE);
      });
      return { status: 200, body: { token, address } satisfies SessionResponse };
    }
    return undefined;
  };
  return Object.assign(routes, {
    bearer(request: IncomingMessage) {
      const header = request.headers.authorization ?? "";
      if (!header.startsWith("Bearer "))
        throw new HttpError(
          401,
          "SignInRequired",
          "Sign in first: POST /session, then send Authorization: Bearer <token>.",
        );
      return verify(header.slice(7));
    },
    verify,
  });
}
