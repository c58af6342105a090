/**
 * A local WHIP endpoint (RFC 9725) built on werift, for tests: accepts a browser's SDP offer
 * (`POST <base>/<streamKey>`, `application/sdp` → 201 + answer + `Location`), receives its RTP and
 * counts packets per kind; `DELETE <Location>` ends the session. On a loopback-only host werift needs
 * `iceAdditionalHostAddresses: ['127.0.0.1']` to offer a usable candidate.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RTCPeerConnection } from "werift";

export interface WhipIngestSession {
  id: string;
  streamKey: string;
  videoPackets: number;
  audioPackets: number;
  state: string;
  /** The video codec the offer puts first, i.e. the publisher's preference (e.g. `H264`, `VP8`). */
  videoCodec?: string;
}

export interface WhipHandler {
  /** Handles `POST <prefix>/<key>` and `DELETE <prefix>/sessions/<id>`; false for other requests. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  sessions(): WhipIngestSession[];
  closeAll(): Promise<void>;
}

const readText = async (request: IncomingMessage, limit = 64 * 1024) => {
  let text = "";
  for await (const chunk of request) {
    text += chunk;
    if (text.length > limit) throw new Error("offer too large");
  }
  return text;
};

/**
 * The WHIP request handler, to mount in any Node HTTP server under `prefix`.
 *
 * @example
 * const whip = createWhipHandler({ prefix: "/webrtc" });
 * createServer(async (req, res) => (await whip.handle(req, res)) || res.writeHead(404).end());
 */
export function createWhipHandler(
  options: {
    prefix?: string;
    onSession?: (session: WhipIngestSession) => void;
    onEnd?: (session: WhipIngestSession) => void;
  } = {},
): WhipHandler {
  const prefix = (options.prefix ?? "/whip").replace(/\/$/, "");
  const live = new Map<string, { session: WhipIngestSession; pc: RTCPeerConnection }>();

  const end = async (id: string) => {
    const entry = live.get(id);
    if (!entry) return false;
    live.delete(id);
    entry.session.state = "closed";
    await entry.pc.close();
    options.onEnd?.(entry.session);
    return true;
  };

  return {
    async handle(request, response) {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      if (!path.startsWith(`${prefix}/`)) return false;
      const rest = path.slice(prefix.length + 1);
      if (request.method === "DELETE" && rest.startsWith("sessions/")) {
        const ended = await end(rest.slice("sessions/".length));
        response.writeHead(ended ? 200 : 404).end();
        return true;
      }
      if (request.method === "OPTIONS") {
        response
          .writeHead(204, {
            "access-control-allow-origin": "*",
            "access-control-allow-methods": "POST, DELETE",
            "access-control-allow-headers": "content-type, authorization",
            "access-control-expose-headers": "location",
          })
          .end();
        return true;
      }
      if (request.method !== "POST" || !rest || rest.includes("/")) return false;
      const cors = { "access-control-allow-origin": "*", "access-control-expose-headers": "location" };
      if (!(request.headers["content-type"] ?? "").startsWith("application/sdp")) {
        response.writeHead(415, cors).end("WHIP expects application/sdp");
        return true;
      }
      const offer = await readText(request);
      const session: WhipIngestSession = {
        id: randomUUID(),
        streamKey: decodeURIComponent(rest),
        videoPackets: 0,
        audioPackets: 0,
        state: "new",
      };
      const pc = new RTCPeerConnection({ iceAdditionalHostAddresses: ["127.0.0.1"], iceUseIpv6: false });
      pc.onTrack.subscribe((track) => {
        track.onReceiveRtp.subscribe(() => {
          if (track.kind === "video") session.videoPackets++;
          else session.audioPackets++;
        });
      });
      pc.connectionStateChange.subscribe((state) => {
        session.state = state;
      });
      try {
        await pc.setRemoteDescription({ type: "offer", sdp: offer });
        await pc.setLocalDescription(await pc.createAnswer());
        if (pc.iceGatheringState !== "complete") {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 3_000);
            pc.iceGatheringStateChange.subscribe((state) => state === "complete" && (clearTimeout(timer), resolve()));
          });
        }
      } catch (error) {
        await pc.close();
        response.writeHead(400, cors).end(`bad offer: ${(error as Error).message}`);
        return true;
      }
      session.videoCodec = firstVideoCodec(offer);
      live.set(session.id, { session, pc });
      options.onSession?.(session);
      response
        .writeHead(201, { ...cors, "content-type": "application/sdp", location: `${prefix}/sessions/${session.id}` })
        .end(pc.localDescription!.sdp);
      return true;
    },
    sessions: () => [...live.values()].map(({ session }) => session),
    async closeAll() {
      await Promise.all([...live.keys()].map(end));
    },
  };
}

/** The first payload type's codec name on the SDP's video m-line. */
function firstVideoCodec(sdp: string): string | undefined {
  const video = /^m=video \S+ \S+ (\d+)/m.exec(sdp);
  if (!video) return undefined;
  return new RegExp(`^a=rtpmap:${video[1]} ([^/\\s]+)`, "m").exec(sdp)?.[1];
}

/**
 * Starts a standalone WHIP endpoint on 127.0.0.1: broadcast to `${url}/<streamKey>`.
 *
 * @example
 * const whip = await startWhipEndpoint();
 * // browser: await publishWhip({ url: `${whip.url}/my-key`, media });
 * console.log(whip.sessions()[0]?.videoPackets);
 * await whip.close();
 */
export async function startWhipEndpoint(options: { port?: number; host?: string } = {}) {
  const handler = createWhipHandler({ prefix: "/whip" });
  const server = createServer(async (request, response) => {
    if (!(await handler.handle(request, response).catch(() => false))) response.writeHead(404).end();
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/whip`,
    sessions: handler.sessions,
    async close() {
      await handler.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
