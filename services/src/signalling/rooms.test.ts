/**
 * The rooms provider end to end, in real Chromium against a real chain: an artist page and fan pages
 * (fake camera/microphone), the signalling service, on-chain sessions, licences and tips; the room
 * cap; relay-only through coturn. One chain, service and browser for the whole file.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseEther } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { purchaseLicense, registerTrack } from "../../../sdk/src/actions/catalog.ts";
import { getSession } from "../../../sdk/src/actions/live.ts";
import { tip } from "../../../sdk/src/actions/tipping.ts";
import type { Browser, Page } from "playwright-core";
import { startSignallingService, type SignallingService } from "./signalling-service.ts";
import { createSessionIssuer } from "../sign-in/sessions.ts";
import { type SfuService, startSfuService } from "../sfu/sfu-service.ts";
import { type Coturn, startCoturn } from "../../../testkit/src/coturn.ts";
import { type Chain, KEYS, startChain } from "../../../testkit/src/chain.ts";
import { eventually, launchChromium, openPage, startPageServer } from "../../../testkit/src/web.ts";

let chain: Chain;
let service: SignallingService;
/** A second service with the default cap (8 fans) and rate limits. */
let crowd: SignallingService;
/** A one-fan mesh whose overflow watches through `sfu`: both services take the same session tokens. */
let relayed: SignallingService;
let sfu: SfuService;
let pages: Awaited<ReturnType<typeof startPageServer>>;
let browser: Browser;
let turn: Coturn;

type Outcome<T> = { ok: true; value: T } | { ok: false; name: string; message: string };
type H = {
  goLive(setup: object): Promise<Outcome<string>>;
  watch(setup: object): Promise<Outcome<number>>;
  chat(text: string): void;
  via(): "mesh" | "relay" | undefined;
  relayError(): string | undefined;
  stats(): Promise<{ framesDecoded: number; audioEnergy: number; audioSamples: number }>;
  selectedCandidateTypes(): Promise<string[]>;
  end(): Promise<Outcome<{ peakViewers: number; hash: string }>>;
  state: { tips: { message: string; from: string; id: string }[]; chats: { from: string; text: string }[] };
};
declare const h: H;

const setup = (key: `0x${string}`, extra: object = {}) => ({
  rpcUrl: chain.rpcUrl,
  deployment: chain.deployment,
  signallingUrl: service.url,
  key,
  ...extra,
});
/** Rejects after `ms` (a generous deadline for waiting, not a speed assertion). */
const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref()),
  ]);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const goLive = (page: Page, key: `0x${string}`, extra: object) =>
  page.evaluate((s) => h.goLive(s), setup(key, extra) as never);
const watch = (page: Page, key: `0x${string}`, extra: object) =>
  page.evaluate((s) => h.watch(s), setup(key, extra) as never);
const stats = (page: Page) => page.evaluate(() => h.stats());
const pageState = (page: Page) => page.evaluate(() => h.state);
const value = <T>(outcome: Outcome<T>): T => {
  if (!outcome.ok) throw new Error(`${outcome.name}: ${outcome.message}`);
  return outcome.value;
};

before(async () => {
  [chain, pages, browser, turn] = await Promise.all([startChain(), startPageServer(), launchChromium(), startCoturn()]);
  service = await startSignallingService({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, maxFansPerRoom: 2 });
  crowd = await startSignallingService({ rpcUrl: chain.rpcUrl, deployment: chain.deployment });
  const sessions = createSessionIssuer();
  relayed = await startSignallingService({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    maxFansPerRoom: 1,
    sessions,
  });
  sfu = await startSfuService({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, sessions, log: () => undefined });
});

after(async () => {
  await browser?.close();
  await service?.close();
  await crowd?.close();
  await relayed?.close();
  await sfu?.close();
  await pages?.close();
  await turn?.stop();
  await chain?.stop();
});

