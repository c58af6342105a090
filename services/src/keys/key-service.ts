/**
 * The key service for exclusive tracks. An exclusive track's audio is stored encrypted; this service
 * holds each track's AES key and releases it only to a wallet that signed in with Ethereum and for
 * which `ContentRegistry.hasAccess(wallet, trackId)` is true on chain at the time of the request.
 * Only the track's artist may deposit its key.
 *
 *   GET  /nonce                 → { nonce }               single-use sign-in nonce
 *   POST /session               { message, signature } → { token, address, expiresIn }
 *   PUT  /keys/<trackId>        { key: base64 }  (Bearer token of the track's artist)
 *   GET  /keys/<trackId>        → { key: base64 }  (Bearer token of a wallet with access)
 *   GET  /health                → { ok, service: "keys", chainId, tracks }
 *
 * Wire shapes and error names: the SDK's `protocol/keys.ts` and `protocol/sign-in.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { getTrack, hasAccess } from "../../../sdk/src/actions/catalog.ts";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import type { Deployment } from "../../../sdk/src/deployments.ts";
import { ContractError } from "../../../sdk/src/errors.ts";
import type { KeyServiceHealth, TrackKeyResponse } from "../../../sdk/src/protocol/keys.ts";
import { HttpError, type RateLimitOptions, readJson, type Reply, startHttpService } from "../http/kernel.ts";
import { createSessionIssuer, type SessionIssuer, signInRoutes } from "../sign-in/sessions.ts";

export interface KeyServiceOptions {
  /** A client for the chain the deployment is on (reads only). */
  client: HarmonieClient;
  deployment: Deployment;
  /** The host sign-in messages must name, e.g. `127.0.0.1:8790` or `keys.example.org`. */
  domain: string;
  port?: number;
  host?: string;
  /** JSON file the keys persist in; in memory only when omitted. Protect it like a secret. */
  keysFile?: string;
  sessions?: SessionIssuer;
  /** Allowed browser origins (CORS); `*` by default. */
  corsOrigins?: "*" | readonly string[];
  /** Per-client limit on sign-ins and deposits. Default 60 a minute. */
  rateLimit?: RateLimitOptions;
}

export interface KeyService {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the key service on 127.0.0.1 (by default).
 *
 * @example
 * const service = await startKeyService({ client: publicClient, deployment, domain: "127.0.0.1:8790", port: 8790 });
 */
export async function startKeyService(options: KeyServiceOptions): Promise<KeyService> {
  const sessions = options.sessions ?? createSessionIssuer();
  const keys = new Map<string, string>(
    options.keysFile && existsSync(options.keysFile)
      ? Object.entries(JSON.parse(readFileSync(options.keysFile, "utf8")))
      : [],
  );
  const persist = () =>
    options.keysFile && writeFileSync(options.keysFile, JSON.stringify(Object.fromEntries(keys)), { mode: 0o600 });

  const signIn = signInRoutes({ sessions, client: options.client, domain: () => options.domain });

  const trackIdOf = (segment: string) => {
    if (!/^\d{1,40}$/.test(segment))
      throw new HttpError(400, "BadRequest", `"${segment}" is not a track id (a decimal number).`);
    return BigInt(segment);
  };

  async function route(request: IncomingMessage, url: URL): Promise<Reply> {
    const signInReply = await signIn(request, url);
    if (signInReply) return signInReply;
    const [, resource, id] = url.pathname.split("/");
    if (resource === "keys" && id !== undefined) {
      const trackId = trackIdOf(id);
      const { address } = signIn.bearer(request);
      if (request.method === "PUT") {
        const track = await getTrack(options.client, { deployment: options.deployment, trackId });
        if (track.artist.toLowerCase() !== address.toLowerCase()) {
          throw new HttpError(403, "Forbidden", `Only the track's artist (${track.artist}) may deposit its key.`);
        }
        const { key } = (await readJson(request)).body as { key?: unknown };
        if (typeof key !== "string" || Buffer.from(key, "base64").length !== 32) {
          throw new HttpError(400, "BadRequest", "Send { key } with the 32-byte AES key in base64.");
        }
        keys.set(id, key);
        persist();
        return { status: 204 };
      }
      if (request.method === "GET") {
        const key = keys.get(id);
        if (!key) throw new HttpError(404, "NotFoundError", `No key was deposited for track ${id}.`);
        const allowed = await hasAccess(options.client, { deployment: options.deployment, account: address, trackId });
        if (!allowed)
          throw new HttpError(
            403,
            "AccessDeniedError",
            `${address} has no access to track ${id}: buy a licence first.`,
          );
        return { status: 200, body: { key } satisfies TrackKeyResponse };
      }
    }
    throw new HttpError(404, "RouteNotFound", `No route ${request.method} ${url.pathname}.`);
  }

  // A busy port rejects (EADDRINUSE) instead of becoming an uncaught exception.
  const service = await startHttpService(
    {
      name: "keys",
      route: (request, _response, url) => route(request, url),
      health: () => ({
        status: 200,
        body: { ok: true, chainId: options.deployment.chainId, tracks: keys.size } satisfies Omit<
          KeyServiceHealth,
          "service"
        >,
      }),
      cors: { origins: options.corsOrigins ?? "*", methods: ["GET", "POST", "PUT", "OPTIONS"] },
      rateLimit: options.rateLimit ?? { max: 60, windowMs: 60_000 },
      classify: (error) =>
        isUnknownTrack(error) ? new HttpError(404, "NotFoundError", (error as Error).message) : undefined,
    },
    { port: options.port, host: options.host },
  );
  return { url: service.url, close: service.close };
}

function isUnknownTrack(error: unknown) {
  return error instanceof ContractError && error.errorName === "ContentRegistryUnknownTrack";
}
