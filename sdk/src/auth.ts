import type { Address, Hex } from "viem";
import { signMessage } from "viem/actions";
import { createSiweMessage, generateSiweNonce, parseSiweMessage, verifySiweMessage } from "viem/siwe";
import type { HarmonieClient } from "./actions/internal.ts";
import { AccountRequiredError, SignInError } from "./errors.ts";
import { type ServiceErrorName, serviceErrorOf } from "./protocol/http.ts";
import { type NonceResponse, type SessionResponse, SIGN_IN_ROUTES } from "./protocol/sign-in.ts";

/** A signed Sign-In with Ethereum (EIP-4361) message. */
export interface SignedSignIn {
  message: string;
  signature: Hex;
}

export interface SignInParams {
  /** The service's host, e.g. `keys.harmonie.example` (checked by the verifier). */
  domain: string;
  /** The service's URI. */
  uri: string;
  /** The single-use nonce the service issued. */
  nonce: string;
  statement?: string;
  /** How long the sign-in is valid; 10 minutes by default. */
  ttlSeconds?: number;
}

/**
 * Signs in with Ethereum: builds the EIP-4361 message for the client's account and chain and signs it.
 *
 * @example
 * const { nonce } = await (await fetch(`${keyService}/nonce`)).json();
 * const signed = await signIn(walletClient, { domain: "127.0.0.1:8790", uri: keyService, nonce });
 */
export async function signIn(client: HarmonieClient, params: SignInParams): Promise<SignedSignIn> {
  const account = client.account;
  if (!account) throw new AccountRequiredError();
  const now = new Date();
  const message = createSiweMessage({
    address: account.address,
    chainId: client.chain?.id ?? 1,
    domain: params.domain,
    uri: params.uri,
    nonce: params.nonce,
    version: "1",
    statement: params.statement ?? "Sign in to HarmonieCORE.",
    issuedAt: now,
    expirationTime: new Date(now.getTime() + (params.ttlSeconds ?? 600) * 1000),
  });
  const signature = await signMessage(client, { account, message });
  return { message, signature };
}

/**
 * Verifies a sign-in (EOA or smart-contract wallet, through the client) and returns who signed it.
 *
 * @example
 * const { address, chainId } = await verifySignIn(publicClient, { ...signed, domain: "127.0.0.1:8790", nonce });
 * @throws SignInError
 */
export async function verifySignIn(
  client: HarmonieClient,
  params: SignedSignIn & { domain: string; nonce: string },
): Promise<{ address: Address; chainId: number }> {
  const fields = parseSiweMessage(params.message);
  if (!fields.address || !fields.chainId) throw new SignInError("the message is not a Sign-In with Ethereum message");
  if (client.chain && fields.chainId !== client.chain.id) {
    throw new SignInError(`the message is for chain ${fields.chainId}, this service runs on chain ${client.chain.id}`);
  }
  const valid = await verifySiweMessage(client, {
    message: params.message,
    signature: params.signature,
    domain: params.domain,
    nonce: params.nonce,
  }).catch((cause: unknown) => {
    throw new SignInError("the signature could not be checked", { cause });
  });
  if (!valid) throw new SignInError("wrong signature, domain or nonce, or the message expired");
  return { address: fields.address, chainId: fields.chainId };
}

/** A fresh random nonce for a sign-in. */
export function createSignInNonce(): string {
  return generateSiweNonce();
}

/** Why a service refused a sign-in: its status and stable error name, or no status when unreachable. */
export interface SignInRefusal {
  message: string;
  status?: number;
  errorName?: ServiceErrorName;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The `/nonce` + `/session` exchange every HarmonieCORE service shares (key service, SFU, Livepeer
 * gate): signs in with the client's wallet and returns the session token. `refused` makes the caller's
 * error from a refusal (or an unreachable service), so each client keeps its own error type.
 *
 * @example
 * const token = await signInToService(wallet, {
 *   url: "https://sfu.example.org", statement: "Watch HarmonieCORE live sessions.",
 *   refused: (r) => new Error(r.message),
 * });
 */
export async function signInToService(
  client: HarmonieClient,
  params: {
    url: string;
    /** The host the service expects in the message; its URL's host by default. */
    domain?: string;
    statement: string;
    refused: (refusal: SignInRefusal) => Error;
  },
): Promise<string> {
  const base = params.url.replace(/\/+$/, "");
  const call = async (path: string, init: RequestInit = {}) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, init);
    } catch (cause) {
      throw params.refused({ message: `cannot reach ${new URL(base).origin}`, cause });
    }
    if (response.ok) return response;
    const error = serviceErrorOf(await response.json().catch(() => undefined));
    throw params.refused({
      message: error?.message ?? `the service answered ${response.status}`,
      status: response.status,
      errorName: error?.name,
      retryAfterSeconds: error?.retryAfterSeconds,
    });
  };
  const { nonce } = (await (await call(SIGN_IN_ROUTES.nonce)).json()) as NonceResponse;
  const signed = await signIn(client, {
    domain: params.domain ?? new URL(base).host,
    uri: base,
    nonce,
    statement: params.statement,
  });
  const response = await call(SIGN_IN_ROUTES.session, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(signed),
  });
  return ((await response.json()) as SessionResponse).token;
}
