/**
 * LIVEPEER STUDIO STAND-IN — not Livepeer. Livepeer Studio cannot be reached from the test machines,
 * so this local server implements exactly the Studio API paths, status codes and bodies the `livepeer`
 * SDK (3.5.0) uses in this module, plus the playback-side gate (what Catalyst + Studio's
 * `/access-control/gate` do for webhook-gated content):
 *
 *   POST   /api/stream                        201 Stream            (the SDK rejects any other 2XX)
 *   GET    /api/stream/:id                    200 Stream · 404
 *   PATCH  /api/stream/:id                    204                   (e.g. playbackPolicy)
 *   DELETE /api/stream/:id/terminate          204
 *   DELETE /api/stream/:id                    204
 *   GET    /api/stream/:id/sessions?record=1  200 Session[]         (recordings)
 *   POST   /api/webhook                       200 Webhook
 *   GET    /api/playback/:playbackId          200 PlaybackInfo · 404 { errors }
 *   POST   /api/access-control/gate           204 allowed · 403 · 502 webhook failed   { stream: "video+<playbackId>", type: "accessKey", accessKey }
 *   GET    /hls/:playbackId/index.m3u8?accessKey=…   the gate, then a playlist (no media: this is not a CDN)
 *   POST   /webrtc/:streamKey                 WHIP ingest (werift): the stream goes active, a session is recorded
 *
 * /api/* needs `Authorization: Bearer <apiKey>` (401 otherwise). The access-control webhook is called as
 * Studio does: POST `{ context, accessKey, timestamp }` with `Livepeer-Signature: t=<ms>,v1=<hex HMAC-SHA256>`.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
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
export async function startLivepeerStudioStandIn(options: { apiKey?: string; port?: number } = {}) {
  const apiKey = options.apiKey ?? `standin-${id()}`;
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

  const endSessions = (stream: StandInStream) => {
    stream.isActive = false;
    for (const session of sessions.values()) {
      if (session.parentId !== stream.id || session.recordingStatus === "ready" || !session.record) continue;
      session.recordingStatus = "ready";
      session.recordingUrl = `${base}/recordings/${session.id}/index.m3u8`;
      session.mp4Url = `${base}/recordings/${session.id}/source.mp4`;
    }
  };

  /** Studio's gate: 204 allowed, 403 refused, 502 when the webhook fails or refuses. */
  async function gate(playbackId: string, accessKey: string | undefined): Promise<number> {
    const stream = [...streams.values()].find((s) => s.playbackId === playbackId);
    if (!stream) return 404;
    const policy = stream.playbackPolicy;
    if (policy.type === "public") return 204;
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
      webhookCalls.push({ url: webhook.url, status, body: await response.json().catch(() => undefined) });
    } catch {
      webhookCalls.push({ url: webhook.url, status: 0, body: undefined });
    }
    return status >= 200 && status < 300 ? 204 : 502;
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
    if (request.headers.authorization !== `Bearer ${apiKey}`) return json(response, 401, { errors: ["Unauthorized"] });
    const parts = url.pathname.split("/").slice(2); // after /api
    const method = request.method;
    if (parts[0] === "stream") {
      const stream = parts[1] ? streams.get(parts[1]) : undefined;
      if (method === "POST" && parts.length === 1) {
        const body = await readJson(request);
        if (typeof body.name !== "string" || !body.name) return json(response, 422, { errors: ["name is required"] });
        const created: StandInStream = {
          id: randomUUID(),
          name: body.name,
          kind: "stream",
          userId: "standin-user",
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
        endSessions(stream);
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
        userId: "standin-user",
      };
      webhooks.set(webhook.id, webhook);
      return json(response, 200, webhook);
    }
    if (parts[0] === "playback" && method === "GET" && parts[1]) {
      const stream = [...streams.values()].find((s) => s.playbackId === parts[1]);
      if (!stream) return notFound(response);
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
    if (parts[0] === "access-control" && parts[1] === "gate" && method === "POST") {
      const body = await readJson(request);
      const status = await gate(
        String(body.stream ?? "").replace(/^\w+\+/, ""),
        body.type === "accessKey" ? body.accessKey : undefined,
      );
      return json(response, status, status === 204 ? undefined : { errors: [`gate answered ${status}`] });
    }
    return notFound(response);
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    try {
      if (url.pathname.startsWith("/api/")) return await api(request, response, url);
      const hls = /^\/hls\/([^/]+)\/index\.m3u8$/.exec(url.pathname);
      if (hls && request.method === "GET") {
        const status = await gate(hls[1]!, url.searchParams.get("accessKey") ?? undefined);
        if (status !== 204) return json(response, status === 404 ? 404 : 403, { errors: ["access denied"] });
        response.writeHead(200, {
          "content-type": "application/vnd.apple.mpegurl",
          "access-control-allow-origin": "*",
        });
        return void response.end("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n");
      }
      if (await whip.handle(request, response)) return;
      notFound(response);
    } catch (error) {
      json(response, 500, { errors: [(error as Error).message] });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiKey,
    /** What the SDK takes as `serverURL`. */
    apiUrl: `${base}/api`,
    /** WHIP ingest base: `${ingestBaseUrl}/<streamKey>`. */
    ingestBaseUrl: `${base}/webrtc`,
    url: base,
    streams: () => [...streams.values()],
    ingests: whip.sessions,
    webhookCalls,
    async close() {
      await whip.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
