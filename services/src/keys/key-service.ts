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
 *   GET  /health                → { ok, chainId, tracks }
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { getTrack, hasAccess } from "../../../sdk/src/actions/catalog.ts";
import type { HarmonieClient } from "../../../sdk/src/actions/internal.ts";
import type { Deployment } from "../../../sdk/src/deployments.ts";
import { ContractError, SignInError } from "../../../sdk/src/errors.ts";
import { HttpError, listen, readJson } from "../http/kernel.ts";
import { createSessionIssuer, exchangeSignIn, type SessionIssuer, signedSignInOf } from "../sign-in/sessions.ts";

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
  corsOrigin?: string;
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

  const bearer = (request: IncomingMessage) => {
    const header = request.headers.authorization ?? "";
    if (!header.startsWith("Bearer "))
      throw new HttpError(401, "Sign in first: POST /session, then send Authorization: Bearer <token>.");
    try {
      return sessions.verifyToken(header.slice(7));
    } catch (error) {
      throw new HttpError(401, (error as Error).message);
    }
  };

  const trackIdOf = (segment: string) => {
    if (!/^\d{1,40}$/.test(segment)) throw new HttpError(400, `"${segment}" is not a track id (a decimal number).`);
    return BigInt(segment);
  };

  async function handle(request: IncomingMessage): Promise<[number, unknown]> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const [, resource, id] = url.pathname.split("/");
    if (request.method === "GET" && resource === "health") {
      return [200, { ok: true, chainId: options.deployment.chainId, tracks: keys.size }];
    }
    if (request.method === "GET" && resource === "nonce") return [200, { nonce: sessions.issueNonce() }];
    if (request.method === "POST" && resource === "session") {
      const signed = signedSignInOf((await readJson(request)).body);
      if (!signed) throw new HttpError(400, "Send { message, signature } of a Sign-In with Ethereum message.");
      const { token, address } = await exchangeSignIn(sessions, options.client, { ...signed, domain: options.domain });
      return [200, { token, address }];
    }
    if (resource === "keys" && id !== undefined) {
      const trackId = trackIdOf(id);
      const { address } = bearer(request);
      if (request.method === "PUT") {
        const track = await getTrack(options.client, { deployment: options.deployment, trackId });
        if (track.artist.toLowerCase() !== address.toLowerCase()) {
          throw new HttpError(403, `Only the track's artist (${track.artist}) may deposit its key.`);
        }
        const { key } = (await readJson(request)).body as { key?: string };
        if (typeof key !== "string" || Buffer.from(key, "base64").length !== 32) {
          throw new HttpError(400, "Send { key } with the 32-byte AES key in base64.");
        }
        keys.set(id, key);
        persist();
        return [204, undefined];
      }
      if (request.method === "GET") {
        const key = keys.get(id);
        if (!key) throw new HttpError(404, `No key was deposited for track ${id}.`);
        const allowed = await hasAccess(options.client, { deployment: options.deployment, account: address, trackId });
        if (!allowed) throw new HttpError(403, `${address} has no access to track ${id}: buy a licence first.`);
        return [200, { key }];
      }
    }
    throw new HttpError(404, `No route ${request.method} ${url.pathname}.`);
  }

  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    response.setHeader("access-control-allow-origin", options.corsOrigin ?? "*");
    response.setHeader("access-control-allow-headers", "authorization, content-type");
    response.setHeader("access-control-allow-methods", "GET, POST, PUT, OPTIONS");
    if (request.method === "OPTIONS") return void response.writeHead(204).end();
    let status: number;
    let body: unknown;
    try {
      [status, body] = await handle(request);
    } catch (error) {
      status =
        error instanceof HttpError
          ? error.status
          : error instanceof SignInError
            ? 401
            : isUnknownTrack(error)
              ? 404
              : 500;
      body = { error: status === 500 ? "Internal error" : (error as Error).message };
      if (status === 500) console.error(error);
    }
    response.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  });

  // A busy port rejects (EADDRINUSE) instead of becoming an uncaught exception.
  const url = await listen(server, options.port ?? 0, options.host ?? "127.0.0.1");
  return {
    url,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function isUnknownTrack(error: unknown) {
  return error instanceof ContractError && error.errorName === "ContentRegistryUnknownTrack";
}
