/**
 * `npm run bench -w @harmonie/services`: the SFU service (`startSfuService`: HTTP WHIP/WHEP, session
 * tokens, the forwarder) with one publisher and 50, 100, 200 headless viewers. Goal: 200 viewers at
 * ≥ 20 fps with first frame p95 ≤ 1 s; a missed goal exits 1.
 *
 * Three processes, so that the SFU's CPU is measured alone: this one runs the SFU (and only idles
 * otherwise); a child runs the publisher, a werift peer sending VP8-shaped RTP at 30 fps (~1.5 Mbit/s,
 * 5 packets a frame, a 40 kB keyframe on PLI at most every 300 ms as libwebrtc does) and Opus-sized
 * audio at 50 packets/s; a child per level runs the viewers (`headless-viewer.ts`: WHEP over HTTP,
 * ICE, DTLS, SRTP; they count frames without decoding). The on-chain admission is a stub that admits
 * everyone: a chain read is not what this measures.
 *
 * Per level, viewers arrive at JOINS_PER_SECOND; a viewer's first frame is from its start (offer,
 * ICE gathering, WHEP POST, DTLS) to the last packet of its first keyframe. Then a steady window of
 * WINDOW_MS counts each viewer's frames, the SFU process's CPU and the packets it sent.
 *
 * Environment: SFU_BENCH_LEVELS (viewers per level, "50,100,200"), SFU_BENCH_JOINS_PER_SECOND (25),
 * SFU_BENCH_DEBUG (print each viewer's figures as JSON).
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { RtpHeader, RtpPacket } from "werift";
import type { Deployment } from "../../sdk/src/deployments.ts";
import { SDP_CONTENT_TYPE, sfuWhipUrl } from "../../sdk/src/protocol/sfu.ts";
import { createSessionIssuer } from "../src/sign-in/sessions.ts";
import { type HeadlessViewer, watchHeadless } from "../src/sfu/headless-viewer.ts";
import { startSfuService } from "../src/sfu/sfu-service.ts";
import { weriftOffer, weriftPeer } from "../../testkit/src/werift-peer.ts";

const LEVELS = (process.env.SFU_BENCH_LEVELS ?? "50,100,200").split(",").map(Number);
const JOINS_PER_SECOND = Number(process.env.SFU_BENCH_JOINS_PER_SECOND ?? 25);
const WINDOW_MS = 10_000;
const GOAL = { viewers: 200, fps: 20, firstFrameP95Ms: 1_000 };
const STREAM_ID = "1";
/** What the publisher sends: 30 frames of 5 packets (6 kB), and 50 audio packets, a second. */
const STREAM_PACKETS_PER_SECOND = 30 * 5 + 50;

type ToViewers =
  { type: "join"; sfuUrl: string; tokens: string[] } | { type: "window" } | { type: "report" } | { type: "stop" };
