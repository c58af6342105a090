/**
 * Gated Livepeer playback for HarmonieCORE sessions. Livepeer Studio calls this service's webhook
 * (event `playback.accessControl`) whenever a viewer opens webhook-gated content, with
 * `{ context, accessKey, timestamp }` (`context` = the stream's `webhookContext`, here
 * `{ streamId }`; `accessKey` = what the player appended as `?accessKey=`). The access key is a
 * session token this service issued after a Sign-In with Ethereum, so a 2XX means: the wallet proved
 * its address and `LiveStreams.canWatch(wallet, streamId)` is true on chain right now.
 *
 *   GET  /nonce                    → { nonce }
 *   POST /session                  { message, signature } → { token, address }   (token = the access key)
 *   POST /livepeer/access-control  the webhook: 200 allow · 401 bad key/signature · 403 no licence · 400 bad payload
 *   GET  /health                   200 { ok: true, chainId, blockNumber, decisions, lastFailure } or 503 when the chain is unreachable
 *
 * Livepeer users report that a failing gate looks like a broken player; `/health` and `decisions`
 * make it visible (point your uptime monitor at it).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Chain, createPublicClient, http } from "viem";
import { getBlockNumber } from "viem/actions";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import { canWatch } from "../../../sdk/src/actions/live.ts";
import { harmonieChains } from "../../../sdk/src/chains.ts";
import type { Deployment } from "../../../sdk/src/deployments.ts";
import { SignInError } from "../../../sdk/src/errors.ts";
import { HttpError, readJson } from "../http/kernel.ts";
import { createSessionIssuer, exchangeSignIn, type SessionIssuer, signedSignInOf } from "../sign-in/sessions.ts";

export interface LivepeerAccessControlOptions {
  deployment: Deployment;
  client?: HarmonieClient;
  rpcUrl?: string;
  port?: number;
  host?: string;
  /** The host sign-in messages must name; `<host>:<port>` by default. */
  domain?: string;
  sessions?: SessionIssuer;
  /** The webhook's shared secret in Livepeer: when set, `Livepeer-Signature` is required and checked. */
  webhookSecret?: string;
  /** Largest accepted clock skew of a signed webhook call. Default 5 minutes. */
  maxSkewMs?: number;
  corsOrigin?: string;
}

export interface LivepeerAccessControl {
  url: string;
  /** The URL to register as the Livepeer webhook. */
  webhookUrl: string;
  decisions: { allowed: number; denied: number; failed: number };
  close(): Promise<void>;
}

/** Checks `Livepeer-Signature: t=<timestamp>,v1=<hex HMAC-SHA256(secret, body)>`. */
/**
 * What a caller sees of a failure that is not one of ours: a fixed sentence. RPC errors carry the RPC
 * URL, and a provider's URL usually holds its API key; the detail goes to the operator's log instead.
 */
const CHAIN_UNAVAILABLE = "The chain could not be read; try again shortly.";

function publicMessage(error: unknown): string {
  return error instanceof HttpError ? error.message : CHAIN_UNAVAILABLE;
}

/** The operator's log line: the failure with any URL in it reduced to its origin. */
function logFailure(what: string, error: unknown) {
  const detail = String((error as Error)?.message ?? error).split("\n")[0];
  console.error(`livepeer access control: ${what} failed: ${detail.replace(/(https?:\/\/[^/\s]+)\S*/g, "$1/…")}`);
}

function unavailable(what: string, error: unknown): never {
  logFailure(what, error);
  throw new HttpError(503, CHAIN_UNAVAILABLE);
}

function checkSignature(header: string | undefined, raw: string, secret: string, maxSkewMs: number) {
  const parts = Object.fromEntries(
    (header ?? "").split(",").map((part) => part.trim().split("=", 2) as [string, string]),
  );
  if (!parts.t || !parts.v1) throw new HttpError(401, "Missing or malformed Livepeer-Signature.");
  const t = Number(parts.t);
  const ms = t > 1e12 ? t : t * 1000;
  if (!Number.isFinite(ms) || Math.abs(Date.now() - ms) > maxSkewMs)
    throw new HttpError(401, "Stale Livepeer-Signature.");
  const expected = Buffer.from(createHmac("sha256", secret).update(raw).digest("hex"));
  const given = Buffer.from(parts.v1);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new HttpError(401, "Wrong Livepeer-Signature.");
  }
}

/**
 * Starts the access-control service on 127.0.0.1 (by default).
 *
 * @example
 * const gate = await startLivepeerAccessControl({ rpcUrl, deployment, port: 8791, webhookSecret });
 * const webhookId = await studio.createAccessControlWebhook({ name: "harmonie-gate", url: gate.webhookUrl, sharedSecret: webhookSecret });
 * // fans: GET /nonce, sign in, POST /session → token; play with ?accessKey=<token>
 */