describe("rooms", () => {
  test("artist and two fans: media, chat both ways, a tip on all pages, the cap, peak at close", async () => {
    const [artist, fan1, fan2, extra] = await Promise.all([0, 1, 2, 3].map(() => openPage(browser, pages.url)));
    const streamId = value(await goLive(artist!, KEYS.artist, { title: "Friday set" }));
    const session = await getSession(chain.publicClient, { deployment: chain.deployment, streamId: BigInt(streamId) });
    assert.equal(session.artist, chain.wallet(KEYS.artist).account.address);

    const [first1, first2] = await Promise.all([
      watch(fan1!, KEYS.fan1, { streamId }),
      watch(fan2!, KEYS.fan2, { streamId }),
    ]);
    assert.ok(value(first1) > 0 && value(first2) > 0, "both fans decoded a first frame");

    // The cap (2 here) refuses a third fan with a typed error.
    const refused = await watch(extra!, KEYS.fan3, { streamId });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.name, "RoomFullError");

    // Video frames advance and audio arrives on both fans.
    for (const fan of [fan1!, fan2!]) {
      const before = await stats(fan);
      await eventually(
        async () => {
          const now = await stats(fan);
          return now.framesDecoded > before.framesDecoded + 5 && now.audioEnergy > 0 && now.audioSamples > 0;
        },
        10_000,
        "advancing frames and audio",
      );
    }

    // Chat: artist → fans, fan → artist (and the other fan, relayed by the artist).
    await artist!.evaluate(() => h.chat("welcome!"));
    await fan1!.evaluate(() => h.chat("hello from fan 1"));
    const fan1Address = chain.wallet(KEYS.fan1).account.address;
    await eventually(
      async () => (await pageState(fan1!)).chats.some((c) => c.text === "welcome!"),
      5_000,
      "chat on fan 1",
    );
    await eventually(
      async () => (await pageState(fan2!)).chats.some((c) => c.text === "welcome!"),
      5_000,
      "chat on fan 2",
    );
    await eventually(
      async () => (await pageState(artist!)).chats.some((c) => c.text === "hello from fan 1" && c.from === fan1Address),
      5_000,
      "fan chat on the artist page",
    );
    await eventually(
      async () => (await pageState(fan2!)).chats.some((c) => c.text === "hello from fan 1"),
      5_000,
      "fan chat relayed",
    );

    // Tips confirmed on chain reach all three pages, with their message, in order, once.
    const artistAddress = chain.wallet(KEYS.artist).account.address;
    for (const message of ["encore!", "second tip"]) {
      await tip(chain.wallet(KEYS.fan1), {
        deployment: chain.deployment,
        artist: artistAddress,
        amount: parseEther("0.01"),
        streamId: BigInt(streamId),
        message,
      });
    }
    await tip(chain.wallet(KEYS.fan2), {
      deployment: chain.deployment,
      artist: artistAddress,
      amount: parseEther("0.01"),
      streamId: 999n,
      message: "other session",
    });
    for (const page of [artist!, fan1!, fan2!]) {
      const tips = await eventually(
        async () => {
          const { tips } = await pageState(page);
          return tips.length >= 2 && tips;
        },
        10_000,
        "tips on every page",
      );
      await new Promise((resolve) => setTimeout(resolve, 600)); // no duplicate may follow
      const { tips: final } = await pageState(page);
      assert.deepEqual(
        final.map((t) => t.message),
        ["encore!", "second tip"],
      );
      assert.equal((tips as { from: string }[])[0]!.from, fan1Address);
    }

    const ended = value(await artist!.evaluate(() => h.end()));
    assert.equal(ended.peakViewers, 2);
    const closed = await getSession(chain.publicClient, { deployment: chain.deployment, streamId: BigInt(streamId) });
    assert.ok(closed.closedAt > 0n);
    assert.equal(closed.peakViewers, 2);
    await Promise.all([artist, fan1, fan2, extra].map((page) => page!.context().close()));
  });

  test("8 fans clicking watch at the same moment all watch, three runs in a row", async () => {
    for (let run = 1; run <= 3; run++) {
      const [artist, ...fans] = await Promise.all([...Array(9)].map(() => openPage(browser, pages.url)));
      try {
        const streamId = value(await goLive(artist!, KEYS.artist, { title: `Crowd ${run}`, signallingUrl: crowd.url }));
        const started = performance.now();
        const outcomes = await Promise.all(
          fans.map(async (fan) => {
            const outcome = await within(
              watch(fan, generatePrivateKey(), { streamId, signallingUrl: crowd.url }),
              90_000,
              "a fan's first frame",
            );
            return { outcome, ms: performance.now() - started };
          }),
        );
        const failed = outcomes.filter(({ outcome }) => !outcome.ok).map(({ outcome }) => JSON.stringify(outcome));
        assert.deepEqual(failed, [], `run ${run}: every fan watches`);
        assert.ok(
          outcomes.every(({ outcome }) => value(outcome) > 0),
          "every fan decoded a first frame",
        );
        const room = crowd.rooms().find((r) => r.streamId === streamId);
        assert.deepEqual({ fans: room?.fans, peak: room?.peak }, { fans: 8, peak: 8 }, "the artist is still live");
        for (const fan of fans) {
          const before = await stats(fan);
          await eventually(
            async () => (await stats(fan)).framesDecoded > before.framesDecoded + 3,
            20_000,
            "advancing frames",
          );
        }
        const times = outcomes.map(({ ms }) => ms);
        const frames = outcomes.map(({ outcome }) => value(outcome));
        console.log(
          `8 fans at once, run ${run}: 8/8 watching; click → first frame median ${median(times).toFixed(0)} ms, ` +
            `max ${Math.max(...times).toFixed(0)} ms; offer → first frame median ${median(frames).toFixed(0)} ms`,
        );
        assert.equal(value(await artist!.evaluate(() => h.end())).peakViewers, 8);
      } finally {
        await Promise.all([artist, ...fans].map((page) => page!.context().close()));
      }
    }
  });

  test("a fan who joins late reads the room's latest chat", async () => {
    const [artist, early, late] = await Promise.all([0, 1, 2].map(() => openPage(browser, pages.url)));
    const streamId = value(await goLive(artist!, KEYS.artist, { title: "Chatty" }));
    value(await watch(early!, KEYS.fan1, { streamId }));
    await artist!.evaluate(() => h.chat("doors open"));
    await eventually(async () => (await pageState(early!)).chats.length === 1, 5_000, "chat on the early fan");
    await early!.evaluate(() => h.chat("first!"));
    await eventually(async () => (await pageState(artist!)).chats.length === 1, 5_000, "fan chat on the artist page");
    value(await watch(late!, KEYS.fan2, { streamId }));
    const chats = await eventually(
      async () => {
        const { chats } = await pageState(late!);
        return chats.length >= 2 && chats;
      },
      10_000,
      "the history on the late fan",
    );
    assert.deepEqual(
      (chats as { from: string; text: string }[]).map(({ from, text }) => [from, text]),
      [
        [chain.wallet(KEYS.artist).account.address, "doors open"],
        [chain.wallet(KEYS.fan1).account.address, "first!"],
      ],
    );
    value(await artist!.evaluate(() => h.end()));
    await Promise.all([artist, early, late].map((page) => page!.context().close()));
  });

  test("a gated session refuses a fan without a licence and admits them once they buy one", async () => {
    const artistWallet = chain.wallet(KEYS.artist);
    const { trackId } = await registerTrack(artistWallet, {
      deployment: chain.deployment,
      isrc: "USHM12600001",
      exclusive: true,
      metadataCid: "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
      splits: [{ recipient: artistWallet.account.address, bps: 10_000 }],
      offers: [{ price: parseEther("0.1") }],
    });
    const [artist, fan] = await Promise.all([openPage(browser, pages.url), openPage(browser, pages.url)]);
    const streamId = value(
      await goLive(artist, KEYS.artist, { title: "Members only", gatingTrackId: trackId.toString() }),
    );

    const refused = await watch(fan, KEYS.fan3, { streamId });
    assert.equal(!refused.ok && refused.name, "StreamAccessDeniedError");

    await purchaseLicense(chain.wallet(KEYS.fan3), { deployment: chain.deployment, trackId, offerId: 0n });
    const admitted = await watch(fan, KEYS.fan3, { streamId });
    assert.ok(value(admitted) > 0, "the licensed fan decodes frames");
    value(await artist.evaluate(() => h.end()));
    await Promise.all([artist, fan].map((page) => page.context().close()));
  });

  test("relay only: media flows through coturn with iceTransportPolicy 'relay'", async () => {
    const rtc = { iceServers: turn.iceServers, iceTransportPolicy: "relay" };
    const [artist, fan] = await Promise.all([openPage(browser, pages.url), openPage(browser, pages.url)]);
    const streamId = value(await goLive(artist, KEYS.artist, { title: "Through TURN", rtc }));
    assert.ok(value(await watch(fan, KEYS.fan2, { streamId, rtc })) > 0);
    const types = await eventually(
      async () => {
        const selected = await fan.evaluate(() => h.selectedCandidateTypes());
        return selected.length > 0 && selected;
      },
      5_000,
      "a selected candidate pair",
    );
    assert.deepEqual([...new Set(types as string[])], ["relay"]);
    const before = await stats(fan);
    await eventually(
      async () => (await stats(fan)).framesDecoded > before.framesDecoded + 5,
      10_000,
      "frames via TURN",
    );
    value(await artist.evaluate(() => h.end()));
    await Promise.all([artist, fan].map((page) => page.context().close()));
  });
});

