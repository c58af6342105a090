/**
 * End-to-end: the production build in Debian's Chromium against the whole local stack (chain,
 * indexer, IPFS, key service, demo data), set up by e2e/harness.ts. The flows run in order and build
 * on each other's state; files that add flows export a function this file calls at its end.
 *   npm test -w dapp        (needs /usr/bin/chromium: apt-get install -y chromium)
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { type Page } from "playwright-core";
import { encodeFunctionData, toFunctionSelector } from "viem";
import { ContractError, openSession, propose, registerProfile, registerTrack } from "../../sdk/src/index.ts";
import { contentRegistryAbi, harmonieTippingAbi } from "../../sdk/src/generated/abis.ts";
import { createHttpServiceBackend } from "../../sdk/src/storage/http-service-backend.ts";
import { addProfilePackage, addTrackPackage } from "../../sdk/src/storage/packages.ts";
import { startRunner } from "../../subgraph/runner/src/index.ts";
import {
  type WithTestWallet,
  DAPP,
  DIST,
  ISRC,
  SHOTS,
  TEST_TONE,
  XSS,
  advanceTime,
  asTimelock,
  assertNoRawError,
  audioOf,
  confirmations,
  confirmed,
  connect,
  fillTrack,
  dialogs,
  mintUsdc,
  openAs,
  outsiderRefusedMemberAdmitted,
  openStreaming,
  purchaseButtons,
  rpc,
  sdkWallet,
  shot,
  site,
  stablecoin,
  stack,
  stackDir,
  tabTo,
  usdcOf,
  wav,
  work,
} from "./harness.ts";
import { serveDist } from "./serve.ts";

test("connect, browse Discover, an artist and a track", async () => {
  const { page } = await openAs(5); // fan 2
  await page.goto(site.url);
  await page.getByRole("heading", { name: "Latest tracks" }).waitFor();
  await page.getByText("Night Drive").first().waitFor();
  // The test wallet has no window.ethereum: it only announces itself over EIP-6963, and connects.
  assert.equal(await page.evaluate(() => "ethereum" in window), false);
  await connect(page);
  await page.locator("img[src^='blob:']").first().waitFor(); // covers from IPFS
  await shot(page, "discover");

  await page
    .getByRole("link", { name: /Night Drive/ })
    .first()
    .click();
  await page.getByRole("heading", { level: 1, name: "Night Drive" }).waitFor();
  await page.getByRole("button", { name: "Play" }).click();
  await page.getByTestId("now-playing").waitFor();
  await shot(page, "track");

  await page.locator("main").getByRole("link", { name: /nova/i }).first().click();
  await page.getByTestId("followers").waitFor();
  await page.getByText("Night Drive on repeat all week!").waitFor();
  await shot(page, "artist");
});

test("keyboard only: the skip link, then a track opened and played with the keyboard", async () => {
  const { page } = await openAs(5);
  await page.goto(site.url);
  await page.getByText("Night Drive").first().waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "main");
  await tabTo(page, /Night Drive/);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Night Drive" }).waitFor();
  await tabTo(page, /^Play$/);
  await page.keyboard.press("Enter");
  await page.getByTestId("now-playing").waitFor();
});

/** The built chunks that carry the wallet kit (RainbowKit, wagmi): found by what is in them, not by name alone. */
function walletKitChunks(): string[] {
  const assets = path.join(DIST, "assets");
  const kit = readdirSync(assets).filter(
    (file) =>
      /^WalletKit-.*\.(js|css)$/.test(file) ||
      (file.endsWith(".js") &&
        /WagmiProviderNotFoundError|rk-connect-button/.test(readFileSync(path.join(assets, file), "utf8"))),
  );
  assert.ok(
    kit.some((file) => /^WalletKit-.*\.js$/.test(file)),
    `the build has a WalletKit chunk (dist/assets: ${kit.join(", ")})`,
  );
  return kit;
}

/** The chunks index.html's inline script preloads for `pathname`: the code of the page landed on. */
function pageChunks(pathname: string): string[] {
  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  const table = html.match(/for\(const\[p,f\]of(\[.*?\]\]\])\)if/)?.[1];
  assert.ok(table, "index.html has the route preload table");
  const files = (JSON.parse(table) as [string, string[]][]).find(([pattern]) =>
    new RegExp(pattern).test(pathname),
  )?.[1];
  assert.ok(files?.length, `index.html preloads chunks for ${pathname}`);
  return files.map((file) => file.split("/").pop()!);
}

test("a track's deep link shows its title before any wallet-kit chunk is requested; a tip then loads the kit, keeps what was typed and goes through", async () => {
  const kit = walletKitChunks();
  const { page } = await openAs(5); // fan 2, never connected in this profile
  // When the title first shows, on the page's clock (the same clock as its resource timings).
  await page.addInitScript(() => {
    const seen = () =>
      [...document.querySelectorAll("h1")].some((h1) => h1.textContent?.includes("Night Drive")) &&
      ((window as unknown as { titleAt?: number }).titleAt ??= performance.now());
    new MutationObserver(seen).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const requested: string[] = [];
  page.on("request", (request) => requested.push(new URL(request.url()).pathname.split("/").pop()!));
  await page.goto(`${site.url}/track/QZDA62400001`); // Night Drive (demo data)
  await page.getByRole("heading", { level: 1, name: "Night Drive" }).waitFor();
  await page.locator("main").getByRole("link", { name: "Nova" }).waitFor();
  await page.locator("main img[src^='blob:']").first().waitFor(); // the cover, read from IPFS
  await page
    .getByTestId("tip-minimum")
    .getByText(/^Minimum tip: [\d.]+ CORE$/)
    .waitFor(); // a chain read
  const { titleAt, before } = await page.evaluate(() => {
    const titleAt = (window as unknown as { titleAt?: number }).titleAt;
    const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
    return {
      titleAt,
      before: resources.filter((r) => r.startTime <= titleAt!).map((r) => new URL(r.name).pathname.split("/").pop()!),
    };
  });
  assert.ok(titleAt !== undefined, "the title showed");
  assert.deepEqual(
    pageChunks("/track/QZDA62400001").filter((file) => !before.includes(file)),
    [],
    `the track page's chunks came first: ${before.join(", ")}`,
  );
  assert.deepEqual(
    before.filter((file) => kit.includes(file)),
    [],
    "no wallet-kit chunk before the title",
  );
  // Nor after it, as long as the visitor reaches for no wallet action.
  await page.waitForLoadState("networkidle");
  assert.deepEqual(
    requested.filter((file) => kit.includes(file)),
    [],
    "the kit is not loaded for reading",
  );
  assert.equal(await page.getByRole("button", { name: "Connect Wallet" }).count(), 1, "the header's placeholder");

  // A tip: typed first, then the wallet. Reaching for the form fetches the kit; its arrival keeps the form as it was.
  const kitRequest = page.waitForRequest((request) => /\/WalletKit-[^/]*\.js$/.test(request.url()));
  const message = `From the link ${Date.now()}`;
  await page.getByLabel("Message (public, optional)").fill(message);
  await kitRequest;
  await page.getByRole("button", { name: "Connect a wallet to tip" }).click();
  await page
    .getByRole("button", { name: /Test Wallet/ })
    .first()
    .click();
  await page.getByRole("button", { name: /Connect Wallet/ }).waitFor({ state: "detached" });
  assert.equal(await page.getByLabel("Message (public, optional)").inputValue(), message, "nothing remounted");
  await page.getByRole("button", { name: "Send tip", exact: true }).click();
  await confirmed(page, /Tip/);
  await page.getByRole("heading", { level: 1, name: "Night Drive" }).waitFor();
});

test("phones (390×844): a one-row header, a bottom tab bar that navigates, two cards a row, the player above the tab bar", async () => {
  const { page } = await openAs(5);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(site.url);
  await page.getByRole("heading", { name: "Latest tracks" }).waitFor();
  const box = async (locator: ReturnType<Page["locator"]>) => {
    const b = await locator.boundingBox();
    assert.ok(b, "laid out");
    return b;
  };
  const header = await box(page.locator("header.topbar"));
  assert.ok(header.height < 80, `the header is one row: ${header.height} px high`);
  const tabs = page.getByRole("navigation", { name: "Main" });
  const bar = await box(tabs);
  assert.ok(
    Math.abs(bar.y + bar.height - 844) < 1 && bar.width === 390,
    `the tab bar spans the bottom: ${JSON.stringify(bar)}`,
  );
  assert.ok(bar.height < 90, `one row of tabs: ${bar.height} px`);
  const links = tabs.getByRole("link");
  assert.equal(await links.count(), 5);
  for (let i = 0; i < 5; i++)
    assert.ok(Math.abs((await box(links.nth(i))).y - bar.y) < 2, `tab ${i} is in the bar's row`);
  await tabs.getByRole("link", { name: "Discover" }).and(page.locator("[aria-current=page]")).waitFor();

  // Two track cards share each row of the grid; the third starts the next one.
  const cards = page.locator("main .grid").first().locator("> li");
  assert.ok((await cards.count()) >= 3, "at least three tracks on Discover");
  const [first, second, third] = [await box(cards.nth(0)), await box(cards.nth(1)), await box(cards.nth(2))];
  assert.ok(Math.abs(first.y - second.y) < 1 && second.x > first.x + first.width - 1, "cards 1 and 2 share a row");
  assert.ok(third.y > first.y + first.height - 1 && Math.abs(third.x - first.x) < 1, "card 3 starts the second row");
  assert.ok(first.width < 195, `half the width each: ${first.width} px`);

  // The player's bar sits on top of the tab bar, covering none of it.
  await page
    .getByRole("button", { name: /^Play / })
    .first()
    .click();
  const player = await box(page.getByTestId("now-playing"));
  assert.ok(
    player.y + player.height <= bar.y + 0.5,
    `the player (bottom ${player.y + player.height}) ends above the tab bar (top ${bar.y})`,
  );
  const top = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x!, y!)?.closest("nav")?.getAttribute("aria-label"),
    [first.x + 10, bar.y + bar.height / 2],
  );
  assert.equal(top, "Main", "the tab bar is what is on top at its place");
  await shot(page, "phone-discover");

  // The tabs navigate; the header still has no row of links.
  await tabs.getByRole("link", { name: "Offline" }).click();
  await page.getByRole("heading", { level: 1, name: "Offline" }).waitFor();
  await tabs.getByRole("link", { name: "Offline" }).and(page.locator("[aria-current=page]")).waitFor();
  await tabs.getByRole("link", { name: "DAO" }).click();
  await page.getByRole("heading", { level: 1, name: /DAO/ }).waitFor();
  assert.ok((await box(page.locator("header.topbar"))).height < 80, "still one row with the wallet kit loaded");
  // An artist's tracks: two a row too.
  await page.goto(`${site.url}/@nova`);
  const tracks = page.locator("main .grid").first().locator("> li");
  await tracks.nth(1).waitFor();
  assert.ok(
    Math.abs((await box(tracks.nth(0))).y - (await box(tracks.nth(1))).y) < 1,
    "an artist's two tracks share a row",
  );

  // Desktop keeps its links in the header.
  await page.setViewportSize({ width: 1280, height: 900 });
  const wide = await box(page.locator("header.topbar"));
  const nav = await box(tabs);
  assert.ok(nav.y >= wide.y && nav.y + nav.height <= wide.y + wide.height, "the links are in the header on a desktop");
});

