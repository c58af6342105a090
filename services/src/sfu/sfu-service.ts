/**
 * The `sfu` service: a selective forwarding unit for live sessions too big for a mesh room. The artist
 * publishes once over WHIP (RFC 9725), every fan watches over WHEP, and the artist's RTP is forwarded
 * to each fan without decoding (`forwarder.ts`), so the artist's upload does not grow with the
 * audience. Behind the services' sign-in (`GET /nonce`, `POST /session`, then a Bearer token) and the
 * live sessions' on-chain admission (`sign-in/live-access.ts`, shared with the signalling rooms):
 * only a session's artist publishes it, only a wallet that `canWatch` watches it.
 *
 *   GET    /nonce                 → { nonce }
 *   POST   /session               { message, signature } → { token, address }
 *   POST   /whip/<streamId>       SDP offer → 201 SDP answer, Location   (the session's artist)
 *   POST   /whep/<streamId>       SDP offer → 201 SDP answer, Location   (a wallet that canWatch)
 *   DELETE /sfu/sessions/<id>     ends that publisher or viewer          (the same wallet)
 *   GET    /health                → SfuHealth
 *
 * Wire shapes: the SDK's `protocol/sfu.ts`; errors are the kernel's one shape.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Address, type Chain, createPublicClient, http } from "viem";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import { harmonieChains } from "../../../sdk/src/chains.ts";
import type { Deployment } from "../../../sdk/src/deployments.ts";
import { localUrl } from "../../../sdk/src/stack-config.ts";
import { SDP_CONTENT_TYPE, SFU_ROUTES, type SfuHealth } from "../../../sdk/src/protocol/sfu.ts";
import { HttpError, limitedBody, type RateLimitOptions, redactUrls, startHttpService } from "../http/kernel.ts";
import { createLiveAccess, LiveAccessUnavailable, type LiveAccess } from "../sign-in/live-access.ts";
import { createSessionIssuer, type SessionIssuer, signInRoutes } from "../sign-in/sessions.ts";
import {
  BadOfferError,
  createForwarder,
  type Forwarder,
  type ForwarderOptions,
  NotPublishingError,
} from "./forwarder.ts";

export interface SfuServiceOptions {
  deployment: Deployment;
  /** A client for the deployment's chain (reads only); or pass `rpcUrl`. */
  client?: HarmonieClient;
  rpcUrl?: string;
  port?: number;
  host?: string;
  /** The host sign-in messages must name; `<host>:<port>` by default. */
  domain?: string;
  sessions?: SessionIssuer;
  /** Admission; by default the chain's (`createLiveAccess`). */
  access?: LiveAccess;
  /** WebRTC settings of the forwarder (ICE servers, port range, announced addresses). */
  rtc?: ForwarderOptions;
  /** Most viewers per session (a full session answers 503 `RateLimited` with a retry). Default 500. */
  maxViewersPerSession?: number;
  /** Per-client limit on POST/DELETE (sign-ins, offers). Default 600 a minute: fans behind one NAT share it. */
  rateLimit?: RateLimitOptions;
  corsOrigins?: "*" | readonly string[];
  log?: (line: string) => void;
}

export interface SfuService {
  url: string;
  forwarder: Forwarder;
  close(): Promise<void>;
}

const MAX_SDP_BYTES = 64 * 1024;

async function readSdp(request: IncomingMessage): Promise<string> {
  const type = request.headers["content-type"] ?? "";
  if (!type.startsWith(SDP_CONTENT_TYPE))
    throw new HttpError(415, "BadRequest", `Send the offer as ${SDP_CONTENT_TYPE}.`);
  let text = "";
  for await (const chunk of limitedBody(request, MAX_SDP_BYTES)) text += Buffer.from(chunk).toString("utf8");
  return text;
}

const streamIdOf = (segment: string | undefined): bigint => {
  if (segment === undefined || !/^\d{1,78}$/.test(segment))
    throw new HttpError(400, "BadRequest", "The session id (streamId) must be a decimal number.");
  return BigInt(segment);
};

/**
 * Starts the SFU on 127.0.0.1 (by default).
 *
 * @example
 * const sfu = await startSfuService({ rpcUrl: "http://127.0.0.1:8545", deployment, port: 8793 });
 * // artist: publishSfu({ url: sfuWhipUrl(sfu.url, streamId), token, media })
 * // fan:    watchSfu({ url: sfuWhepUrl(sfu.url, streamId), token })
 */