describe("rooms with an SFU for the overflow", () => {
  test("the mesh's first fan watches the artist directly, the next through the SFU: video, chat both ways, tips, one peak", async () => {
    const [artist, meshFan, relayFan] = await Promise.all([0, 1, 2].map(() => openPage(browser, pages.url)));
    const urls = { signallingUrl: relayed.url, sfuUrl: sfu.url };
    const streamId = value(await goLive(artist!, KEYS.artist, { title: "Big night", ...urls }));
    assert.equal(await artist!.evaluate(() => h.relayError()), undefined, "the artist publishes to the SFU too");
    assert.ok(sfu.forwarder.publication(streamId), "one publication on the SFU");

    assert.ok(value(await watch(meshFan!, KEYS.fan1, { streamId, ...urls })) > 0);
    assert.equal(await meshFan!.evaluate(() => h.via()), "mesh");
    // The mesh is full (one fan): the next fan is not refused, and signs nothing more.
    assert.ok(value(await watch(relayFan!, KEYS.fan2, { streamId, ...urls })) > 0, "a first frame through the SFU");
    assert.equal(await relayFan!.evaluate(() => h.via()), "relay");
    const before = await stats(relayFan!);
    await eventually(
      async () => (await stats(relayFan!)).framesDecoded > before.framesDecoded + 5,
      15_000,
      "frames advancing through the SFU",
    );

    await relayFan!.evaluate(() => h.chat("from the back row"));
    await artist!.evaluate(() => h.chat("thanks for coming"));
    for (const page of [artist!, meshFan!])
      await eventually(
        async () => (await pageState(page)).chats.some((c) => c.text === "from the back row"),
        5_000,
        "the relay fan's chat in the room",
      );
    await eventually(
      async () => (await pageState(relayFan!)).chats.some((c) => c.text === "thanks for coming"),
      5_000,
      "the artist's chat on the relay fan",
    );
    await tip(chain.wallet(KEYS.fan1), {
      deployment: chain.deployment,
      artist: chain.wallet(KEYS.artist).account.address,
      amount: parseEther("0.01"),
      streamId: BigInt(streamId),
      message: "for the back row",
    });
    await eventually(
      async () => (await pageState(relayFan!)).tips.some((t) => t.message === "for the back row"),
      10_000,
      "the tip on the relay fan",
    );

    const ended = value(await artist!.evaluate(() => h.end()));
    assert.equal(ended.peakViewers, 2, "the mesh fan and the SFU's viewer");
    await eventually(async () => sfu.forwarder.publication(streamId) === undefined, 10_000, "the SFU publication ends");
    await Promise.all([artist, meshFan, relayFan].map((page) => page!.context().close()));
  });
});
