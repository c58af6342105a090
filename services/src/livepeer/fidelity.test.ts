/**
 * Livepeer as Livepeer behaves: the Studio stand-in against what Studio's API reference and source
 * say (each row of the README's fidelity table that has a test is checked here, and the table is
 * checked to list them), the gate's signed-timestamp freshness, terminate retries, JWT playback, and
 * `end()` closing the on-chain session when terminate keeps failing.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { getSession } from "../../../sdk/src/actions/live.ts";
import { signIn } from "../../../sdk/src/auth.ts";
import { LivepeerError } from "../../../sdk/src/streaming/errors.ts";
import { fetchLivepeerPlayback } from "../../../sdk/src/streaming/livepeer.ts";
import { createStreamingProvider } from "../../../sdk/src/streaming/provider.ts";
import { parseIceLinks } from "../../../sdk/src/streaming/whip.ts";
import { type Chain, KEYS, startChain } from "../../../testkit/src/chain.ts";
import { startLivepeerStudioStandIn } from "../../../testkit/src/stand-ins/livepeer-studio.ts";
import { type LivepeerAccessControl, startLivepeerAccessControl } from "./access-control.ts";
import { signPlaybackJwt, verifyPlaybackJwt } from "./jwt.ts";
import { createLivepeerStudio } from "./studio.ts";

let chain: Chain;
let standIn: Awaited<ReturnType<typeof startLivepeerStudioStandIn>>;
let gate: LivepeerAccessControl;
const SECRET = "fidelity-secret";
const client = () =>
  createLivepeerStudio({
    apiKey: standIn.apiKey,
    serverURL: standIn.apiUrl,
    ingestBaseUrl: standIn.ingestBaseUrl,
    retry: { attempts: 4, baseDelayMs: 50 },
  });

before(async () => {
  [chain, standIn] = await Promise.all([
    startChain(),
    startLivepeerStudioStandIn({ terminateDelayMs: 100, recordingReadyMs: 300 }),
  ]);
  gate = await startLivepeerAccessControl({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    webhookSecret: SECRET,
  });
});
after(async () => {
  await gate?.close();
  await standIn?.close();
  await chain?.stop();
});

/** Every behaviour the README's table marks as checked, by the row's endpoint. */
const checked = new Set<string>();
const row = (endpoint: string) => checked.add(endpoint);

test("stream create 201, playback info without a key, 403 for another project, 429 passed through", async () => {
  const studio = client();
  const stream = await studio.createStream({ name: "fidelity" });
  row("POST /api/stream");
  const direct = await fetch(`${standIn.apiUrl}/playback/${stream.playbackId}`); // no Authorization header
  assert.equal(direct.status, 200);
  const sources = await fetchLivepeerPlayback(stream.playbackId, { apiUrl: standIn.apiUrl });
  assert.ok(sources.hls?.endsWith("/index.m3u8"));
  await assert.rejects(
    fetchLivepeerPlayback("nope", { apiUrl: standIn.apiUrl }),
    (e: LivepeerError) => e.status === 404,
  );
  row("GET /api/playback/{playbackId}");
  const other = await fetch(`${standIn.apiUrl}/stream/${stream.id}`, {
    headers: { authorization: `Bearer ${standIn.otherApiKey}` },
  });
  assert.equal(other.status, 403);
  row("GET /api/stream/{id}");
  standIn.failNext(429);
  await assert.rejects(studio.createStream({ name: "limited" }), (e: LivepeerError) => e.status === 429);
  row("rate limit");
});

test("terminate: 204 then asynchronous, 429 within 5 s (retried with backoff by the client), recordings ready later", async () => {
  const studio = client();
  const stream = await studio.createStream({ name: "terminate", record: true });
  const raw = (path: string, method = "DELETE") =>
    fetch(`${standIn.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${standIn.apiKey}` } });
  assert.equal((await raw(`/stream/${stream.id}/terminate`)).status, 204);
  assert.equal((await raw(`/stream/${stream.id}/terminate`)).status, 429, "a second terminate within 5 s");
  row("DELETE /api/stream/{id}/terminate");
  // The client retries 429 (Retry-After: 1 s on the injected one) and gets through.
  const other = await studio.createStream({ name: "retry" });
  standIn.failNext(429, 2);
  const started = Date.now();
  await studio.terminate(other.id);
  assert.ok(Date.now() - started >= 1_000, "waited for Retry-After");
  standIn.failNext(503, 4);
  await assert.rejects(studio.terminate(other.id), (e: LivepeerError) => e.status === 503);
  row("GET /api/stream/{id}/sessions");
});