test("the player keeps playing across pages, its queue's next plays the next track", async () => {
  const { page } = await openStreaming(7);
  const bar = page.getByTestId("now-playing");
  // Discover lists Dakar Nights, Sahel Sunrise, Aurora (exclusive), Night Drive: the open ones after
  // Sahel Sunrise are queued behind it.
  await page.getByRole("button", { name: "Play Sahel Sunrise" }).click();
  await bar.getByText("Sahel Sunrise").waitFor();
  await page.waitForFunction(
    () => (document.querySelector("audio[data-testid=player]") as HTMLAudioElement).currentTime > 0,
  );
  const before = await audioOf(page);
  assert.match(before.src, /\/verified-audio\/.+\/audio\.wav/, "streamed through the service worker");

  // Another page, and the wallet kit arriving (DAO waits for it; its providers mount beside the app).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "DAO" }).click();
  await page.getByRole("heading", { level: 1, name: /DAO/ }).waitFor();
  await page.getByRole("link", { name: "HarmonieCORE home" }).click();
  await page.getByRole("heading", { name: "Latest tracks" }).waitFor();
  // Playing on: at least a second further than before the navigation (waited for, not timed).
  await page.waitForFunction(
    (time) => (document.querySelector("audio[data-testid=player]") as HTMLAudioElement).currentTime > time + 1,
    before.time,
    { timeout: 15_000 },
  );
  const after = await audioOf(page);
  assert.equal(after.src, before.src, "the same track");
  assert.equal(after.paused, false);
  assert.ok(after.time > before.time + 1, `played on: ${before.time} s → ${after.time} s`);
  await bar.getByText("Sahel Sunrise").waitFor();
  assert.equal(await page.getByRole("button", { name: "Pause Sahel Sunrise" }).count(), 1, "its card shows it playing");

  await bar.getByRole("button", { name: /^Queue, 2 tracks/ }).click();
  const queue = bar.getByRole("list", { name: "Queue" });
  await queue.getByText("Night Drive").waitFor();
  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(SHOTS, `player-${viewport.width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  await bar.getByRole("button", { name: "Next track" }).click();
  await bar.locator(".player-title").getByText("Night Drive").waitFor();
  await page.waitForFunction((previous) => {
    const audio = document.querySelector("audio[data-testid=player]") as HTMLAudioElement;
    return audio.src !== previous && audio.currentTime > 0;
  }, before.src);
  assert.equal(await bar.getByRole("button", { name: "Next track" }).isDisabled(), true, "nothing after the last");
  // A seek far past what has arrived asks the worker for a byte range: only the leaves from there on.
  await bar.getByRole("slider", { name: "Seek" }).fill("180");
  await page.waitForFunction(
    () => (document.querySelector("audio[data-testid=player]") as HTMLAudioElement).currentTime > 180.5,
  );
  await bar.getByRole("button", { name: "Pause" }).click();
  assert.equal((await audioOf(page)).paused, true);
  // The player sets the lock-screen state in an effect after it re-renders, a moment after the pause.
  await page.waitForFunction(() => navigator.mediaSession.playbackState === "paused", undefined, { timeout: 10_000 });
  const session = await page.evaluate(() => ({
    title: navigator.mediaSession.metadata?.title,
    artist: navigator.mediaSession.metadata?.artist,
    state: navigator.mediaSession.playbackState,
  }));
  assert.deepEqual(session, { title: "Night Drive", artist: "Nova", state: "paused" }, "lock-screen metadata");
});

test("a tampered block from the gateway stops playback with a plain-words error", async () => {
  const { page } = await openStreaming(7);
  const gateway = String(stack.dappConfig!.ipfsGatewayUrl).replace(/\/+$/, "");
  // A dishonest gateway: the third raw leaf it serves has one byte changed.
  const leaves: string[] = [];
  let refused = "";
  await page.route(
    (url) => url.href.startsWith(`${gateway}/ipfs/bafkrei`) && url.searchParams.get("format") === "raw",
    async (route) => {
      const cid = new URL(route.request().url()).pathname.split("/")[2]!;
      if (!leaves.includes(cid)) leaves.push(cid);
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      if (leaves.indexOf(cid) === 2) {
        body[body.length >> 1]! ^= 0xff;
        refused = cid;
      }
      await route.fulfill({ response, body });
    },
  );
  await page.getByRole("button", { name: "Play Night Drive" }).click();
  const bar = page.getByTestId("now-playing");
  await bar
    .getByTestId("player-status")
    .getByText(/^Playback stopped: a piece of this track from the IPFS gateway did not match/)
    .waitFor();
  assert.ok(refused, "the tampered leaf was served");
  assert.equal((await audioOf(page)).paused, true, "nothing plays after the refused block");
  await bar.getByRole("button", { name: "Try again" }).waitFor();
  await shot(page, "player-refused");
});

test("wrong network: connecting switches the wallet; a later switch away gets a prompt that switches back, also after a declined switch", async () => {
  const { page } = await openAs(5, { startChainId: 1116 }); // last used on Core mainnet
  await page.goto(site.url);
  await connect(page);
  const onChain = () => page.evaluate(() => (window as unknown as WithTestWallet).testWallet.chainId());
  await page.waitForFunction((id) => (window as unknown as WithTestWallet).testWallet.chainId() === id, stack.chainId);
  const prompt = page.getByRole("alert").filter({ hasText: "Your wallet is on another network (chain 1116)" });
  assert.equal(await prompt.count(), 0);

  await page.evaluate(() => (window as unknown as WithTestWallet).testWallet.userSwitchesTo(1116));
  await prompt.waitFor();
  await shot(page, "wrong-network");
  // Declined in the wallet: plain words, the prompt stays and its button works again.
  await page.evaluate(() => (window as unknown as WithTestWallet).testWallet.declineNextSwitch());
  const switchButton = page.getByRole("button", { name: /^Switch to / });
  await switchButton.click();
  await prompt.getByText("You declined the switch in your wallet.", { exact: false }).waitFor();
  assert.equal(await onChain(), 1116);
  await switchButton.click();
  await prompt.waitFor({ state: "detached" });
  assert.equal(await onChain(), stack.chainId);
});

test("tip in a live session with a message: it appears live, on the artist page, and HTML stays inert", async () => {
  const { page } = await openAs(5);
  await page.goto(site.url);
  await page.getByRole("link", { name: "Friday night live from Dakar" }).click();
  await page.getByText("Best live of the year").waitFor();
  // The demo session has no rooms broadcast: a clear word instead of a dead player.
  await page.getByText("The artist isn't broadcasting video for this session.", { exact: false }).waitFor();
  await connect(page);
  await page.getByLabel("Amount (CORE)").fill("1.5");
  await page.getByLabel("Message (public, optional)").fill(XSS);
  await page.getByRole("button", { name: "Send tip" }).click();
  await confirmed(page, /Tip/);
  // Polled every 2 s from the indexer: the message shows up as text.
  await page.getByTestId("tips").getByText(XSS).waitFor();
  assert.equal(await page.locator(".tips img").count(), 0, "the tip message must not create elements");
  await shot(page, "live");

  await page.getByRole("link", { name: "mbalax" }).first().click();
  await page.getByRole("heading", { name: "Latest tips" }).waitFor();
  await page.getByTestId("tips").getByText(XSS).waitFor();
  assert.equal(await page.locator(".tips img").count(), 0);
  assert.deepEqual(dialogs, [], "no script from a tip message may run");
});

test("an artist creates a profile, then uploads and registers an exclusive track", async () => {
  const { page } = await openAs(7);
  await page.goto(`${site.url}/studio`);
  await connect(page);
  const cover = readFileSync(path.join(DAPP, "public/icons/icon-512.png"));
  await page.getByLabel("Handle").fill("e2e_artist");
  await page.getByLabel("Display name").fill("E2E Artist");
  await page.getByLabel("Bio").fill("Made by the end-to-end test.");
  await page.getByLabel(/^Avatar/).setInputFiles({ name: "avatar.png", mimeType: "image/png", buffer: cover });
  await page.getByRole("button", { name: "Create profile" }).click();
  await confirmed(page, /Create profile/);

  const isrc = page.getByLabel(/^ISRC/);
  await isrc.fill("US-E2E");
  await page
    .getByTestId("isrc-help")
    .getByText(/Not a valid ISRC/)
    .waitFor();
  await isrc.fill(ISRC.toLowerCase());
  await page.getByTestId("isrc-help").getByText(`✓ ${ISRC}`).waitFor();
  await fillTrack(page, "Test Tone");
  await page.getByLabel("Licence price (CORE)").fill("0.25");
  await page.getByLabel(/^Exclusive/).check();
  await page.getByRole("button", { name: "Upload and register" }).click();
  await confirmed(page, /Upload and register track/);
  await page.getByRole("link", { name: "open the track page" }).waitFor();
  await shot(page, "studio");
});

test("a fan buys a licence, plays the exclusive track, saves it, and plays it offline", async () => {
  const { page, context } = await openAs(6); // fan 3
  await page.goto(`${site.url}/track/${ISRC.replaceAll("-", "")}`);
  await page.getByRole("heading", { level: 1, name: "Test Tone" }).waitFor();
  await connect(page);
  await page.getByText(/Buy a licence below to unlock it/).waitFor();
  await page.getByRole("button", { name: "Buy licence" }).click();
  await confirmed(page, /Buy licence/);
  await page.getByRole("button", { name: "Unlock and play" }).click();
  await page.getByTestId("now-playing").getByText("Test Tone").waitFor();
  await page.waitForFunction(
    () => (document.querySelector("[data-testid=player]") as HTMLAudioElement).currentTime > 0,
  );
  await page.getByRole("button", { name: "Save for offline" }).click();
  await page.getByRole("button", { name: "Saved for offline ✓" }).waitFor();
  await shot(page, "track-exclusive");

  // Once the service worker controls the page, the shell no longer needs the network.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  // Now the service worker relays it: the ciphertext streams, verified block by block and decrypted
  // chunk by chunk (HCEA-2), instead of being fetched and decrypted whole first.
  await page.getByRole("button", { name: "Unlock and play" }).click();
  await page.waitForFunction(
    () => (document.querySelector("[data-testid=player]") as HTMLAudioElement).currentTime > 0,
  );
  assert.match((await audioOf(page)).src, /\/verified-audio\/.+\.enc\?type=audio/);
  await page.getByRole("button", { name: "Pause", exact: true }).first().click();
  await context.setOffline(true);
  try {
    await page.goto(`${site.url}/saved`);
    await page.getByRole("heading", { name: "Offline" }).waitFor();
    await page.getByRole("button", { name: "Play Test Tone" }).click();
    await page.waitForFunction(() => {
      const audio = document.querySelector("[data-testid=saved-player]") as HTMLAudioElement | null;
      return !!audio && audio.currentTime > 0;
    });
    await shot(page, "offline");
  } finally {
    await context.setOffline(false);
  }
});

test("stake, delegate, propose, vote with a reason, queue and execute: the fee changes", async () => {
  const { page } = await openAs(8);
  await page.goto(`${site.url}/dao`);
  await connect(page);
  await page.getByTestId("protocol").getByText("2.5%").waitFor();
  // 20 of 320 hVOTE clears the 4% quorum alone.
  // The first stake offers to delegate to yourself (checked): votes count at once, no separate step.
  await page.getByTestId("delegate-on-stake").getByRole("checkbox").waitFor();
  assert.equal(await page.getByTestId("delegate-on-stake").getByRole("checkbox").isChecked(), true);
  await page.getByLabel("Amount (CORE)").fill("20");
  await page.getByRole("button", { name: "Stake", exact: true }).click();
  await confirmed(page, /Stake and delegate to yourself/);
  await page.getByTestId("staked").getByText("20 hVOTE").waitFor();
  await page.getByTestId("votes").getByText("20 votes").waitFor();
  await page.getByTestId("delegatee").getByText("yourself").waitFor();
  assert.equal(await page.getByTestId("undelegated-hint").count(), 0);
  await page.getByText("Lower the tipping fee to 2%").first().waitFor();
  // The demo proposal's sentence starts from the fee in force, read on chain.
  await page
    .locator(".proposal-row", { hasText: "Lower the tipping fee to 2%" })
    .getByText("Set the tipping fee 2.5% → 2%")
    .waitFor();
  await shot(page, "dao");

  await new Promise((resolve) => setTimeout(resolve, 1500)); // votes count from the next second on
  await page.getByLabel("New fee (basis points, 100 = 1%, at most 1,000)").fill("300");
  await page.getByLabel("Description (its text on chain)").fill("E2E: tipping fee to 3%");
  await page.getByRole("button", { name: "Submit proposal" }).click();
  await page.getByRole("heading", { level: 1, name: "E2E: tipping fee to 3%" }).waitFor({ timeout: 60_000 });
  // What voters read, and the decoded call the timelock will make.
  await page.getByTestId("proposal-actions").getByText("Set the tipping fee 2.5% → 3%").waitFor();
  await page.getByText("HarmonieTipping.setFee(300)").waitFor();
  // Voting opens one second after the proposal (local voting delay).
  await page.getByRole("button", { name: "Cast vote" }).waitFor({ timeout: 30_000 });
  await page.getByTestId("proposal-state").getByText("Active").waitFor();
  const next = page.getByTestId("proposal-next");
  await next.getByText(/^Voting ends in [45] min \d\d s$/).waitFor();
  const first = await next.textContent();
  await page.waitForFunction(
    (before) => document.querySelector("[data-testid=proposal-next]")?.textContent !== before,
    first,
  );
  await page
    .getByTestId("quorum")
    .getByText(/^Quorum: 0 of [\d.]+ votes .*more needed$/)
    .waitFor();
  await page.getByLabel("Reason (public, optional)").fill("Fairer for artists");
  await page.getByRole("button", { name: "Cast vote" }).click();
  await confirmed(page, /Vote/);
  await page.getByRole("heading", { name: "Votes (1)" }).waitFor();
  // One vote per account: the form gives way to a note; the vote is listed with its reason.
  await page.getByTestId("voted").waitFor();
  assert.equal(await page.getByRole("button", { name: "Cast vote" }).count(), 0);
  await page
    .getByTestId("vote-list")
    .locator("li", { hasText: "voted for" })
    .getByText("“Fairer for artists”")
    .waitFor();
  await page
    .getByTestId("quorum")
    .getByText(/^Quorum: 20 of [\d.]+ votes .*reached$/)
    .waitFor();
  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await shot(page, `proposal-${viewport.width}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  await advanceTime(301); // past the 300 s voting period
  await page
    .getByTestId("proposal-next")
    .getByText("Passed: it can be queued in the timelock now")
    .waitFor({ timeout: 30_000 });
  // The list says what the proposal page says.
  const proposalUrl = page.url();
  await page.getByRole("link", { name: "← All proposals" }).click();
  const row = page.locator(".proposal-row", { hasText: "E2E: tipping fee to 3%" });
  await row.getByTestId("proposal-state").getByText("Succeeded").waitFor();
  await page.goto(proposalUrl);
  await page.getByRole("button", { name: "Queue in the timelock" }).click({ timeout: 30_000 });
  await confirmed(page, /Queue/);
  await page.getByTestId("proposal-state").getByText("Queued").waitFor({ timeout: 30_000 });
  await page
    .getByTestId("proposal-next")
    .getByText(/^Executable in (1 min \d\d s|\d+ s)$/)
    .waitFor();
  await advanceTime(61); // past the 60 s timelock delay
  await page.getByRole("button", { name: "Execute" }).click();
  await confirmed(page, /Execute/);
  await page.getByTestId("proposal-state").getByText("Executed").waitFor({ timeout: 30_000 });

  // A raise is announced on chain and takes effect after the notice period (120 s locally).
  await page.getByRole("link", { name: "← All proposals" }).click();
  await page
    .getByTestId("protocol")
    .getByText(/^2\.5% → 3% from /)
    .waitFor();
  await advanceTime(121);
  await page.reload();
  await page.getByTestId("protocol").getByText("3%", { exact: true }).waitFor();
});

test("an artist goes live from Studio; a fan watches, chats both ways and tips; the artist ends", async () => {
  const started = Date.now();
  const { page: artist, address: artistAddress } = await openAs(2); // kora
  await artist.goto(`${site.url}/studio`);
  await connect(artist);
  await artist.getByLabel("Session title").fill("E2E live set");
  await artist.getByRole("button", { name: "Go live", exact: true }).click();
  const onAir = artist.getByTestId("on-air");
  await Promise.race([
    onAir.waitFor({ timeout: 60_000 }),
    artist
      .locator(".tx-error")
      .first()
      .waitFor({ timeout: 60_000 })
      .then(async () => assert.fail(`going live failed: ${await artist.locator(".tx-error").first().textContent()}`)),
  ]);
  // The artist sees their own camera.
  await artist.waitForFunction(() => {
    const preview = document.querySelector("video[aria-label='Your camera (preview)']") as HTMLVideoElement | null;
    return !!preview && preview.videoWidth > 0;
  });
  const fanPage = await onAir.getByRole("link", { name: "fan page" }).getAttribute("href");
  assert.match(fanPage ?? "", /^\/live\/\d+$/);

  const fan = (await openAs(4)).page; // fan 1
  await fan.goto(`${site.url}${fanPage}`);
  await fan.getByRole("heading", { level: 1, name: "E2E live set" }).waitFor();
  await connect(fan);
  await fan.getByRole("button", { name: /Watch live/ }).click();
  await fan.getByTestId("watching").waitFor();
  // Real frames from the artist's fake camera: the video has a size and its clock advances.
  await fan.waitForFunction(() => {
    const video = document.querySelector("[data-testid=live-video]") as HTMLVideoElement | null;
    return !!video && video.videoWidth > 0 && video.currentTime > 0;
  });
  const t0 = await fan.getByTestId("live-video").evaluate((video: HTMLVideoElement) => video.currentTime);
  await fan.waitForFunction(
    (from) => (document.querySelector("[data-testid=live-video]") as HTMLVideoElement).currentTime > from + 1,
    t0,
  );
  await artist.getByTestId("viewers").getByText("1 fan watching").waitFor();

  // Chat both ways over the data channel; markup in a message stays text.
  await artist.getByLabel("Chat message", { exact: true }).fill("Welcome to the show!");
  await artist.getByRole("button", { name: "Send", exact: true }).click();
  await fan.getByTestId("chat").getByText("Welcome to the show!").waitFor();
  await fan.getByLabel("Chat message", { exact: true }).fill(XSS);
  await fan.getByRole("button", { name: "Send", exact: true }).click();
  await artist.getByTestId("chat").getByText(XSS).waitFor();
  await fan.getByTestId("chat").getByText(XSS).waitFor();

  // A tip with a message: live on the artist's studio (chain events) and the fan's page (data channel).
  await fan.getByLabel("Amount (CORE)").fill("2");
  await fan.getByLabel("Message (public, optional)").fill("Play it again, please!");
  await fan.getByRole("button", { name: "Send tip" }).click();
  await confirmed(fan, /Tip/);
  await fan.getByTestId("tips").getByText("Play it again, please!").waitFor();
  await artist.getByTestId("tips").getByText("Play it again, please!").waitFor();
  await artist.getByText("Live tips · 2 CORE").waitFor();
  for (const page of [artist, fan]) assert.equal(await page.locator(".chat img, .tips img").count(), 0);
  await shot(fan, "live-watch");
  await onAir.screenshot({ path: path.join(SHOTS, "studio-live.png") });
  await shot(artist, "studio-live-page");

  // The artist ends: the session closes on chain with its peak audience, and the fan is told.
  await artist.getByRole("button", { name: /End session/ }).click();
  await confirmed(artist, /End session/);
  await artist.getByText("Session ended · peak 1 viewers, recorded on chain.").waitFor();
  await fan.getByText(/The artist ended the live video/).waitFor();
  await fan.locator(".badge", { hasText: "Ended" }).waitFor({ timeout: 15_000 });
  assert.deepEqual(dialogs, [], "no script from a chat or tip message may run");

  // The artist pulls the tips: Studio's earnings drop to zero, the wallet gains them less the fee.
  const balance = async () => BigInt(await rpc<string>("eth_getBalance", [artistAddress, "latest"]));
  const before = await balance();
  await artist.getByRole("button", { name: "Withdraw CORE tips" }).click();
  await confirmed(artist, /Withdraw CORE tips/);
  await artist.getByTestId("tips-withdrawable-CORE").getByText("0 CORE").waitFor();
  assert.ok((await balance()) > before, "the withdrawal pays the artist's wallet");
  console.log(`live flow: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

test("a session gated to an exclusive track turns away a fan without a licence and admits a licensee", async () => {
  const artist = (await openAs(7)).page; // e2e_artist, whose exclusive "Test Tone" fan 3 licensed above
  await artist.goto(`${site.url}/studio`);
  await connect(artist);
  await artist.getByLabel("Session title").fill("Members only");
  const option = artist.getByRole("option", { name: /Test Tone/ });
  await option.waitFor({ state: "attached" });
  await artist.getByLabel("Who can watch").selectOption((await option.getAttribute("value"))!);
  await artist.getByRole("button", { name: "Go live", exact: true }).click();
  const onAir = artist.getByTestId("on-air");
  await onAir.waitFor({ timeout: 60_000 });
  const fanPage = (await onAir.getByRole("link", { name: "fan page" }).getAttribute("href"))!;

  const { outsider, member } = await outsiderRefusedMemberAdmitted(site.url, fanPage);
  await shot(outsider, "live-gated");
  await artist.getByRole("button", { name: /End session/ }).click();
  await confirmed(artist, /End session/);
  await member.getByText(/The artist ended the live video/).waitFor();
});

// ------------------------------------------------------------------------------------ tipping v2

test("a fan sets a budget once and sends five tips in a live session with exactly one wallet confirmation", async () => {
  const { page } = await openAs(9);
  await page.goto(site.url);
  await page.getByRole("link", { name: "Friday night live from Dakar" }).click();
  await connect(page);
  const before = await confirmations(page);
  await page.getByText("Tip without pop-ups for this set").click();
  await page.getByLabel("Budget (CORE)").fill("5");
  await page.getByRole("button", { name: "Start tipping without pop-ups" }).click();
  await confirmed(page, /Start tip session/);
  await page.getByTestId("session-left").getByText("5 CORE").waitFor();
  assert.equal((await confirmations(page)) - before, 1, "opening the tab is the one confirmation");

  for (let i = 1; i <= 5; i++) {
    await page.getByLabel("Amount (CORE)").fill("0.5");
    await page.getByLabel("Message (public, optional)").fill(`Tab tip ${i}`);
    await page.getByRole("button", { name: "Send tip (no pop-up)" }).click();
    await page.getByText("Tip (no pop-up): confirmed").waitFor();
    await page.getByTestId("tips").getByText(`Tab tip ${i}`, { exact: true }).waitFor();
  }
  assert.equal((await confirmations(page)) - before, 1, "five tips, no further confirmation");
  await page.getByTestId("session-left").getByText("2.5 CORE").waitFor();
  await shot(page, "live-tab");

  // Ending the session refunds the rest to the fan's wallet, still without a prompt (the key closes it).
  const address = (await rpc<string[]>("eth_accounts"))[9]!;
  const balance = async () => BigInt(await rpc<string>("eth_getBalance", [address, "latest"]));
  const held = await balance();
  await page.getByRole("button", { name: "End session and refund the rest" }).click();
  await confirmed(page, /End session/);
  assert.ok((await balance()) - held >= 2_500_000_000_000_000_000n, "the unspent 2.5 CORE came back");
  assert.equal((await confirmations(page)) - before, 1);
});

test("a stablecoin tip from the artist page, with the minimum shown before sending", async () => {
  const { page, address } = await openAs(10);
  await mintUsdc(address, 50_000_000n);
  const kora = (await rpc<string[]>("eth_accounts"))[2]!;
  await page.goto(`${site.url}/artist/${kora}`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await connect(page);
  await page.getByRole("radio", { name: "USDC" }).check();
  await page.getByTestId("tip-minimum").getByText("Minimum tip: 0.01 USDC").waitFor();
  await page.getByLabel("Amount (USDC)").fill("0.001");
  assert.equal(await page.getByRole("button", { name: "Send tip" }).isDisabled(), true, "below the minimum");
  await page.getByLabel("Amount (USDC)").fill("2.5");
  await page.getByLabel("Message (public, optional)").fill("Dollars for the kora");
  const before = await confirmations(page);
  await page.getByRole("button", { name: "Send tip" }).click();
  await confirmed(page, /Tip/);
  // No permit on Core's bridged USDC: an exact approval, then the tip.
  assert.equal((await confirmations(page)) - before, 2);
  const tip = page.getByTestId("tips").locator("li", { hasText: "Dollars for the kora" });
  await tip.getByText("2.5 USDC").waitFor({ timeout: 30_000 });
  await shot(page, "artist-usdc-tip");
});

test("tip from the artist page with an amount chip: listed as sent, then as indexed, the fan by handle and among the top supporters", async () => {
  const { page } = await openAs(4); // first_fan
  const nova = (await rpc<string[]>("eth_accounts"))[1]!;
  await page.goto(`${site.url}/artist/${nova}`);
  await page.getByRole("heading", { level: 1, name: "Nova" }).waitFor();
  await connect(page);
  // The demo tips name their fans by handle, and the supporters are ranked.
  await page.getByTestId("top-supporters").locator("li").first().waitFor();
  await page
    .getByTestId("tip-minimum")
    .getByText(/^Minimum tip: [\d.]+ CORE$/)
    .waitFor();
  await page.getByRole("group", { name: "Quick amounts" }).getByRole("button", { name: "5 CORE" }).click();
  assert.equal(await page.getByLabel("Amount (CORE)").inputValue(), "5");
  const message = `Five for Nova ${Date.now()}`;
  await page.getByLabel("Message (public, optional)").fill(message);
  await page.getByRole("button", { name: "Send tip" }).click();
  const tip = page.getByTestId("tips").locator("li", { hasText: message });
  // Sent: from the receipt, before the indexer has it (the check runs right after confirmation).
  await tip.getByTestId("tip-sent-here").waitFor({ timeout: 60_000 });
  await tip.getByText("5 CORE").waitFor();
  await tip.getByText("from @first_fan").waitFor();
  // Indexed: the indexer's copy (same id) replaces it, and the ranking counts it.
  await tip.getByTestId("tip-sent-here").waitFor({ state: "detached", timeout: 30_000 });
  assert.equal(await page.getByTestId("tips").locator("li", { hasText: message }).count(), 1, "listed once");
  const first = page.getByTestId("top-supporters").locator("li").first();
  await first.getByText("@first_fan").waitFor();
  await first.getByText(/CORE/).waitFor();
  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await shot(page, `artist-tipped-${viewport.width}`);
  }
});

test("an artist splits tips with a bandmate; each withdraws their own share", async () => {
  const { page: artist, address: artistAddress } = await openAs(3); // mbalax
  const { page: bandmate, address: bandmateAddress } = await openAs(11);
  await artist.goto(`${site.url}/studio`);
  await connect(artist);
  await artist.getByLabel(/Recipients: one per line/).fill(`${artistAddress} 60\n${bandmateAddress} 40`);
  await artist.getByRole("button", { name: "Save split" }).click();
  await confirmed(artist, /Set tip split/);
  await artist.getByTestId("current-split").getByText("40%").waitFor();
  // Withdraw what mbalax had before, so the split tip is all that is left.
  const withdraw = artist.getByRole("button", { name: "Withdraw CORE tips" });
  if (await withdraw.isEnabled()) {
    await withdraw.click();
    await confirmed(artist, /Withdraw CORE tips/);
  }

  const fan = (await openAs(12)).page;
  await fan.goto(`${site.url}/artist/${artistAddress}`);
  await connect(fan);
  await fan.getByLabel("Amount (CORE)").fill("10");
  await fan.getByLabel("Message (public, optional)").fill("For the whole band");
  await fan.getByRole("button", { name: "Send tip" }).click();
  await confirmed(fan, /Tip/);

  // 6 and 4 CORE, less the 2.5% fee (or 3% if the DAO test's raise is in force).
  for (const [page, share] of [
    [artist, 6],
    [bandmate, 4],
  ] as const) {
    if (page === bandmate) {
      await page.goto(`${site.url}/studio`);
      await connect(page);
    } else await page.reload();
    const shown = page.getByTestId("tips-withdrawable-CORE");
    await shown.getByText(new RegExp(`^${share - 1}\\.\\d+ CORE$`)).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Withdraw CORE tips" }).click();
    await confirmed(page, /Withdraw CORE tips/);
    await shown.getByText("0 CORE").waitFor();
  }
  await shot(bandmate, "studio-split-share");
});

// ---------------------------------------------------------------------------------- licensing v2

test("Studio: an artist adds a licence priced in USDC with a per-buyer limit, and a 30-day one; their own page sells them nothing", async () => {
  const { page } = await openAs(7); // e2e_artist, who registered Test Tone above
  await page.goto(`${site.url}/studio`);
  await connect(page);
  const manage = page.getByTestId(`manage-${TEST_TONE}`);
  await manage.getByRole("button", { name: "Add a licence offer" }).click();
  await manage.getByRole("radio", { name: "USDC" }).check();
  await manage.getByLabel("Licence price (USDC)").fill("4.99");
  await manage.getByLabel("Per-buyer limit (optional, 0 = none)").fill("1");
  await manage.getByRole("button", { name: "Add offer", exact: true }).click();
  await confirmed(page, /Add offer/);
  const usdcOffer = manage.locator(".offer", { hasText: "4.99 USDC" });
  await usdcOffer.getByText("at most 1 per buyer").waitFor();

  await manage.getByRole("button", { name: "Add a licence offer" }).click();
  await manage.getByLabel("Licence price (CORE)").fill("0.1");
  await manage.getByLabel("Licence length (days, 0 = perpetual)").fill("30");
  await manage.getByRole("button", { name: "Add offer", exact: true }).click();
  await confirmed(page, /Add offer/);
  await manage
    .locator(".offer", { hasText: "0.1 CORE" })
    .getByText(/^30 days/)
    .waitFor();
  await shot(page, "studio-offers");

  // The artist is not offered their own licence.
  await page.goto(`${site.url}/track/${TEST_TONE}`);
  await page
    .getByTestId("ownership")
    .getByText(/^Your track/)
    .waitFor();
  await page.locator(".offer", { hasText: "4.99 USDC" }).waitFor();
  assert.equal(await purchaseButtons(page).count(), 0, "no buy button for the artist");
});

test("a fan buys the USDC licence: approve 4.99 USDC, then buy (2 confirmations); then owns it and is sold nothing more", async () => {
  const { page, address } = await openAs(13);
  await mintUsdc(address, 20_000_000n);
  await page.goto(`${site.url}/track/${TEST_TONE}`);
  await connect(page);
  const offer = page.locator(".offer", { hasText: "4.99 USDC" });
  const steps = offer.getByTestId("buy-steps");
  await steps.getByText("Approve 4.99 USDC").waitFor();
  await steps.getByText("Buy", { exact: true }).waitFor();
  const before = await confirmations(page);
  await offer.getByRole("button", { name: "Buy licence" }).click();
  await confirmed(page, /Buy licence/);
  assert.equal((await confirmations(page)) - before, 2, "an exact approval, then the purchase");
  assert.equal(await usdcOf(address), 20_000_000n - 4_990_000n, "exactly the price was paid");
  await page.getByTestId("ownership").getByText("You own this · perpetual licence").waitFor();
  assert.equal(await purchaseButtons(page).count(), 0, "a perpetual holder is not sold a second licence");
  await shot(page, "track-usdc-owned");

  // Still so after a reload (read from the chain, not remembered by the page).
  await page.reload();
  await page.getByTestId("ownership").getByText("You own this · perpetual licence").waitFor();
  await page.locator(".offer", { hasText: "4.99 USDC" }).waitFor();
  assert.equal(await purchaseButtons(page).count(), 0);
});

test("a timed licence shows “expires in 30 days”; renewing extends it to 60", async () => {
  const { page } = await openAs(14);
  await page.goto(`${site.url}/track/${TEST_TONE}`);
  await connect(page);
  const timed = page.locator(".offer", { hasText: "30 days" });
  const before = await confirmations(page);
  await timed.getByRole("button", { name: "Buy licence" }).click();
  await confirmed(page, /Buy licence/);
  const ownership = page.getByTestId("ownership");
  await ownership.getByText("You own this · expires in 30 days").waitFor();
  assert.equal((await confirmations(page)) - before, 1, "a CORE licence is one confirmation");
  // Renewal, not a second licence: the same offer now renews, and the perpetual ones are still for sale.
  await page.locator(".offer", { hasText: "4.99 USDC" }).getByRole("button", { name: "Buy licence" }).waitFor();
  await timed.getByRole("button", { name: "Renew · +30 days" }).click();
  await confirmed(page, /Renew licence/);
  await ownership.getByText("You own this · expires in 60 days").waitFor();
  await shot(page, "track-timed-renewed");
  await page.reload();
  await page.getByTestId("ownership").getByText("You own this · expires in 60 days").waitFor();
});

test("demo holders: first_fan's perpetual Night Drive offers no purchase; fan 2's renewed Aurora month reads 60 days", async () => {
  const { page } = await openAs(4); // first_fan bought Night Drive's perpetual licence (demo data)
  await page.goto(`${site.url}/track/QZDA62400001`);
  await connect(page);
  await page.getByTestId("ownership").getByText("You own this · perpetual licence").waitFor();
  await page
    .locator(".offer", { hasText: "4.99 USDC" })
    .getByText(/30 days/)
    .waitFor(); // the month in USDC
  assert.equal(await purchaseButtons(page).count(), 0, "nothing more to buy for a perpetual holder");

  const fan2 = (await openAs(5)).page; // a month of Aurora, bought twice: renewed to two months
  await fan2.goto(`${site.url}/track/QZDA62400002`);
  await connect(fan2);
  await fan2.getByTestId("ownership").getByText("You own this · expires in 60 days").waitFor();
  await fan2.locator(".offer", { hasText: "30 days" }).getByRole("button", { name: "Renew · +30 days" }).waitFor();
});

test("frozen tracks: a flagged one reads “Sales paused: under dispute”, a revoked one “Removed by the DAO”; neither sells", async () => {
  const flagged = "QZDA62400004"; // Dakar Nights (demo data)
  const revoked = "QZDA62400003"; // Sahel Sunrise (demo data)
  const trackId = (isrc: string) => BigInt(`0x${Buffer.from(isrc).toString("hex")}`);
  const { page } = await openAs(15);
  // Before: on sale.
  await page.goto(`${site.url}/track/${flagged}`);
  await connect(page);
  await page.getByRole("button", { name: "Buy licence" }).waitFor();

  await asTimelock(
    encodeFunctionData({
      abi: contentRegistryAbi,
      functionName: "flagTrack",
      args: [trackId(flagged), "Sample not cleared"],
    }),
  );
  await asTimelock(
    encodeFunctionData({
      abi: contentRegistryAbi,
      functionName: "revokeTrack",
      args: [trackId(revoked), "Stolen recording"],
    }),
  );
  await page.reload();
  await page
    .getByTestId("track-status")
    .getByText(/^Sales paused: under dispute/)
    .waitFor();
  await page.locator(".offer").first().waitFor(); // the terms are still shown…
  assert.equal(await purchaseButtons(page).count(), 0, "…but a flagged track sells nothing");
  await shot(page, "track-flagged");

  await page.goto(`${site.url}/track/${revoked}`);
  await page
    .getByTestId("track-status")
    .getByText(/^Removed by the DAO/)
    .waitFor();
  await page.locator(".offer").first().waitFor();
  assert.equal(await purchaseButtons(page).count(), 0, "a revoked track sells nothing");
});

test("a reassign proposal reads in plain language when it is written, on its page and in the DAO's list", async () => {
  const { page } = await openAs(4); // first_fan: 100 hVOTE delegated to themselves (demo data)
  const nova = (await rpc<string[]>("eth_accounts"))[1]!;
  await page.goto(`${site.url}/dao`);
  await connect(page);
  await page.getByLabel("Kind").selectOption("reassign");
  await page.getByLabel("Track (ISRC)").fill(ISRC);
  await page.getByLabel(/^Rightful artist/).fill("@nova");
  await page.getByLabel("Reason (recorded on chain)").fill("The recording is Nova's");
  await page.getByLabel("Description (its text on chain)").fill("E2E: give Test Tone to Nova");
  const sentence = `Reassign ${ISRC} from @e2e_artist to @nova: The recording is Nova's`;
  await page.getByTestId("proposal-preview").getByText(sentence).waitFor();
  await page.getByRole("button", { name: "Submit proposal" }).click();
  await page.getByRole("heading", { level: 1, name: "E2E: give Test Tone to Nova" }).waitFor({ timeout: 60_000 });
  const actions = page.getByTestId("proposal-actions");
  await actions.getByText(sentence).waitFor();
  // The sentence comes from the calldata: the call names Nova's address and the track.
  const call = (await actions.locator("code").textContent()) ?? "";
  assert.match(call, /^ContentRegistry\.reassignTrack\(/);
  assert.ok(call.toLowerCase().includes(nova.toLowerCase()), `the call gives the track to nova: ${call}`);
  await shot(page, "proposal-reassign");

  await page.getByRole("link", { name: "← All proposals" }).click();
  const row = page.locator(".proposal-row", { hasText: "E2E: give Test Tone to Nova" });
  await row.getByText(sentence).waitFor();
});

test("the artist withdraws USDC licence revenue on its own, then hands Test Tone over; the receiver accepts it in Studio", async () => {
  const { page: artist, address: artistAddress } = await openAs(7); // e2e_artist: sold a 4.99 USDC licence above
  const creditOf = async (account: string) =>
    BigInt(
      await rpc<string>("eth_call", [
        {
          to: stack.deployment!.contracts.ContentRegistry.address,
          data: encodeFunctionData({
            abi: contentRegistryAbi,
            functionName: "creditOf",
            args: [account as `0x${string}`, stablecoin().address],
          }),
        },
        "latest",
      ]),
    );
  const credit = await creditOf(artistAddress);
  assert.ok(credit > 0n && credit < 4_990_000n, "the sale less the platform fee is credited in USDC");
  await artist.goto(`${site.url}/studio`);
  await connect(artist);
  const shown = artist.getByTestId("licences-withdrawable-USDC");
  await shown.getByText(/^4\.\d+ USDC$/).waitFor();
  const held = await usdcOf(artistAddress);
  await artist.getByRole("button", { name: "Withdraw USDC licence revenue" }).click();
  await confirmed(artist, /Withdraw USDC licence revenue/);
  await shown.getByText("0 USDC", { exact: true }).waitFor();
  assert.equal((await usdcOf(artistAddress)) - held, credit, "exactly the USDC credit was paid out");
  assert.notEqual(await artist.getByTestId("licences-withdrawable-CORE").textContent(), "0 CORE", "CORE stays");

  const { page: receiver, address: receiverAddress } = await openAs(16);
  const manage = artist.getByTestId(`manage-${TEST_TONE}`);
  await manage.getByLabel("Hand over to (0x… or @name)").fill(receiverAddress);
  await manage.getByRole("button", { name: "Offer track" }).click();
  await confirmed(artist, /Offer track/);
  await manage.getByTestId("handover-pending").waitFor();

  await receiver.goto(`${site.url}/studio`);
  await connect(receiver);
  await receiver.getByTestId("offered-tracks").getByText(`${ISRC} is offered to you`).waitFor();
  await receiver.getByRole("button", { name: "Review" }).click();
  await receiver.getByRole("button", { name: "Accept track" }).click();
  await confirmed(receiver, /Accept track/);
  await receiver.getByTestId(`manage-${TEST_TONE}`).waitFor();
  await shot(receiver, "studio-accepted");
  // The track page agrees: the receiver is its artist now.
  await receiver.goto(`${site.url}/track/${TEST_TONE}`);
  await receiver
    .getByTestId("ownership")
    .getByText(/^Your track/)
    .waitFor();
  const by = await receiver.getByRole("link", { name: "E2E Artist" }).getAttribute("href");
  assert.equal(by?.toLowerCase(), `/artist/${receiverAddress.toLowerCase()}`, "the byline links to the new artist");
});

// ------------------------------------------------------------- honest states and robust user text

test("an unknown artist, an unknown ISRC, an unknown page and a new account's Studio: plain words, no raw error", async () => {
  const { page } = await openAs(17); // an account that never did anything
  const nobody = "0x000000000000000000000000000000000000dEaD";
  await page.goto(`${site.url}/artist/${nobody}`);
  await page.getByRole("heading", { level: 1, name: "Artist not found" }).waitFor();
  await page.getByTestId("not-found").getByText("No artist has a profile, tracks or tips at this address.").waitFor();
  await assertNoRawError(page, "an unknown artist");
  assert.equal(await page.title(), "Artist not found · HarmonieCORE");
  await shot(page, "artist-not-found");

  await page.goto(`${site.url}/track/QZZZZ9900001`); // a valid ISRC nobody registered
  await page.getByRole("heading", { level: 1, name: "Track not found" }).waitFor();
  await page.getByText("No track is registered under the ISRC QZ-ZZZ-99-00001.").waitFor();
  await assertNoRawError(page, "an unknown ISRC");

  await page.goto(`${site.url}/track/not-an-isrc`);
  await page.getByRole("heading", { level: 1, name: "Track not found" }).waitFor();
  await page.goto(`${site.url}/somewhere/else`);
  await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();
  // `/@handle`: the holder's artist page; a handle nobody holds or no handle at all is "not found".
  await page.goto(`${site.url}/@nova`);
  await page.getByRole("heading", { level: 1, name: "Nova" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/@nova", "the address stays out of the URL");
  for (const handle of ["nobody_holds_this", "Not-A-Handle"]) {
    await page.goto(`${site.url}/@${handle}`);
    await page.getByRole("heading", { level: 1, name: "Artist not found" }).waitFor();
    await page.getByText(`No one goes by “@${handle}” on HarmonieCORE.`).waitFor();
  }
  await page.goto(`${site.url}/nowhere`);
  await page.getByRole("heading", { level: 1, name: "Page not found" }).waitFor();

  // A new artist's Studio: nothing indexed yet is "no tracks", not an error.
  await page.goto(`${site.url}/studio`);
  await connect(page);
  await page.getByRole("heading", { name: "Create your artist profile" }).waitFor();
  await page.getByRole("region", { name: "Your tracks" }).getByText("No tracks yet.", { exact: true }).waitFor();
  // Publishing and going live wait for the profile fans will find them by.
  await page.getByTestId("publish-after-profile").waitFor();
  assert.equal(await page.locator("form.upload-wizard").count(), 0, "no upload wizard before a profile");
  assert.equal(await page.getByRole("form", { name: "Go live" }).count(), 0, "no Go live before a profile");
  await assertNoRawError(page, "a new account's Studio");
});

test("an existing artist whose profile read fails gets an error state in Studio, not “Create your artist profile”", async () => {
  const { page, context } = await openAs(2); // kora_sounds has a profile
  // The chain answers everything but the profile read (ArtistProfiles.profileOf).
  const profileOf = toFunctionSelector("profileOf(address)").slice(2);
  await context.route(stack.rpcUrl, (route) =>
    route.request().postData()?.includes(profileOf) ? route.abort("connectionfailed") : route.fallback(),
  );
  await page.goto(`${site.url}/studio`);
  await connect(page);
  await page
    .getByTestId("load-error")
    .getByText(/^Your profile can't be shown right now/)
    .waitFor();
  assert.equal(await page.getByRole("heading", { name: "Create your artist profile" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Create profile" }).count(), 0);
  await assertNoRawError(page, "Studio with a failed profile read");
  await context.unroute(stack.rpcUrl);
  await page.getByRole("button", { name: "Try again" }).first().click();
  await page.getByRole("heading", { name: "Your profile" }).waitFor();
  await page.getByRole("button", { name: "Save profile" }).waitFor();
});

test("long unbroken text and a name with U+202E: pages keep to the viewport, the name is isolated and flagged, a look-alike handle is flagged", async () => {
  const deployment = stack.deployment!;
  const storage = createHttpServiceBackend({ url: stack.ipfsUrl! });
  const wallet = await sdkWallet(18);
  const me = wallet.account.address;
  const bio = "ha".repeat(1000); // 2,000 characters, no space
  const name = "Collector \u202Egnp.exe"; // shows as "Collector exe.png" unless isolated and cleaned
  const longTitle = "W".repeat(200); // the longest title a track or a session may have
  const profile = await addProfilePackage(storage, { profile: { displayName: name, bio } });
  // (Tolerant of a second run against a held stack, E2E_RUNNING: the profile and track stay.)
  const again = (error: unknown) => {
    if (!(error instanceof ContractError) || !/AlreadyRegistered|DuplicateIsrc/.test(error.errorName)) throw error;
  };
  await registerProfile(wallet, {
    deployment,
    handle: "n0va",
    profileCid: profile.cid.toString(),
    isArtist: true,
  }).catch(again);
  const cover = readFileSync(path.join(DAPP, "public/icons/icon-512.png"));
  const pkg = await addTrackPackage(storage, {
    metadata: {
      title: longTitle,
      artist: name,
      isrc: "QZLNG2500001",
      durationSeconds: 1.5,
      genre: "G".repeat(64),
      licence: { summary: "L".repeat(1000) },
    },
    audio: { content: wav(), mimeType: "audio/wav" },
    cover: { content: cover, mimeType: "image/png" },
  });
  await registerTrack(wallet, {
    deployment,
    isrc: "QZLNG2500001",
    metadataCid: pkg.cid.toString(),
    royaltyBps: 500,
    splits: [{ recipient: me, bps: 10_000 }],
    offers: [{ price: 10n ** 17n }],
  }).catch(again);
  const { streamId } = await openSession(wallet, { deployment, title: longTitle, playbackId: "" });
  const { proposalId } = await propose(await sdkWallet(4), {
    deployment,
    targets: [deployment.contracts.HarmonieTipping.address],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: harmonieTippingAbi, functionName: "setFee", args: [250] })],
    // (Dated: a proposal's id hashes its text, and a held stack may see this test twice.)
    description: `${"P".repeat(2000)}\n\n${"D".repeat(2000)}\n\n${new Date().toISOString()}`,
  });

  const { page } = await openAs(18);
  await page.goto(`${site.url}/artist/${me}`);
  await connect(page);
  const heading = page.getByRole("heading", { level: 1 });
  await heading.getByText("Collector gnp.exe").waitFor({ timeout: 30_000 });
  // The name sits in a bidi-isolated element, without the override, and the page says why it looks odd.
  const isolated = await heading.evaluate((h1) => {
    const element = [...h1.querySelectorAll("*")].find((e) => e.textContent?.includes("gnp.exe"));
    return { isolated: !!element?.closest("bdi, [dir=auto]"), text: h1.textContent ?? "" };
  });
  assert.ok(isolated.isolated, "the display name renders inside <bdi> or dir=auto");
  assert.ok(!isolated.text.includes("\u202E"), "the override character is not rendered");
  await page
    .getByTestId("text-notice")
    .getByText(/reverse or reorder text/)
    .waitFor();
  await page.getByTestId("lookalike").getByText("@nova").waitFor(); // n0va looks like nova
  await page
    .getByTestId("tips")
    .waitFor({ state: "detached" })
    .catch(() => {}); // (no tips yet)

  const pages: [string, string, (p: Page) => Promise<unknown>][] = [
    ["Discover", "/", (p) => p.getByRole("link", { name: longTitle }).first().waitFor()],
    ["artist (2,000-character bio)", `/artist/${me}`, (p) => p.getByText(bio.slice(0, 40)).waitFor()],
    ["track", "/track/QZLNG2500001", (p) => p.getByRole("heading", { level: 1, name: longTitle }).waitFor()],
    ["live", `/live/${streamId}`, (p) => p.getByRole("heading", { level: 1, name: longTitle }).waitFor()],
    ["DAO list", "/dao", (p) => p.getByRole("link", { name: /^PPPP/ }).first().waitFor()],
    ["proposal", `/dao/${proposalId}`, (p) => p.getByRole("heading", { level: 1, name: /^PPPP/ }).waitFor()],
    ["Studio", "/studio", (p) => p.getByRole("heading", { name: "Your profile" }).waitFor()],
  ];
  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    for (const [label, route, ready] of pages) {
      await page.goto(`${site.url}${route}`);
      await ready(page);
      const [scrollWidth, innerWidth] = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        window.innerWidth,
      ]);
      assert.ok(
        scrollWidth <= innerWidth,
        `${label} at ${viewport.width}×${viewport.height}: the page is ${scrollWidth} px wide`,
      );
      // Clamped text is cut after a few lines, wrapped inside them: never cut off sideways.
      const clipped = await page.evaluate(() =>
        [...document.querySelectorAll(".clamp, .long-text p")]
          .filter((element) => element.scrollWidth > element.clientWidth + 1)
          .map((element) => (element.textContent ?? "").slice(0, 20)),
      );
      assert.deepEqual(clipped, [], `${label} at ${viewport.width}: text cut off at the side`);
      await shot(page, `long-text-${label.split(" ")[0]!.toLowerCase()}-${viewport.width}`);
    }
  }
});

test("every page has its own title and link-preview tags", async () => {
  const { page } = await openAs(5);
  const nova = (await rpc<string[]>("eth_accounts"))[1]!;
  await page.goto(site.url);
  await page.getByText("Night Drive").first().waitFor();
  const live = await page.getByRole("link", { name: "Friday night live from Dakar" }).getAttribute("href");
  await connect(page);
  const expected: [string, RegExp][] = [
    ["/", /^Discover · HarmonieCORE$/],
    [`/artist/${nova}`, /^Nova \(@nova\) · HarmonieCORE$/],
    ["/track/QZDA62400001", /^Night Drive by Nova · HarmonieCORE$/],
    [live!, /^Friday night live from Dakar · Live · HarmonieCORE$/],
    ["/studio", /^Studio · HarmonieCORE$/],
    ["/dao", /^DAO · HarmonieCORE$/],
    ["/saved", /^Offline · HarmonieCORE$/],
    ["/collection", /^Your collection · HarmonieCORE$/],
    ["/nowhere", /^Page not found · HarmonieCORE$/],
  ];
  const titles = new Set<string>();
  for (const [route, title] of expected) {
    await page.goto(`${site.url}${route}`);
    await page.waitForFunction((source) => new RegExp(source).test(document.title), title.source);
    const preview = await page.evaluate(() => ({
      title: document.title,
      og: document.querySelector<HTMLMetaElement>("meta[property='og:title']")?.content,
      description: document.querySelector<HTMLMetaElement>("meta[property='og:description']")?.content,
    }));
    assert.equal(`${preview.og} · HarmonieCORE`, preview.title, `${route}: og:title names the page`);
    assert.ok(preview.description, `${route}: a preview description`);
    titles.add(preview.title);
  }
  assert.equal(titles.size, expected.length, "no two pages share a title");
});

test("with the indexer stopped: a health banner, no tip figure on the live page, and a tip still shows as sent", async () => {
  // An indexer of this test's own (the stack's keeps serving the other tests), stopped halfway.
  const indexer = await startRunner({
    subgraph: path.join(stackDir, "build"),
    rpc: stack.rpcUrl,
    name: "harmonie",
    port: 0,
    dataDir: path.join(work, "index-stopped"),
    pollMs: 250,
    ipfs: stack.ipfsUrl,
    log: () => {},
  });
  let running = true;
  const second = await serveDist(DIST, { ...stack.dappConfig, indexerUrl: indexer.url });
  try {
    await indexer.waitForBlock(Number(BigInt(await rpc<string>("eth_blockNumber"))), 120_000);
    const { page } = await openAs(19);
    await page.goto(second.url);
    await page.getByRole("link", { name: "Friday night live from Dakar" }).click();
    await connect(page);
    // Up: the session's tips and their total ("2.5 USDC · 4.7 CORE tipped").
    await page
      .getByTestId("tip-total")
      .filter({ hasText: /^[\d.,]+ [A-Z]+\b.* tipped$/ })
      .waitFor();
    await page.getByText("Best live of the year").waitFor();
    assert.equal(await page.getByTestId("health-banner").count(), 0, "no banner while everything answers");

    await indexer.stop();
    running = false;
    await page.reload();
    await page.getByTestId("health-banner").getByTestId("health-indexer").waitFor({ timeout: 30_000 });
    await page.getByTestId("tip-total-unknown").waitFor();
    await page.getByTestId("broadcast-unknown").waitFor();
    const main = await page.locator("main").innerText();
    assert.doesNotMatch(main, /(^|[^\d.])0 CORE|tipped/, "no tip figure, and never 0");
    assert.doesNotMatch(main, /Be the first|The artist is broadcasting/);
    await assertNoRawError(page, "the live page with the indexer down");
    await shot(page, "live-indexer-down");

    // A tip while the index is down: once confirmed its message leaves the box and it is listed as sent.
    await page.getByLabel("Amount (CORE)").fill("0.5");
    await page.getByLabel("Message (public, optional)").fill("Sent while the index is down");
    await page.getByRole("button", { name: "Send tip" }).click();
    await confirmed(page, /Tip/);
    const sent = page.getByTestId("tips").locator("li", { hasText: "Sent while the index is down" });
    await sent.getByTestId("tip-sent-here").waitFor({ timeout: 5_000 });
    assert.equal(await page.getByLabel("Message (public, optional)").inputValue(), "", "the message box is cleared");
    assert.doesNotMatch(await page.locator("main").innerText(), /(^|[^\d.])0 CORE|tipped/);
  } finally {
    await second.stop();
    if (running) await indexer.stop();
  }
});

// Last in the file: it moves the chain a month on, which would age every other test's licences.
test("Collection lists a timed licence and its saved copy; a month later by the chain's clock the copy is locked", async () => {
  const AURORA = "QZDA62400002"; // exclusive, with a 30-day offer (demo data)
  const { page } = await openAs(12);
  await page.goto(`${site.url}/track/${AURORA}`);
  await connect(page);
  // (A second run on a held stack renews the expired month instead: the same 30 days from now.)
  await page
    .locator(".offer", { hasText: "30 days" })
    .getByRole("button", { name: /^(Buy licence|Renew)/ })
    .click();
  await confirmed(page, /(Buy|Renew) licence/);
  await page.getByTestId("ownership").getByText("You own this · expires in 30 days").waitFor();
  await page.getByRole("button", { name: "Unlock and play" }).click();
  await page.getByTestId("now-playing").waitFor();
  await page.getByRole("button", { name: "Save for offline" }).click();
  await page.getByRole("button", { name: "Saved for offline ✓" }).waitFor();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Collection" }).click();
  const owned = page.getByTestId(`owned-${AURORA}`);
  await owned.getByTestId("standing").getByText("Expires in 30 days").waitFor();
  await owned.getByTestId("saved-state").getByText("Saved on this device").waitFor();
  await shot(page, "collection");
  await page.goto(`${site.url}/saved`);
  await page.getByRole("button", { name: "Play Aurora (exclusive)" }).waitFor();

  await advanceTime(31 * 86_400);
  await page.reload();
  const saved = page.getByTestId(`saved-${AURORA}`);
  await saved
    .getByTestId("saved-locked")
    .getByText(/Your licence ended on .*, so the saved copy was removed\./)
    .waitFor();
  assert.equal(await saved.getByRole("button", { name: /^Play/ }).count(), 0, "a locked copy has no Play button");
  const audioLeft = await page.evaluate(
    async (isrc) => !!(await (await caches.open("harmonie-saved-tracks")).match(`/saved-tracks/${isrc}/audio`)),
    AURORA,
  );
  assert.equal(audioLeft, false, "the decrypted audio is deleted from the device");
  await shot(page, "offline-locked");
  await saved.getByRole("link", { name: "Renew the licence" }).click();
  await page
    .getByTestId("ownership")
    .getByText(/Your licence expired on/)
    .waitFor();

  await page.goto(`${site.url}/collection`);
  await owned
    .getByTestId("standing")
    .getByText(/^Expired on/)
    .waitFor();
  await owned.getByRole("link", { name: "Renew" }).waitFor();
  await owned
    .getByTestId("saved-state")
    .getByText("Locked: the saved copy was removed when the licence ended")
    .waitFor();
  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await shot(page, `collection-expired-${viewport.width}`);
  }
});

// Flows kept in files of their own (`e2e/<topic>.flows.ts`) run after this file's, in name order: they
// build on its state and share its stack through harness.ts.
for (const file of readdirSync(import.meta.dirname)
  .filter((name) => name.endsWith(".flows.ts"))
  .sort())
  await import(`./${file}`);