export async function startLivepeerAccessControl(
  options: LivepeerAccessControlOptions,
): Promise<LivepeerAccessControl> {
  if (!options.client && !options.rpcUrl) throw new Error("startLivepeerAccessControl needs `client` or `rpcUrl`.");
  const client =
    options.client ??
    (createPublicClient({
      chain: harmonieChains[options.deployment.chainId] as Chain | undefined,
      transport: http(options.rpcUrl, { retryCount: 0, timeout: 5_000 }),
    }) as HarmonieClient);
  const sessions = options.sessions ?? createSessionIssuer();
  const host = options.host ?? "127.0.0.1";
  const decisions = { allowed: 0, denied: 0, failed: 0 };
  let lastFailure: { at: string; status: number; reason: string } | undefined;
  let domain = options.domain ?? "";

  async function webhook(request: IncomingMessage): Promise<[number, unknown]> {
    const { raw, body } = await readJson(request);
    if (options.webhookSecret) {
      checkSignature(
        request.headers["livepeer-signature"] as string | undefined,
        raw,
        options.webhookSecret,
        options.maxSkewMs ?? 300_000,
      );
    }
    const { context, accessKey } = (body ?? {}) as { context?: { streamId?: unknown }; accessKey?: unknown };
    const streamId = context?.streamId;
    if (typeof streamId !== "string" || !/^\d{1,78}$/.test(streamId)) {
      throw new HttpError(400, "webhookContext.streamId (the on-chain session id) is missing.");
    }
    if (typeof accessKey !== "string" || !accessKey)
      throw new HttpError(401, "No access key: sign in and pass it as accessKey.");
    let address: `0x${string}`;
    try {
      address = sessions.verifyToken(accessKey).address;
    } catch (error) {
      throw new HttpError(401, (error as Error).message); // a SignInError: our own text
    }
    const allowed = await canWatch(client, {
      deployment: options.deployment,
      account: address,
      streamId: BigInt(streamId),
    }).catch((error: unknown) => unavailable("licence check", error));
    if (!allowed) throw new HttpError(403, `${address} holds no licence for session ${streamId}.`);
    return [200, { allowed: true, address }];
  }

  async function handle(request: IncomingMessage): Promise<[number, unknown]> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method === "GET" && path === "/health") {
      try {
        const blockNumber = await getBlockNumber(client, { cacheTime: 0 });
        return [
          200,
          { ok: true, chainId: options.deployment.chainId, blockNumber: String(blockNumber), decisions, lastFailure },
        ];
      } catch (error) {
        logFailure("health check", error);
        return [503, { ok: false, reason: CHAIN_UNAVAILABLE, decisions, lastFailure }];
      }
    }
    if (request.method === "GET" && path === "/nonce") return [200, { nonce: sessions.issueNonce() }];
    if (request.method === "POST" && path === "/session") {
      const signed = signedSignInOf((await readJson(request)).body);
      if (!signed) throw new HttpError(400, "Send { message, signature } of a Sign-In with Ethereum message.");
      const { token, address } = await exchangeSignIn(sessions, client, { ...signed, domain }).catch((error) => {
        // A refused sign-in says why; a failed chain read (ERC-1271 wallets) says nothing of the RPC.
        if (error instanceof SignInError) throw new HttpError(401, error.message);
        return unavailable("sign-in", error);
      });
      return [200, { token, address }];
    }
    if (request.method === "POST" && path === "/livepeer/access-control") {
      try {
        const result = await webhook(request);
        decisions.allowed++;
        return result;
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        if (status === 403) decisions.denied++;
        else decisions.failed++;
        if (status !== 403) lastFailure = { at: new Date().toISOString(), status, reason: publicMessage(error) };
        throw error;
      }
    }
    throw new HttpError(404, `No route ${request.method} ${path}.`);
  }

  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    response.setHeader("access-control-allow-origin", options.corsOrigin ?? "*");
    response.setHeader("access-control-allow-headers", "content-type");
    if (request.method === "OPTIONS") return void response.writeHead(204).end();
    let status: number;
    let body: unknown;
    try {
      [status, body] = await handle(request);
    } catch (error) {
      status = error instanceof HttpError ? error.status : 500;
      if (!(error instanceof HttpError)) logFailure("request", error);
      body = { error: publicMessage(error) };
    }
    const text = JSON.stringify(body);
    response.writeHead(status, { "content-type": "application/json" }).end(text);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  if (!domain) domain = `${host}:${port}`;
  const url = `http://${host}:${port}`;
  return {
    url,
    webhookUrl: `${url}/livepeer/access-control`,
    decisions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
