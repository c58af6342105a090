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
 *   GET  /health                   200 { ok: true, service, chainId, blockNumber, decisions, studio, lastFailure } or 503 when the chain is unreachable
 *
 * Given a Studio client (`studio`: the API key stays here), it also relays an artist's Livepeer
 * streams, so the dApp can go live for a big audience with no key in the browser:
 *
 *   POST /livepeer/streams                 { name, record? } → 201 stream (registered artists; at most `maxStreamsPerArtist` at once)
 *   POST /livepeer/streams/<id>/gate       { streamId } → 200 (the creator's open session opened with this stream's playback id)
 *   POST /livepeer/streams/<id>/terminate  → 200 (the creator)
 *
 * Wire shapes and error names: the SDK's `protocol/livepeer-gate.ts` and `protocol/sign-in.ts`.
 *
 * Livepeer users report that a failing gate looks like a broken player; `/health` and `decisions`
 * make it visible (point your uptime monitor at it).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type Chain, createPublicClient, http } from "viem";
import { getBlockNumber } from "viem/actions";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import { canWatch, getSession, getSessionPlaybackId } from "../../../sdk/src/actions/live.ts";
import { getProfile } from "../../../sdk/src/actions/profiles.ts";
import { ContractError } from "../../../sdk/src/errors.ts";
import { harmonieChains } from "../../../sdk/src/chains.ts";
import type { Deployment } from "../../../sdk/src/deployments.ts";
import {
  ACCESS_CONTROL_PATH,
  type AccessControlAllowed,
  type LivepeerGateHealth,
  RELAY_STREAMS_PATH,
} from "../../../sdk/src/protocol/livepeer-gate.ts";
import type { LivepeerStudio, StudioStream } from "../../../sdk/src/streaming/livepeer.ts";
import { HttpError, readJson, redactUrls, type Reply, startHttpService } from "../http/kernel.ts";
import { createSessionIssuer, type SessionIssuer, signInRoutes } from "../sign-in/sessions.ts";

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
  corsOrigins?: "*" | readonly string[];
  /**
   * A Studio client (`createLivepeerStudio` with the API key and `accessControlWebhookId`): artists
   * then create, gate and end their Livepeer streams through this service. Off without it.
   */
  studio?: LivepeerStudio;
  /** Streams one artist may have live through the relay at once. Default 3. */
  maxStreamsPerArtist?: number;
}

export interface LivepeerAccessControl {
  url: string;
  /** The URL to register as the Livepeer webhook. */
  webhookUrl: string;
  decisions: { allowed: number; denied: number; failed: number };
  close(): Promise<void>;
}

/**
 * What a caller sees of a failure that is not one of ours: a fixed sentence. RPC errors carry the RPC
 * URL, and a provider's URL usually holds its API key; the detail goes to the operator's log instead.
 */
const CHAIN_UNAVAILABLE = "The chain could not be read; try again shortly.";

/** The operator's log line: the failure with any URL in it reduced to its origin. */
function logFailure(what: string, error: unknown) {
  const detail = String((error as Error)?.message ?? error).split("\n")[0] ?? "";
  console.error(`livepeer access control: ${what} failed: ${redactUrls(detail)}`);
}

function unavailable(what: string, error: unknown): never {
  logFailure(what, error);
  throw new HttpError(503, "ChainUnavailable", CHAIN_UNAVAILABLE);
}

/**
 * Checks `Livepeer-Signature: t=<timestamp>,v1=<hex HMAC-SHA256(secret, body)>`. Studio signs the body
 * alone (https://docs.livepeer.org/developers/guides/setup-and-listen-to-webhooks: "the signed_payload
 * is the raw request payload", which "includes the same timestamp"), so the header's `t` proves
 * nothing: freshness is judged on the body's signed `timestamp`, which must equal `t`.
 */
