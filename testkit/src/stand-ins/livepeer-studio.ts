/**
 * LIVEPEER STUDIO STAND-IN — not Livepeer. Livepeer Studio cannot be reached from the test machines,
 * so this local server follows what Studio's published API reference and its source
 * (github.com/livepeer/studio, packages/api/src/controllers) do for the paths this repository uses,
 * plus the playback side (what Catalyst does with Studio's `/access-control/gate` answer):
 *
 *   POST   /api/stream                        201 Stream · 422 { errors }
 *   GET    /api/stream/:id                    200 Stream · 404 · 403 another project's stream
 *   PATCH  /api/stream/:id                    204                   (e.g. playbackPolicy)
 *   DELETE /api/stream/:id/terminate          204, asynchronous: the session stops `terminateDelayMs`
 *                                             later · 429 within 5 s of the previous terminate
 *   DELETE /api/stream/:id                    204
 *   GET    /api/stream/:id/sessions?record=1  200 Session[]; a recording is `waiting` until
 *                                             `recordingReadyMs` after the session ended, then `ready`
 *   POST   /api/webhook                       200 Webhook
 *   POST   /api/access-control/signing-key    201 { id, publicKey, privateKey } (base64 PEM, ES256) · 403 past 10 keys
 *   GET    /api/playback/:playbackId          200 PlaybackInfo · 404 { errors } — no API key needed, CORS open
 *   POST   /api/access-control/gate           200 config · 403 refused · 404 · 502 webhook unreachable;
 *                                             `Cache-Control: max-age=120,stale-while-revalidate=600`
 *   GET    /hls/:playbackId/index.m3u8?accessKey=…|?jwt=…  the gate (an allow is cached 120 s per key,
 *                                             as Catalyst caches it), then a playlist (no media)
 *   HEAD   /webrtc/:streamKey                 307 to the regional ingest `/region/webrtc/:streamKey`
 *   HEAD   /region/webrtc/:streamKey          200 + `Link: <stun:…>; rel="ice-server"` (and TURN)
 *   POST   /webrtc/:streamKey, /region/webrtc/:streamKey   WHIP ingest (werift, 201 + answer)
 *   POST   /webrtc/:playbackId, /region/webrtc/:playbackId  WebRTC playback (WHEP: the gate, then 201 +
 *                                             answer forwarding the live ingest; 403 refused, 404 not live)
 *
 * /api/* except playback info needs `Authorization: Bearer <apiKey>` (401 otherwise; `otherApiKey` is
 * a second project: 403 on this one's streams). `failNext(status, times)` makes the next API calls
 * answer a status (e.g. 429, as Studio's rate limiter does). The access-control webhook is called as
 * Studio does: POST `{ context, accessKey, timestamp }` with `Livepeer-Signature: t=<timestamp>,v1=<hex
 * HMAC-SHA256(secret, body)>` — the body alone is signed, and it holds the same timestamp; a 2XX
 * allows (a 2XX body `{ "ret": <status> }` overrides the status), anything else refuses.
 */
import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createWhipHandler } from "./whip-endpoint.ts";

interface StandInStream {
  id: string;
  name: string;
  kind: "stream";
  userId: string;
  streamKey: string;
  playbackId: string;
  record: boolean;
  multistream?: unknown;
  playbackPolicy: { type: "public" | "jwt" | "webhook"; webhookId?: string; webhookContext?: Record<string, unknown> };
  createdAt: number;
  lastTerminatedAt?: number;
  isActive: boolean;
  lastSeen: number;
  suspended: boolean;
}

interface StandInSession {
  id: string;
  parentId: string;
  name: string;
  kind: "stream";
  playbackId: string;
  record: boolean;
  createdAt: number;
  lastSeen: number;
  recordingStatus: "waiting" | "ready";
  endedAt?: number;
  recordingUrl?: string;
  mp4Url?: string;
}

interface StandInWebhook {
  id: string;
  name: string;
  kind: "webhook";
  url: string;
  events: string[];
  sharedSecret?: string;
  createdAt: number;
  userId: string;
}