type FromViewers =
  | { type: "joined"; failed: number }
  | {
      type: "report";
      viewers: { firstFrameMs?: number; connectedMs?: number; fps: number; videoPackets: number }[];
      cpuMs: number;
      ms: number;
    };

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** The artist: publishes over WHIP and sends a camera-shaped stream until killed. */
async function runPublisher(sfuUrl: string, token: string) {
  const pc = weriftPeer();
  const video = pc.addTransceiver("video", { direction: "sendonly" }).sender;
  const audio = pc.addTransceiver("audio", { direction: "sendonly" }).sender;
  let keyframeOwed = true;
  let lastKeyframe = 0;
  video.onPictureLossIndication.subscribe(() => {
    keyframeOwed = true;
  });
  const offer = await weriftOffer(pc);
  const response = await fetch(sfuWhipUrl(sfuUrl, STREAM_ID), {
    method: "POST",
    headers: { "content-type": SDP_CONTENT_TYPE, authorization: `Bearer ${token}` },
    body: offer,
  });
  if (response.status !== 201) throw new Error(`WHIP answered ${response.status}: ${await response.text()}`);
  await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });

  const MTU_PAYLOAD = 1_200;
  const DELTA_BYTES = 6_000; // 30 fps × 6 kB ≈ 1.44 Mbit/s
  const KEYFRAME_BYTES = 40_000;
  const filler = randomBytes(KEYFRAME_BYTES);
  let videoSeq = 0;
  let audioSeq = 0;
  let frame = 0;
  const sendFrame = () => {
    const now = performance.now();
    // libwebrtc drops a keyframe request within 300 ms of the previous keyframe.
    const keyframe = keyframeOwed && now - lastKeyframe >= 300;
    if (keyframe) {
      keyframeOwed = false;
      lastKeyframe = now;
    }
    const bytes = keyframe ? KEYFRAME_BYTES : DELTA_BYTES;
    const timestamp = (frame++ * 3_000) >>> 0;
    for (let offset = 0; offset < bytes; offset += MTU_PAYLOAD) {
      const size = Math.min(MTU_PAYLOAD, bytes - offset);
      const payload = Buffer.allocUnsafe(size + 1);
      // VP8 payload descriptor (RFC 7741): S bit on the first packet, partition 0; then the frame's
      // first byte, whose P bit tells a keyframe (0) from a delta frame (1).
      payload[0] = offset === 0 ? 0x10 : 0x00;
      filler.copy(payload, 1, offset, offset + size);
      if (offset === 0) payload[1] = keyframe ? 0x00 : 0x01;
      const header = new RtpHeader({
        payloadType: 96,
        sequenceNumber: videoSeq++ & 0xffff,
        timestamp,
        marker: offset + size >= bytes,
      });
      void video.sendRtp(new RtpPacket(header, payload)).catch(() => undefined);
    }
  };
  const sendAudio = () => {
    const header = new RtpHeader({
      payloadType: 111,
      sequenceNumber: audioSeq & 0xffff,
      timestamp: (audioSeq++ * 960) >>> 0,
      marker: false,
    });
    void audio.sendRtp(new RtpPacket(header, filler.subarray(0, 120))).catch(() => undefined);
  };
  // Paced from a clock, not setInterval's drift: frames at 30 fps, audio every 20 ms.
  const started = performance.now();
  let frames = 0;
  let packets = 0;
  setInterval(() => {
    const elapsed = performance.now() - started;
    while (frames < (elapsed * 30) / 1_000) {
      sendFrame();
      frames++;
    }
    while (packets < elapsed / 20) {
      sendAudio();
      packets++;
    }
  }, 5);
}

/** The fans of one level: join on request, report each one's first frame and frame rate. */
function runViewers() {
  const viewers: HeadlessViewer[] = [];
  let windowCpu = process.cpuUsage();
  let windowStart = performance.now();
  const send = (message: FromViewers) => process.send!(message);
  process.on("message", async (message: ToViewers) => {
    if (message.type === "join") {
      let failed = 0;
      const joins = message.tokens.map((token, i) =>
        new Promise<void>((resolve) => setTimeout(resolve, (i * 1_000) / JOINS_PER_SECOND)).then(() =>
          watchHeadless({ sfuUrl: message.sfuUrl, streamId: STREAM_ID, token }).then(
            (viewer) => void viewers.push(viewer),
            (error) => {
              failed++;
              if (process.env.SFU_BENCH_DEBUG) console.error(`join failed: ${(error as Error).message}`);
            },
          ),
        ),
      );
      await Promise.all(joins);
      send({ type: "joined", failed });
    } else if (message.type === "window") {
      for (const viewer of viewers) viewer.frameWindow();
      windowCpu = process.cpuUsage();
      windowStart = performance.now();
    } else if (message.type === "report") {
      const cpu = process.cpuUsage(windowCpu);
      send({
        type: "report",
        viewers: viewers.map((viewer) => {
          const { frames, ms } = viewer.frameWindow();
          return {
            firstFrameMs: viewer.firstFrameMs,
            connectedMs: viewer.connectedMs,
            fps: (frames * 1_000) / ms,
            videoPackets: viewer.videoPackets,
          };
        }),
        cpuMs: (cpu.user + cpu.system) / 1_000,
        ms: performance.now() - windowStart,
      });
    } else if (message.type === "stop") {
      await Promise.all(viewers.map((viewer) => viewer.stop()));
      process.exit(0);
    }
  });
}

