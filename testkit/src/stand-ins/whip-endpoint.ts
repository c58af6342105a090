/**
 * A local WHIP endpoint (RFC 9725) built on werift, for tests: accepts a browser's SDP offer
 * (`POST <base>/<streamKey>`, `application/sdp` → 201 + answer + `Location`), receives its RTP and
 * counts packets per kind; `DELETE <Location>` ends the session. `play` serves the same media to
 * viewers (WHEP: a viewer's recvonly offer → 201 + answer; werift rewrites SSRC and payload type, and
 * the publisher is asked for a keyframe when a viewer connects). On a loopback-only host werift needs
 * `iceAdditionalHostAddresses: ['127.0.0.1']` to offer a usable candidate.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type MediaStreamTrack, RTCPeerConnection } from "werift";

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
  /** Answers a viewer's WHEP offer with the live ingest of `streamKey` (404 when none is live). */
  play(request: IncomingMessage, response: ServerResponse, streamKey: string): Promise<void>;
  /** Viewers connected now. */
  viewers(): number;
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
  const live = new Map<string, { session: WhipIngestSession; pc: RTCPeerConnection; tracks: MediaStreamTrack[] }>();
  const viewers = new Map<string, { pc: RTCPeerConnection; source: string }>();

  const end = async (id: string) => {
    const entry = live.get(id);
    if (!entry) return false;
    live.delete(id);
    entry.session.state = "closed";
    // The broadcast is over: so is every viewer's playback of it.
    for (const [viewerId, viewer] of viewers)
      if (viewer.source === id) {
        viewers.delete(viewerId);
        await viewer.pc.close();
      }
    await entry.pc.close();
    options.onEnd?.(entry.session);
    return true;
  };

  return {
    async handle(request, response) {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      if (!path.startsWith(`${prefix}/`)) return false;
      const rest = path.slice(prefix.length + 1);
      if (request.method === "DELETE" && rest.startsWith("viewers/")) {
        const viewer = viewers.get(rest.slice("viewers/".length));
        viewers.delete(rest.slice("viewers/".length));
        await viewer?.pc.close();
        response.writeHead(viewer ? 200 : 404, { "access-control-allow-origin": "*" }).end();
        return true;
      }
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
      const tracks: MediaStreamTrack[] = [];
      pc.onTrack.subscribe((track) => {
        tracks.push(track);
        track.onReceiveRtp.subscribe(() => {
          if (track.kind === "video") session.videoPackets++;
          else session.audioPackets++;
        });
      });
      pc.connectionStateChange.subscribe((state) => {
        session.state = state;
      });
      try {
        await answer(pc, offer);
      } catch (error) {
        await pc.close();
        response.writeHead(400, cors).end(`bad offer: ${(error as Error).message}`);
        return true;
      }
      session.videoCodec = firstVideoCodec(offer);
      live.set(session.id, { session, pc, tracks });
      options.onSession?.(session);
      response
        .writeHead(201, { ...cors, "content-type": "application/sdp", location: `${prefix}/sessions/${session.id}` })
        .end(pc.localDescription!.sdp);
      return true;
    },
    async play(request, response, streamKey) {
      const cors = { "access-control-allow-origin": "*", "access-control-expose-headers": "location" };
      if (!(request.headers["content-type"] ?? "").startsWith("application/sdp"))
        return void response.writeHead(415, cors).end("WHEP expects application/sdp");
      const offer = await readText(request);
      const source = [...live.values()].find(
        (entry) => entry.session.streamKey === streamKey && entry.tracks.length > 0 && entry.session.state !== "closed",
      );
      if (!source) return void response.writeHead(404, cors).end("the stream is not live");
      const pc = new RTCPeerConnection({ iceAdditionalHostAddresses: ["127.0.0.1"], iceUseIpv6: false });
      for (const track of source.tracks) pc.addTransceiver(track, { direction: "sendonly" });
      const id = randomUUID();
      pc.connectionStateChange.subscribe((state) => {
        // A viewer can only start decoding at a keyframe: ask the publisher for one.
        if (state === "connected")
          for (const transceiver of source.pc.getTransceivers().filter((t) => t.kind === "video"))
            for (const track of source.tracks.filter((t) => t.kind === "video" && t.ssrc))
              void transceiver.receiver.sendRtcpPLI(track.ssrc!).catch(() => undefined);
        if (state === "closed" || state === "failed") viewers.delete(id);
      });
      try {
        await answer(pc, offer);
      } catch (error) {
        await pc.close();
        return void response.writeHead(400, cors).end(`bad offer: ${(error as Error).message}`);
      }
      viewers.set(id, { pc, source: source.session.id });
      response
        .writeHead(201, { ...cors, "content-type": "application/sdp", location: `${prefix}/viewers/${id}` })
        .end(pc.localDescription!.sdp);
    },
    viewers: () => viewers.size,
    sessions: () => [...live.values()].map(({ session }) => session),
    async closeAll() {
      await Promise.all([...viewers.values()].map((viewer) => viewer.pc.close()));
      viewers.clear();
      await Promise.all([...live.keys()].map(end));
    },
  };
}

/** Applies the offer and answers it once ICE gathering is complete (no trickle). */
async function answer(pc: RTCPeerConnection, offer: string) {
  await pc.setRemoteDescription({ type: "offer", sdp: offer });
  await pc.setLocalDescription(await pc.createAnswer());
  if (pc.iceGatheringState !== "complete") {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3_000);
      pc.iceGatheringStateChange.subscribe((state) => state === "complete" && (clearTimeout(timer), resolve()));
    });
  }
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