const id = (bytes = 8) => randomBytes(bytes).toString("hex");

/**
 * Starts the stand-in on 127.0.0.1.
 *
 * @example
 * const studio = await startLivepeerStudioStandIn();
 * const lp = createLivepeerStudio({ apiKey: studio.apiKey, serverURL: studio.apiUrl, ingestBaseUrl: studio.ingestBaseUrl });
 */
export async function startLivepeerStudioStandIn(
  options: {
    apiKey?: string;
    port?: number;
    /** How long after a terminate the session stops (Studio asks Catalyst to stop it). Default 300 ms. */
    terminateDelayMs?: number;
    /** How long after a session ends its recording is ready (minutes on Studio). Default 1 s. */
    recordingReadyMs?: number;
    /** How long an allowed playback is cached per (playback id, key). Default 120 s, as Livepeer. */
    gateCacheMs?: number;
  } = {},
) {
  const apiKey = options.apiKey ?? `standin-${id()}`;
  const otherApiKey = `standin-other-${id()}`;
  const terminateDelayMs = options.terminateDelayMs ?? 300;
  const recordingReadyMs = options.recordingReadyMs ?? 1_000;
  const gateCacheMs = options.gateCacheMs ?? 120_000;
  const signingKeys = new Map<string, { id: string; publicKey: string; userId: string }>();
  const gateCache = new Map<string, number>();
  const failures: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => (timers.delete(timer), run()), ms);
    timers.add(timer);
  };
  const streams = new Map<string, StandInStream>();
  const sessions = new Map<string, StandInSession>();
  const webhooks = new Map<string, StandInWebhook>();
  const webhookCalls: { url: string; status: number; body: unknown }[] = [];
  let base = "";

  const whip = createWhipHandler({
    prefix: "/webrtc",
    onSession(ingest) {
      const stream = [...streams.values()].find((s) => s.streamKey === ingest.streamKey);
      if (!stream) return;
      stream.isActive = true;
      stream.lastSeen = Date.now();
      const session: StandInSession = {
        id: randomUUID(),
        parentId: stream.id,
        name: stream.name,
        kind: "stream",
        playbackId: stream.playbackId,
        record: stream.record,
        createdAt: Date.now(),
        lastSeen: Date.now(),
        recordingStatus: "waiting",
      };
      sessions.set(session.id, session);
    },
  });

  /** The session stops; its recording becomes ready `recordingReadyMs` later. */
  const endSessions = (stream: StandInStream) => {
    stream.isActive = false;
    for (const session of sessions.values()) {
      if (session.parentId !== stream.id || session.endedAt || !session.record) continue;
      session.endedAt = Date.now();
      later(recordingReadyMs, () => {
        session.recordingStatus = "ready";
        session.recordingUrl = `${base}/recordings/${session.id}/index.m3u8`;
        session.mp4Url = `${base}/recordings/${session.id}/source.mp4`;
      });
    }
  };

  /** A JWT as Livepeer checks it: ES256 by a signing key of the stream's owner, `sub` = playback id, not expired. */
  const jwtAllows = (stream: StandInStream, jwt: string) => {
    const [head, body, signature] = jwt.split(".");
    if (!head || !body || !signature) return false;
    try {
      const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      const key = [...signingKeys.values()].find((k) => k.publicKey === claims.pub && k.userId === stream.userId);
      if (!key || claims.sub !== stream.playbackId || !(claims.exp > Date.now() / 1000)) return false;
      const publicKey = createPublicKey(Buffer.from(key.publicKey, "base64").toString("utf8"));
      return verify(
        "sha256",
        Buffer.from(`${head}.${body}`),
        { key: publicKey, dsaEncoding: "ieee-p1363" },
        Buffer.from(signature, "base64url"),
      );
    } catch {
      return false;
    }
  };

  /** Studio's gate: 200 allowed, 403 refused (by policy or by the webhook), 404, 502 webhook unreachable. */
  async function gate(playbackId: string, credential: { accessKey?: string; jwt?: string }): Promise<number> {
    const stream = [...streams.values()].find((s) => s.playbackId === playbackId);
    if (!stream) return 404;
    const policy = stream.playbackPolicy;
    if (policy.type === "public") return 200;
    if (policy.type === "jwt") return credential.jwt && jwtAllows(stream, credential.jwt) ? 200 : 403;
    const accessKey = credential.accessKey;
    if (policy.type !== "webhook" || !accessKey) return 403;
    const webhook = webhooks.get(policy.webhookId ?? "");
    if (!webhook) return 500;
    const timestamp = Date.now();
    const body = JSON.stringify({ context: policy.webhookContext, accessKey, timestamp });
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "livepeer.studio" };
    if (webhook.sharedSecret) {
      headers["Livepeer-Signature"] =
        `t=${timestamp},v1=${createHmac("sha256", webhook.sharedSecret).update(body).digest("hex")}`;
    }
    let status = 0;
    try {
      const response = await fetch(webhook.url, { method: "POST", headers, body, signal: AbortSignal.timeout(30_000) });
      status = response.status;
      const answer = await response.json().catch(() => undefined);
      webhookCalls.push({ url: webhook.url, status, body: answer });
      if (status >= 200 && status < 300 && typeof answer?.ret === "number") status = answer.ret;
    } catch {
      webhookCalls.push({ url: webhook.url, status: 0, body: undefined });
    }
    if (status === 0) return 502;
    return status >= 200 && status < 300 ? 200 : 403;
  }

  /** What a viewer's player meets: Catalyst asks the gate and caches an allow for `gateCacheMs`. */
  async function playbackGate(playbackId: string, credential: { accessKey?: string; jwt?: string }) {
    const key = `${playbackId}:${credential.accessKey ?? ""}:${credential.jwt ?? ""}`;
    if ((gateCache.get(key) ?? 0) > Date.now()) return 200;
    const status = await gate(playbackId, credential);
    if (status === 200) gateCache.set(key, Date.now() + gateCacheMs);
    return status;
  }

  const readJson = async (request: IncomingMessage) => {
    let raw = "";
    for await (const chunk of request) raw += chunk;
    return raw ? JSON.parse(raw) : {};
  };
  const json = (response: ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) return void response.writeHead(status).end();
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const notFound = (response: ServerResponse) => json(response, 404, { errors: ["not found"] });

  async function api(request: IncomingMessage, response: ServerResponse, url: URL) {
    const parts = url.pathname.split("/").slice(2); // after /api
    const method = request.method;
    const injected = failures.shift();
    if (injected) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (injected === 429) headers["retry-after"] = "1";
      return void response.writeHead(injected, headers).end(JSON.stringify({ errors: [`injected ${injected}`] }));
    }
    // Playback info is public (Studio's playback router has no authorizer): players call it without a key.
    if (parts[0] === "playback" && method === "GET" && parts[1]) {
      // Players call it from any page's origin.
      response.setHeader("access-control-allow-origin", "*");
      const stream = [...streams.values()].find((s) => s.playbackId === parts[1]);
      if (!stream) return json(response, 404, { errors: [`No playback URL found for ${parts[1]}`] });
      return json(response, 200, {
        type: "live",
        meta: {
          live: stream.isActive ? 1 : 0,
          playbackPolicy: stream.playbackPolicy,
          source: [
            {
              hrn: "HLS (TS)",
              type: "html5/application/vnd.apple.mpegurl",
              url: `${base}/hls/${stream.playbackId}/index.m3u8`,
            },
            { hrn: "WebRTC (H264)", type: "html5/video/h264", url: `${base}/webrtc/${stream.playbackId}` },
          ],
        },
      });
    }
    const userId =
      request.headers.authorization === `Bearer ${apiKey}`
        ? "standin-user"
        : request.headers.authorization === `Bearer ${otherApiKey}`
          ? "standin-other-user"
          : undefined;
    if (!userId) return json(response, 401, { errors: ["Unauthorized"] });
    if (parts[0] === "stream") {
      const stream = parts[1] ? streams.get(parts[1]) : undefined;
      if (stream && stream.userId !== userId) return json(response, 403, { errors: ["access forbidden"] });
      if (method === "POST" && parts.length === 1) {
        const body = await readJson(request);
        if (typeof body.name !== "string" || !body.name) return json(response, 422, { errors: ["name is required"] });
        const created: StandInStream = {
          id: randomUUID(),
          name: body.name,
          kind: "stream",
          userId,
          streamKey: `${id(2)}-${id(2)}-${id(2)}-${id(2)}`,
          playbackId: id(8),
          record: body.record === true,
          ...(body.multistream ? { multistream: body.multistream } : {}),
          playbackPolicy: body.playbackPolicy ?? { type: "public" },
          createdAt: Date.now(),
          isActive: false,
          lastSeen: 0,
          suspended: false,
        };
        streams.set(created.id, created);
        return json(response, 201, created);
      }
      if (!stream) return notFound(response);
      if (method === "GET" && parts.length === 2) return json(response, 200, stream);
      if (method === "PATCH" && parts.length === 2) {
        const body = await readJson(request);
        if (body.playbackPolicy) stream.playbackPolicy = body.playbackPolicy;
        if (typeof body.record === "boolean") stream.record = body.record;
        if (body.multistream) stream.multistream = body.multistream;
        return json(response, 204);
      }
      if (method === "DELETE" && parts[2] === "terminate") {
        if (stream.lastTerminatedAt && Date.now() - stream.lastTerminatedAt < 5_000) {
          return json(response, 429, { errors: ["too many terminate requests"] });
        }
        stream.lastTerminatedAt = Date.now();
        later(terminateDelayMs, () => endSessions(stream)); // Studio only asks Catalyst to stop it
        return json(response, 204);
      }
      if (method === "DELETE" && parts.length === 2) {
        endSessions(stream);
        streams.delete(stream.id);
        return json(response, 204);
      }
      if (method === "GET" && parts[2] === "sessions") {
        const recordedOnly = ["1", "true"].includes(url.searchParams.get("record") ?? "");
        const list = [...sessions.values()].filter((s) => s.parentId === stream.id && (!recordedOnly || s.record));
        return json(response, 200, list);
      }
    }
    if (parts[0] === "webhook" && method === "POST" && parts.length === 1) {
      const body = await readJson(request);
      const webhook: StandInWebhook = {
        id: randomUUID(),
        name: body.name,
        kind: "webhook",
        url: body.url,
        events: body.events ?? [],
        ...(body.sharedSecret ? { sharedSecret: body.sharedSecret } : {}),
        createdAt: Date.now(),
        userId,
      };
      webhooks.set(webhook.id, webhook);
      return json(response, 200, webhook);
    }
    if (parts[0] === "access-control" && parts[1] === "signing-key" && method === "POST" && parts.length === 2) {
      if ([...signingKeys.values()].filter((k) => k.userId === userId).length >= 10) {
        return json(response, 403, { errors: ["user can only have up to 10 signing keys, delete some first"] });
      }
      const pair = generateKeyPairSync("ec", {
        namedCurve: "P-256",
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      });
      const key = { id: randomUUID(), publicKey: Buffer.from(pair.publicKey).toString("base64"), userId };
      signingKeys.set(key.id, key);
      return json(response, 201, {
        id: key.id,
        publicKey: key.publicKey,
        privateKey: Buffer.from(pair.privateKey).toString("base64"),
        createdAt: Date.now(),
      });
    }
    if (parts[0] === "access-control" && parts[1] === "gate" && method === "POST") {
      const body = await readJson(request);
      const playbackId = String(body.stream ?? "").replace(/^\w+\+/, "");
      const status = await gate(playbackId, {
        accessKey: body.type === "accessKey" ? body.accessKey : undefined,
        jwt: body.type === "jwt" ? body.jwt : undefined,
      });
      response.setHeader("cache-control", "max-age=120,stale-while-revalidate=600");
      return json(
        response,
        status,
        status === 200 ? { user_id: "standin-user", user_viewer_limit: 0 } : { errors: [`gate answered ${status}`] },
      );
    }
    return notFound(response);
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    try {
      if (url.pathname.startsWith("/api/")) return await api(request, response, url);
      const hls = /^\/hls\/([^/]+)\/index\.m3u8$/.exec(url.pathname);
      if (hls && request.method === "GET") {
        const status = await playbackGate(hls[1]!, {
          accessKey: url.searchParams.get("accessKey") ?? undefined,
          jwt: url.searchParams.get("jwt") ?? (request.headers["livepeer-jwt"] as string | undefined),
        });
        if (status !== 200) return json(response, status === 404 ? 404 : 403, { errors: ["access denied"] });
        response.writeHead(200, {
          "content-type": "application/vnd.apple.mpegurl",
          "access-control-allow-origin": "*",
        });
        return void response.end("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n");
      }
      // WHIP as Livepeer serves it: the global URL redirects to a regional node, whose HEAD names its ICE servers.
      const ingest = /^\/(region\/)?webrtc\/([^/]+)$/.exec(url.pathname);
      if (ingest && request.method === "HEAD") {
        if (!ingest[1]) {
          return void response
            .writeHead(307, {
              location: `${base}/region/webrtc/${ingest[2]}${url.search}`,
              "access-control-allow-origin": "*",
            })
            .end();
        }
        return void response
          .writeHead(200, {
            link: iceLinks,
            "access-control-allow-origin": "*",
            "access-control-expose-headers": "link",
          })
          .end();
      }
      // WebRTC playback (WHEP) shares the path with ingest, as on Livepeer: a playback id plays, a stream key ingests.
      const played =
        ingest && request.method === "POST" ? [...streams.values()].find((s) => s.playbackId === ingest[2]) : undefined;
      if (played) {
        const status = await playbackGate(played.playbackId, {
          accessKey: url.searchParams.get("accessKey") ?? undefined,
          jwt: url.searchParams.get("jwt") ?? (request.headers["livepeer-jwt"] as string | undefined),
        });
        if (status !== 200)
          return void response
            .writeHead(status === 404 ? 404 : 403, {
              "content-type": "application/json",
              "access-control-allow-origin": "*",
            })
            .end(JSON.stringify({ errors: ["access denied"] }));
        return await whip.play(request, response, played.streamKey);
      }
      if (ingest?.[1]) request.url = `/webrtc/${ingest[2]}${url.search}`;
      if (await whip.handle(request, response)) return;
      notFound(response);
    } catch (error) {
      json(response, 500, { errors: [(error as Error).message] });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Livepeer's ICE servers for a node (stun/turn on its host, credentials livepeer/livepeer), as Link headers (RFC 9725 §4.6).
  const iceLinks = [
    `<stun:127.0.0.1:3478>; rel="ice-server"`,
    `<turn:127.0.0.1:3478>; rel="ice-server"; username="livepeer"; credential="livepeer"; credential-type="password"`,
  ];

  return {
    apiKey,
    /** A second project's key: 403 on this project's streams. */
    otherApiKey,
    /** The next `times` API calls answer `status` (429 carries `Retry-After: 1`). */
    failNext(status: number, times = 1) {
      for (let i = 0; i < times; i++) failures.push(status);
    },
    /** What the gate cached: allowed (playback id, credential) pairs. */
    gateCache,
    apiUrl: `${base}/api`,
    /** WHIP ingest base: `${ingestBaseUrl}/<streamKey>`. */
    ingestBaseUrl: `${base}/webrtc`,
    url: base,
    streams: () => [...streams.values()],
    ingests: whip.sessions,
    /** WebRTC (WHEP) viewers connected now. */
    viewers: whip.viewers,
    webhookCalls,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await whip.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