export async function startSfuService(options: SfuServiceOptions): Promise<SfuService> {
  if (!options.client && !options.rpcUrl && !options.access)
    throw new Error("startSfuService needs `client`, `rpcUrl` or `access`.");
  const client =
    options.client ??
    (createPublicClient({
      chain: harmonieChains[options.deployment.chainId] as Chain | undefined,
      transport: http(options.rpcUrl ?? localUrl("rpc"), { retryCount: 0, timeout: 5_000 }),
    }) as HarmonieClient);
  const log = options.log ?? ((line: string) => console.error(`sfu: ${line}`));
  const sessions = options.sessions ?? createSessionIssuer();
  const access = options.access ?? createLiveAccess({ client, deployment: options.deployment });
  const maxViewers = options.maxViewersPerSession ?? 500;
  // Media on the HTTP side's address: loopback stays loopback, a wildcard host takes every interface.
  const bindAddress = !options.host ? "127.0.0.1" : /^(0\.0\.0\.0|::)$/.test(options.host) ? undefined : options.host;
  const forwarder = createForwarder({ bindAddress, ...options.rtc });
  const owners = new Map<string, Address>();
  let domain = options.domain ?? "";
  const signIn = signInRoutes({ sessions, client, domain: () => domain, log });

  const admitted = async <T>(check: Promise<T>): Promise<T> =>
    check.catch((error: unknown) => {
      if (error instanceof LiveAccessUnavailable) {
        log(`chain read failed: ${redactUrls(String((error.cause as Error)?.message ?? error.cause).split("\n")[0])}`);
        throw new HttpError(503, "ChainUnavailable", error.message);
      }
      throw error;
    });

  const answered = (response: ServerResponse, id: string, answer: string) => {
    response
      .writeHead(201, {
        "content-type": SDP_CONTENT_TYPE,
        location: `${SFU_ROUTES.resources}/${id}`,
        "content-length": Buffer.byteLength(answer),
      })
      .end(answer);
  };

  const offerFailed = (error: unknown): never => {
    if (error instanceof BadOfferError) throw new HttpError(400, "BadRequest", error.message);
    if (error instanceof NotPublishingError) throw new HttpError(404, "NotFoundError", error.message);
    throw error;
  };

  async function route(request: IncomingMessage, response: ServerResponse, url: URL) {
    const signInReply = await signIn(request, url);
    if (signInReply) return signInReply;
    const segments = url.pathname.split("/").filter(Boolean);
    const [first, second] = segments;
    if (request.method === "POST" && segments.length === 2 && `/${first}` === SFU_ROUTES.whip) {
      const streamId = streamIdOf(second);
      const { address } = signIn.bearer(request);
      const decision = await admitted(access.mayPublish(address, streamId));
      if (!decision.allowed) {
        if (decision.reason === "unknown-session")
          throw new HttpError(404, "NotFoundError", `No on-chain session ${streamId}.`);
        throw new HttpError(
          403,
          "Forbidden",
          decision.reason === "closed"
            ? `Session ${streamId} is closed.`
            : `Only the session's artist (${decision.artist}) may publish session ${streamId}.`,
        );
      }
      const offer = await readSdp(request);
      const { id, answer } = await forwarder.publish(streamId.toString(), offer).catch(offerFailed);
      owners.set(id, address);
      return answered(response, id, answer);
    }
    if (request.method === "POST" && segments.length === 2 && `/${first}` === SFU_ROUTES.whep) {
      const streamId = streamIdOf(second);
      const { address } = signIn.bearer(request);
      const key = streamId.toString();
      const publication = forwarder.publication(key);
      // Cheap checks before the chain read.
      if (!publication) throw new HttpError(404, "NotFoundError", `Nobody is publishing session ${key} yet.`);
      if (publication.viewers().length >= maxViewers)
        throw new HttpError(503, "RateLimited", `Session ${key} is full (${maxViewers} viewers); retry shortly.`, {
          details: { retryAfterSeconds: 10 },
          headers: { "retry-after": "10" },
        });
      if (!(await admitted(access.mayWatch(address, streamId))))
        throw new HttpError(
          403,
          "AccessDeniedError",
          `${address} holds no licence for the track gating session ${key}.`,
        );
      const offer = await readSdp(request);
      const { id, answer } = await forwarder.subscribe(key, offer).catch(offerFailed);
      owners.set(id, address);
      return answered(response, id, answer);
    }
    if (
      request.method === "DELETE" &&
      `/${segments.slice(0, 2).join("/")}` === SFU_ROUTES.resources &&
      segments.length === 3
    ) {
      const id = segments[2]!;
      const { address } = signIn.bearer(request);
      const owner = owners.get(id);
      if (!owner || !forwarder.resource(id)) throw new HttpError(404, "NotFoundError", `No SFU session ${id}.`);
      if (owner.toLowerCase() !== address.toLowerCase())
        throw new HttpError(403, "Forbidden", "Only the wallet that opened this SFU session may end it.");
      owners.delete(id);
      await forwarder.end(id);
      return { status: 200 };
    }
    throw new HttpError(404, "RouteNotFound", `No route ${request.method} ${url.pathname}.`);
  }

  const health = () => {
    const list = forwarder.publications().map((p) => ({
      streamId: p.key,
      viewers: p.viewers().length,
      packetsIn: p.packetsIn,
      packetsOut: p.packetsOut,
    }));
    for (const id of owners.keys()) if (!forwarder.resource(id)) owners.delete(id); // ended by the peer
    return {
      status: 200,
      body: {
        ok: true,
        chainId: options.deployment.chainId,
        sessions: list,
        viewers: list.reduce((sum, s) => sum + s.viewers, 0),
      } satisfies Omit<SfuHealth, "service">,
    };
  };

  const service = await startHttpService(
    {
      name: "sfu",
      route,
      health,
      cors: {
        origins: options.corsOrigins ?? "*",
        methods: ["GET", "POST", "DELETE", "OPTIONS"],
        expose: ["Location"],
      },
      rateLimit: options.rateLimit ?? { max: 600, windowMs: 60_000 },
      log,
    },
    { port: options.port, host: options.host },
  );
  if (!domain) domain = new URL(service.url).host;
  return {
    url: service.url,
    forwarder,
    async close() {
      await service.close();
      await forwarder.close();
    },
  };
}