test("the access-control webhook: 200 allows with a config, 403 refuses, 502 when unreachable, an allow cached 120 s", async () => {
  const studio = client();
  const webhookId = await studio.createAccessControlWebhook({ name: "g", url: gate.webhookUrl, sharedSecret: SECRET });
  const stream = await studio.createStream({ name: "gated" });
  await studio.setGate(stream.id, { webhookId, context: { streamId: "999999" } }); // no such session: refused
  const gateCall = (accessKey: string) =>
    fetch(`${standIn.apiUrl}/access-control/gate`, {
      method: "POST",
      headers: { authorization: `Bearer ${standIn.apiKey}` },
      body: JSON.stringify({ stream: `video+${stream.playbackId}`, type: "accessKey", accessKey }),
    });
  const { nonce } = await (await fetch(`${gate.url}/nonce`)).json();
  const signed = await signIn(chain.wallet(KEYS.fan2), { domain: new URL(gate.url).host, uri: gate.url, nonce });
  const { token } = await (await fetch(`${gate.url}/session`, { method: "POST", body: JSON.stringify(signed) })).json();
  const refused = await gateCall(token);
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get("cache-control"), "max-age=120,stale-while-revalidate=600");
  // An open session: allowed, and the playback side caches the allow.
  const { openSession } = await import("../../../sdk/src/actions/live.ts");
  const { streamId } = await openSession(chain.wallet(KEYS.artist), {
    deployment: chain.deployment,
    title: "open",
    playbackId: stream.playbackId,
  });
  await studio.setGate(stream.id, { webhookId, context: { streamId: streamId.toString() } });
  const allowed = await gateCall(token);
  assert.equal(allowed.status, 200);
  assert.equal(typeof (await allowed.json()).user_viewer_limit, "number");
  const hls = `${standIn.url}/hls/${stream.playbackId}/index.m3u8?accessKey=${encodeURIComponent(token)}`;
  const calls = standIn.webhookCalls.length;
  assert.equal((await fetch(hls)).status, 200);
  assert.equal((await fetch(hls)).status, 200);
  assert.equal(standIn.webhookCalls.length, calls + 1, "the second play is answered from the 120 s cache");
  // Unreachable webhook: 502.
  const deadId = await studio.createAccessControlWebhook({ name: "dead", url: "http://127.0.0.1:9/x" });
  await studio.setGate(stream.id, { webhookId: deadId, context: { streamId: streamId.toString() } });
  assert.equal((await gateCall(token)).status, 502);
  row("POST /api/access-control/gate");
});

test("the gate judges freshness on the signed body timestamp: an old body with a fresh header t is refused", async () => {
  const call = (timestamp: number, t: number) => {
    const body = JSON.stringify({ context: { streamId: "1" }, accessKey: "x", timestamp });
    const v1 = createHmac("sha256", SECRET).update(body).digest("hex");
    return fetch(gate.webhookUrl, { method: "POST", headers: { "Livepeer-Signature": `t=${t},v1=${v1}` }, body });
  };
  const hourAgo = Date.now() - 3_600_000;
  const replay = await call(hourAgo, Date.now());
  assert.equal(replay.status, 401);
  assert.match((await replay.json()).error.message, /Stale/);
  assert.equal((await call(hourAgo, hourAgo)).status, 401);
  // Fresh and consistent: past the signature check (then the forged access key is refused: 401 SignInRequired, not Stale).
  const fresh = await call(Date.now(), Date.now());
  assert.doesNotMatch((await fresh.json()).error.message, /Stale/);
  row("webhook signature");
});

test("JWT playback: a signing key (201), ES256 tokens signed on the server, checked by the playback side", async () => {
  const studio = client();
  const key = await studio.createSigningKey();
  row("POST /api/access-control/signing-key");
  const stream = await studio.createStream({ name: "jwt" });
  await studio.setJwtGate(stream.id);
  const jwt = signPlaybackJwt({ playbackId: stream.playbackId, privateKey: key.privateKey, publicKey: key.publicKey });
  assert.ok(verifyPlaybackJwt(jwt, { playbackId: stream.playbackId, publicKey: key.publicKey }));
  const hls = `${standIn.url}/hls/${stream.playbackId}/index.m3u8`;
  assert.equal((await fetch(`${hls}?jwt=${jwt}`)).status, 200);
  assert.equal((await fetch(hls)).status, 403, "no token");
  const other = signPlaybackJwt({ playbackId: "another", privateKey: key.privateKey, publicKey: key.publicKey });
  assert.equal((await fetch(`${hls}?jwt=${other}`)).status, 403, "another playback id");
  const expired = signPlaybackJwt({ playbackId: stream.playbackId, ...key, expiresIn: -1 });
  assert.equal((await fetch(`${hls}?jwt=${expired}`)).status, 403, "expired");
  row("jwt playback policy");
});

test("end() closes the on-chain session even when terminate keeps failing; fans watch with no key", async () => {
  const artist = createStreamingProvider({
    kind: "livepeer",
    wallet: chain.wallet(KEYS.artist),
    deployment: chain.deployment,
    studio: client(),
  });
  const live = await artist.goLive({ title: "terminate fails" });
  const fan = createStreamingProvider({
    kind: "livepeer",
    wallet: chain.wallet(KEYS.fan1),
    deployment: chain.deployment,
    playbackApiUrl: standIn.apiUrl, // no studio, no API key
  });
  const watch = await fan.watch({ streamId: live.streamId });
  assert.ok(watch.playback?.hls);
  await watch.leave();
  standIn.failNext(500, 4);
  const ended = await live.end();
  assert.equal((ended.terminateError as LivepeerError | undefined)?.status, 500);
  const session = await getSession(chain.publicClient, { deployment: chain.deployment, streamId: live.streamId });
  assert.ok(session.closedAt > 0n);
});

test("WHIP Link headers name ICE servers; the global ingest redirects to the regional node", async () => {
  const stream = await client().createStream({ name: "whip" });
  const head = await fetch(stream.whipUrl, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.match(head.url, /\/region\/webrtc\//);
  const servers = parseIceLinks(head.headers.get("link"));
  assert.deepEqual(servers[1], { urls: "turn:127.0.0.1:3478", username: "livepeer", credential: "livepeer" });
  row("HEAD /webrtc/{streamKey}");
});

test("the README's fidelity table lists every checked behaviour and marks each with a match", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const table = readme.slice(readme.indexOf("### Livepeer fidelity"));
  const rows = table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split("|").map((cell) => cell.trim()));
  const endpoints = new Set(rows.map((cells) => cells[1]!.replace(/`/g, "")));
  for (const endpoint of checked) assert.ok(endpoints.has(endpoint), `README row for ${endpoint}`);
  for (const cells of rows) {
    assert.match(cells[4] ?? "", /^(yes|partly|no)\b/, cells.join("|"));
    assert.match(cells[2] ?? "", /https:\/\//, `a doc or source URL for ${cells[1]}`);
  }
});