function checkSignature(header: string | undefined, raw: string, secret: string, maxSkewMs: number) {
  const parts = Object.fromEntries(
    (header ?? "").split(",").map((part) => part.trim().split("=", 2) as [string, string]),
  );
  if (!parts.t || !parts.v1) throw new HttpError(401, "SignInRequired", "Missing or malformed Livepeer-Signature.");
  const expected = Buffer.from(createHmac("sha256", secret).update(raw).digest("hex"));
  const given = Buffer.from(parts.v1);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new HttpError(401, "SignInRequired", "Wrong Livepeer-Signature.");
  }
  const signed = (() => {
    try {
      return Number((JSON.parse(raw) as { timestamp?: unknown }).timestamp);
    } catch {
      return Number.NaN;
    }
  })();
  const ms = signed > 1e12 ? signed : signed * 1000;
  if (!Number.isFinite(ms) || String(signed) !== parts.t || Math.abs(Date.now() - ms) > maxSkewMs)
    throw new HttpError(401, "SignInRequired", "Stale Livepeer-Signature: the signed timestamp is too old.");
}

/**
 * Starts the access-control service on 127.0.0.1 (by default).
 *
 * @example
 * const gate = await startLivepeerAccessControl({ rpcUrl, deployment, port: 8792, webhookSecret });
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
  const decisions = { allowed: 0, denied: 0, failed: 0 };
  let lastFailure: LivepeerGateHealth["lastFailure"];
  let domain = options.domain ?? "";
  const signIn = signInRoutes({ sessions, client, domain: () => domain });

  async function webhook(request: IncomingMessage): Promise<Reply> {
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
      throw new HttpError(400, "BadRequest", "webhookContext.streamId (the on-chain session id) is missing.");
    }
    if (typeof accessKey !== "string" || !accessKey)
      throw new HttpError(401, "SignInRequired", "No access key: sign in and pass it as accessKey.");
    const { address } = signIn.verify(accessKey);
    const allowed = await canWatch(client, {
      deployment: options.deployment,
      account: address,
      streamId: BigInt(streamId),
    }).catch((error: unknown) => unavailable("licence check", error));
    if (!allowed) throw new HttpError(403, "AccessDeniedError", `${address} holds no licence for session ${streamId}.`);
    // Livepeer caches an allow for 120 s (Studio's gate answers `Cache-Control: max-age=120`): a licence
    // that ends mid-show stops playback at the next check, up to two minutes later.
    return { status: 200, body: { allowed: true, address } satisfies AccessControlAllowed };
  }

  /** The relay's streams: who created each, with what playback id, and whether it was ended. */
  const relayed = new Map<string, { owner: string; playbackId: string; ended: boolean }>();
  const maxStreams = options.maxStreamsPerArtist ?? 3;
  const studioFailed = (what: string) => (error: unknown) => {
    logFailure(`Livepeer ${what}`, error);
    // The Studio client's messages hold neither the API key nor a secret: the artist may read them.
    throw new HttpError(502, "LivepeerUnavailable", `Livepeer Studio: ${(error as Error).message}`);
  };

  async function relay(request: IncomingMessage, url: URL): Promise<Reply> {
    const studio = options.studio;
    if (!studio)
      throw new HttpError(
        404,
        "RouteNotFound",
        "This server has no Livepeer Studio key: going live on Livepeer is off.",
      );
    if (request.method !== "POST") throw new HttpError(405, "MethodNotAllowed", `Use POST on ${url.pathname}.`);
    const { address } = signIn.bearer(request);
    const [id, action, ...rest] = url.pathname.slice(RELAY_STREAMS_PATH.length + 1).split("/");
    if (!id) {
      const { body } = await readJson(request);
      const { name, record } = (body ?? {}) as { name?: unknown; record?: unknown };
      if (typeof name !== "string" || name.trim() === "" || name.length > 200)
        throw new HttpError(400, "BadRequest", "name: the session's title, 1 to 200 characters.");
      if (record !== undefined && typeof record !== "boolean")
        throw new HttpError(400, "BadRequest", "record: true or false.");
      const profile = await getProfile(client, { deployment: options.deployment, account: address }).catch(
        (error: unknown) => {
          if (error instanceof ContractError) return undefined; // no profile: not an artist
          return unavailable("artist check", error);
        },
      );
      if (!profile?.isArtist) throw new HttpError(403, "Forbidden", `${address} is not a registered artist.`);
      const live = [...relayed.values()].filter((s) => s.owner === address && !s.ended).length;
      if (live >= maxStreams)
        throw new HttpError(429, "RateLimited", `At most ${maxStreams} Livepeer streams at once; end one first.`, {
          details: { retryAfterSeconds: 60 },
        });
      const stream = await studio.createStream({ name, record: record ?? true }).catch(studioFailed("stream creation"));
      relayed.set(stream.id, { owner: address, playbackId: stream.playbackId, ended: false });
      return { status: 201, body: stream satisfies StudioStream };
    }
    const entry = relayed.get(id);
    if (!entry || rest.length > 0) throw new HttpError(404, "NotFoundError", `No Livepeer stream ${id} here.`);
    if (entry.owner !== address) throw new HttpError(403, "Forbidden", `Stream ${id} belongs to another artist.`);
    if (action === "gate") {
      const { body } = await readJson(request);
      const streamId = (body as { streamId?: unknown } | undefined)?.streamId;
      if (typeof streamId !== "string" || !/^\d{1,78}$/.test(streamId))
        throw new HttpError(400, "BadRequest", "streamId: the on-chain session id, in decimal.");
      const [session, playbackId] = await Promise.all([
        getSession(client, { deployment: options.deployment, streamId: BigInt(streamId) }),
        getSessionPlaybackId(client, { deployment: options.deployment, streamId: BigInt(streamId) }),
      ]).catch((error: unknown) => unavailable("session check", error));
      // Gating another artist's session, or a session of another stream, would hand its audience this stream.
      if (session.artist !== address || session.closedAt !== 0n || playbackId !== entry.playbackId)
        throw new HttpError(
          409,
          "SessionMismatch",
          `Session ${streamId} is not your open session with playback id ${entry.playbackId}.`,
        );
      await studio.setGate(id, { context: { streamId } }).catch(studioFailed("gating"));
      return { status: 200, body: { gated: true, streamId } };
    }
    if (action === "terminate") {
      await studio.terminate(id).catch(studioFailed("terminate"));
      entry.ended = true;
      return { status: 200, body: { terminated: true } };
    }
    throw new HttpError(404, "RouteNotFound", `No route POST ${url.pathname}.`);
  }

  async function route(request: IncomingMessage, url: URL): Promise<Reply> {
    const signInReply = await signIn(request, url);
    if (signInReply) return signInReply;
    if (request.method === "POST" && url.pathname === ACCESS_CONTROL_PATH) {
      try {
        const result = await webhook(request);
        decisions.allowed++;
        return result;
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        if (status === 403) decisions.denied++;
        else decisions.failed++;
        if (status !== 403) {
          const reason = error instanceof HttpError ? error.message : "The service failed.";
          lastFailure = { at: new Date().toISOString(), status, reason };
        }
        throw error;
      }
    }
    if (url.pathname === RELAY_STREAMS_PATH || url.pathname.startsWith(`${RELAY_STREAMS_PATH}/`))
      return relay(request, url);
    throw new HttpError(404, "RouteNotFound", `No route ${request.method} ${url.pathname}.`);
  }

  async function health(): Promise<Reply> {
    const chainId = options.deployment.chainId;
    const studio = options.studio !== undefined;
    try {
      const blockNumber = await getBlockNumber(client, { cacheTime: 0 });
      return {
        status: 200,
        body: { ok: true, chainId, blockNumber: String(blockNumber), decisions, studio, lastFailure },
      };
    } catch (error) {
      logFailure("health check", error);
      return { status: 503, body: { ok: false, chainId, reason: CHAIN_UNAVAILABLE, decisions, studio, lastFailure } };
    }
  }

  const service = await startHttpService(
    {
      name: "livepeer-gate",
      route: (request, _response, url) => route(request, url),
      health,
      cors: { origins: options.corsOrigins ?? "*" },
      log: (line) => console.error(`livepeer access control: ${line}`),
    },
    { port: options.port, host: options.host },
  );
  if (!domain) domain = new URL(service.url).host;
  return {
    url: service.url,
    webhookUrl: `${service.url}${ACCESS_CONTROL_PATH}`,
    decisions,
    close: service.close,
  };
}