const reply = <T extends FromViewers["type"]>(child: ChildProcess, type: T, ms: number) =>
  new Promise<Extract<FromViewers, { type: T }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the viewers did not answer "${type}" within ${ms} ms`)), ms);
    const listener = (message: FromViewers) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", listener);
      resolve(message as Extract<FromViewers, { type: T }>);
    };
    child.on("message", listener);
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LevelResult {
  viewers: number;
  joined: number;
  fpsOk: number;
  firstFrameP50: number;
  firstFrameP95: number;
  connectedP50: number;
  noFirstFrame: number;
  publisherLost: boolean;
  sfuCpuPercent: number;
  cpuPerViewerMs: number;
  packetsOutPerSecond: number;
  packetsInPerSecond: number;
  keyframeRequests: number;
  viewersCpuPercent: number;
}

async function main() {
  const loadAtStart = os.loadavg()[0]!;
  const sessions = createSessionIssuer({ secret: randomBytes(32) });
  const tokenOf = (address: `0x${string}`) => sessions.createToken({ address, chainId: 31337 });
  const sfu = await startSfuService({
    deployment: { chainId: 31337 } as Deployment,
    access: { mayPublish: async () => ({ allowed: true }), mayWatch: async () => true },
    sessions,
    rateLimit: { max: 100_000, windowMs: 60_000 },
    log: () => undefined,
  });
  const children: ChildProcess[] = [];
  const deadline = setTimeout(
    () => {
      console.error("The SFU benchmark ran past its time limit.");
      for (const child of children) child.kill("SIGKILL");
      process.exit(1);
    },
    LEVELS.length * 70_000 + 30_000,
  );
  deadline.unref();
  const spawn = (...args: string[]) => {
    const child = fork(import.meta.filename, args, { execArgv: [], stdio: "inherit" });
    children.push(child);
    return child;
  };
  const results: LevelResult[] = [];
  try {
    const publisherProcess = spawn("publisher", sfu.url, tokenOf(`0x${randomBytes(20).toString("hex")}`));
    const startedAt = Date.now();
    while (!((sfu.forwarder.publication(STREAM_ID)?.packetsIn ?? 0) > 300)) {
      if (Date.now() - startedAt > 20_000) throw new Error("The publisher's RTP did not reach the SFU.");
      await sleep(100);
    }
    for (const level of LEVELS) {
      const publication = sfu.forwarder.publication(STREAM_ID)!;
      const viewersProcess = spawn("viewers");
      const keyframeRequestsBefore = publication.keyframeRequests;
      // Any address will do (the admission stub lets everyone in), and a random one costs this process nothing.
      const tokens = Array.from({ length: level }, () => tokenOf(`0x${randomBytes(20).toString("hex")}`));
      const joinMs = (level * 1_000) / JOINS_PER_SECOND;
      viewersProcess.send({ type: "join", sfuUrl: sfu.url, tokens } satisfies ToViewers);
      const { failed } = await reply(viewersProcess, "joined", joinMs + 30_000);
      // Let the last arrivals get their first frame before the steady window.
      await sleep(3_000);
      viewersProcess.send({ type: "window" } satisfies ToViewers);
      const cpuBefore = process.cpuUsage();
      const packetsBefore = publication.packetsOut;
      const packetsInBefore = publication.packetsIn;
      const windowStart = performance.now();
      await sleep(WINDOW_MS);
      viewersProcess.send({ type: "report" } satisfies ToViewers);
      const cpu = process.cpuUsage(cpuBefore);
      const ms = performance.now() - windowStart;
      const packetsOut = publication.packetsOut - packetsBefore;
      const packetsIn = publication.packetsIn - packetsInBefore;
      const report = await reply(viewersProcess, "report", 10_000);
      if (process.env.SFU_BENCH_DEBUG) {
        console.log(JSON.stringify(report.viewers));
        console.log("SFU side:", JSON.stringify(publication.viewers().filter((v) => v.packets < 100)));
      }
      // A viewer that never got a frame (or never joined) counts as slower than any that did.
      const firstFrames = Array.from({ length: level }, (_, i) => report.viewers[i]?.firstFrameMs ?? Infinity).sort(
        (a, b) => a - b,
      );
      const sfuCpuMs = (cpu.user + cpu.system) / 1_000;
      results.push({
        viewers: level,
        joined: level - failed,
        fpsOk: report.viewers.filter((v) => v.fps >= GOAL.fps).length,
        firstFrameP50: percentile(firstFrames, 50),
        firstFrameP95: percentile(firstFrames, 95),
        connectedP50: percentile(
          report.viewers.map((v) => v.connectedMs ?? Infinity).sort((a, b) => a - b),
          50,
        ),
        noFirstFrame: firstFrames.filter((v) => v === Infinity).length,
        sfuCpuPercent: (100 * sfuCpuMs) / ms,
        cpuPerViewerMs: sfuCpuMs / (ms / 1_000) / level,
        packetsOutPerSecond: (packetsOut * 1_000) / ms,
        packetsInPerSecond: (packetsIn * 1_000) / ms,
        keyframeRequests: publication.keyframeRequests - keyframeRequestsBefore,
        // The SFU ends a publisher whose connection failed (say, starved of CPU past ICE's timeouts).
        publisherLost: sfu.forwarder.publication(STREAM_ID) !== publication,
        viewersCpuPercent: (100 * report.cpuMs) / report.ms,
      });
      viewersProcess.send({ type: "stop" } satisfies ToViewers);
      await new Promise((resolve) => viewersProcess.once("exit", resolve));
      // End the viewers here rather than wait for their DTLS close to come through.
      await Promise.all(publication.viewers().map((v) => sfu.forwarder.end(v.id)));
      await sleep(1_000);
      if (results.at(-1)!.publisherLost) break;
    }
    publisherProcess.kill();
  } finally {
    for (const child of children) child.kill("SIGKILL");
    await sfu.close();
  }

  const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)} ms` : "—");
  console.log(
    `\nSFU: 1 publisher (VP8-shaped 30 fps ~1.5 Mbit/s + Opus 50 pps), viewers joining at ${JOINS_PER_SECOND}/s, ${WINDOW_MS / 1_000} s window; ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end`,
  );
  console.table(
    results.map((r) => ({
      viewers: r.viewers,
      joined: r.joined,
      [`≥ ${GOAL.fps} fps`]: r.fpsOk,
      "first frame p50": ms(r.firstFrameP50),
      "first frame p95": ms(r.firstFrameP95),
      "connected p50": ms(r.connectedP50),
      "no frame": r.noFirstFrame,
      "SFU CPU": `${r.sfuCpuPercent.toFixed(0)}%`,
      "CPU/viewer": `${r.cpuPerViewerMs.toFixed(2)} ms/s`,
      "CPU/packet": `${((r.sfuCpuPercent * 10_000) / r.packetsOutPerSecond).toFixed(0)} µs`,
      "packets/s in": Math.round(r.packetsInPerSecond),
      "packets/s out": Math.round(r.packetsOutPerSecond),
      "keyframe requests": r.keyframeRequests,
      "viewers' CPU": `${r.viewersCpuPercent.toFixed(0)}%`,
    })),
  );
  console.log(
    `packets/s in: from the publisher (it sends ${STREAM_PACKETS_PER_SECOND}, more while a keyframe goes out); first frame: from a viewer's start to its first whole keyframe; connected: to ICE and DTLS up (the rest is the wait for a keyframe). SFU CPU: this process (the SFU service; the publisher and the viewers run in other processes), % of one core; CPU/viewer: SFU CPU ms per second per viewer. viewers' CPU: the process running them (near 100% means the load generator, not the SFU, limits the frame rate). A load average above the core count means other work competes for them.`,
  );
  // The SFU's work is per packet and viewer: what one core would serve, from the busiest level.
  const busiest = results.reduce<LevelResult | undefined>(
    (best, r) => (r.packetsOutPerSecond > (best?.packetsOutPerSecond ?? 0) ? r : best),
    undefined,
  );
  if (busiest) {
    const perPacketUs = (busiest.sfuCpuPercent * 10_000) / busiest.packetsOutPerSecond;
    console.log(
      `At ${perPacketUs.toFixed(0)} µs of SFU CPU per packet sent (${busiest.viewers} viewers), one core forwards ${Math.round(1e6 / perPacketUs)} packets/s: ${Math.floor(1e6 / perPacketUs / STREAM_PACKETS_PER_SECOND)} viewers of this ${STREAM_PACKETS_PER_SECOND}-packets/s stream.`,
    );
  }
  for (const r of results.filter((r) => r.publisherLost))
    console.log(`The publisher's session ended during the ${r.viewers}-viewer level: the levels after it did not run.`);
  const goal = results.find((r) => r.viewers === GOAL.viewers);
  const met = goal !== undefined && goal.fpsOk >= GOAL.viewers && goal.firstFrameP95 <= GOAL.firstFrameP95Ms;
  console.log(
    `goal: ${GOAL.viewers} viewers at ≥ ${GOAL.fps} fps, first frame p95 ≤ ${GOAL.firstFrameP95Ms} ms — ${
      goal
        ? `${goal.fpsOk} at ≥ ${GOAL.fps} fps, p95 ${ms(goal.firstFrameP95)}: ${met ? "MET" : "MISSED"}`
        : "not measured: MISSED"
    }`,
  );
  process.exit(met ? 0 : 1);
}

const [role, ...args] = process.argv.slice(2);
// A child ends with the benchmark, however that ends (a killed parent closes the IPC channel).
if (role) process.on("disconnect", () => process.exit(0));
if (role === "publisher") await runPublisher(args[0]!, args[1]!);
else if (role === "viewers") runViewers();
else await main();
