/**
 * Signalling load: 1,000 WebSocket fans join and leave 125 rooms (8 fans each, the default cap) of
 * the service running in its own process against a real chain (each join reads `canWatch` on chain).
 * Reports join latency (request → `joined`) p50/p95/max and the service's memory.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import WebSocket from "ws";
import { openSession } from "../../src/actions/live.ts";
import { createSessionIssuer } from "../../../services/src/sign-in/sessions.ts";
import { KEYS, startChain } from "../../../testkit/src/chain.ts";

const FANS = 1000;
const ROOMS = 125;
const CONCURRENCY = 100;

const chain = await startChain();
const dir = mkdtempSync(path.join(tmpdir(), "signal-bench-"));
const deploymentFile = path.join(dir, "31337.json");
writeFileSync(deploymentFile, JSON.stringify(chain.deployment));
const secret = randomBytes(32);
const tokens = createSessionIssuer({ secret });
const child = spawn(process.execPath, [path.join(import.meta.dirname, "service-child.ts")], {
  env: {
    ...process.env,
    RPC_URL: chain.rpcUrl,
    DEPLOYMENT_FILE: deploymentFile,
    SESSION_SECRET: secret.toString("hex"),
  },
  stdio: ["ignore", "pipe", "inherit"],
});
const url: string = await new Promise((resolve) => child.stdout!.once("data", (d) => resolve(String(d).trim())));
const health = async () => (await fetch(`${url.replace("ws", "http")}/health`)).json();

/** One socket, authenticated with a token; `request` awaits the reply with the same id. */
async function client(address: `0x${string}`) {
  const socket = new WebSocket(url);
  const pending = new Map<number, (m: { t: string }) => void>();
  let next = 1;
  socket.on("message", (data) => {
    const message = JSON.parse(String(data));
    if (message.id && pending.has(message.id)) {
      pending.get(message.id)!(message);
      pending.delete(message.id);
    }
  });
  await new Promise((resolve) => socket.once("open", resolve));
  const request = (message: object) =>
    new Promise<{ t: string }>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ ...message, id }));
    });
  const authed = await request({ t: "auth", token: tokens.createToken({ address, chainId: 31337 }) });
  if (authed.t !== "authed") throw new Error(JSON.stringify(authed));
  return { socket, request };
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(run));
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

try {
  const artistWallet = chain.wallet(KEYS.artist);
  const streamIds: bigint[] = [];
  for (let i = 0; i < ROOMS; i++) {
    const { streamId } = await openSession(artistWallet, {
      deployment: chain.deployment,
      title: `Room ${i}`,
      playbackId: "rooms",
    });
    streamIds.push(streamId);
  }
  const idle = await health();
  const artists = await Promise.all(streamIds.map(() => client(artistWallet.account.address)));
  await Promise.all(artists.map((a, i) => a.request({ t: "publish", streamId: streamIds[i]!.toString() })));

  const fans: Awaited<ReturnType<typeof client>>[] = [];
  await inBatches([...Array(FANS).keys()], async () => {
    fans.push(await client(privateKeyToAccount(generatePrivateKey()).address));
  });
  const latencies: number[] = [];
  const joinAll = () =>
    inBatches([...fans.keys()], async (i) => {
      const started = performance.now();
      const reply = await fans[i]!.request({ t: "join", streamId: streamIds[i % ROOMS]!.toString() });
      latencies.push(performance.now() - started);
      if (reply.t !== "joined") throw new Error(JSON.stringify(reply));
    });
  await joinAll();
  const full = await health();
  await inBatches([...fans.keys()], async (i) => void (await fans[i]!.request({ t: "leave" })));
  await joinAll(); // and join again after leaving
  const again = await health();

  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `signalling load: ${FANS} fans × 2 joins in ${ROOMS} rooms (${CONCURRENCY} concurrent), canWatch read on chain per join`,
  );
  console.log(
    `  join latency  p50 ${percentile(latencies, 50).toFixed(1)} ms · p95 ${percentile(latencies, 95).toFixed(1)} ms · max ${Math.max(...latencies).toFixed(1)} ms`,
  );
  console.log(`  service       ${full.connections} sockets, ${full.rooms} rooms, ${full.fans} fans`);
  console.log(
    `  memory        idle rss ${mb(idle.memory.rss)} heap ${mb(idle.memory.heapUsed)} → full rss ${mb(full.memory.rss)} heap ${mb(full.memory.heapUsed)} → after rejoin rss ${mb(again.memory.rss)} heap ${mb(again.memory.heapUsed)}`,
  );
  for (const c of [...fans, ...artists]) c.socket.close();
} finally {
  child.kill("SIGTERM");
  await chain.stop();
}
