/**
 * Discovery in the browser, after dapp.test.ts's flows, on the demo data: the catalogue search
 * (served by the indexer's full-text field over each track's metadata.json, read from IPFS by the
 * subgraph), handles, genre chips, trending this week, the artist directory, and the states in
 * between (nothing found, the indexer failing).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { ContractError, type Genre, getGenres, registerTrack } from "../../sdk/src/index.ts";
import { createHttpServiceBackend } from "../../sdk/src/storage/http-service-backend.ts";
import { addTrackPackage } from "../../sdk/src/storage/packages.ts";
import { DAPP, openAs, sdkWallet, shot, site, stack, wav } from "./harness.ts";

const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];

async function shots(page: Page, name: string) {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await shot(page, `${name}-${viewport.width}`);
  }
  await page.setViewportSize(VIEWPORTS[0]!);
}

const tracks = (page: Page) => page.locator("section[aria-labelledby='track-results']");

test("search from Discover: a title, then a handle, a genre word, and a query nothing matches", async () => {
  const { page } = await openAs(6);
  await page.goto(site.url);
  await page.getByRole("heading", { name: "Latest tracks" }).waitFor();
  const box = page.getByRole("searchbox", { name: "Search tracks, artists and handles" });
  await box.fill("Night Drive");
  await box.press("Enter");
  await page.waitForURL(/\/search\?q=Night%20Drive$/);
  await page.getByRole("heading", { level: 1, name: "Search" }).waitFor();
  await page.waitForFunction(() => document.title === "Search: Night Drive · HarmonieCORE");
  // The metadata reaches the indexer a block or two after the stack starts: the search is retried until then.
  await retryUntil(
    page,
    () =>
      tracks(page)
        .getByRole("link", { name: /Night Drive/ })
        .first(),
    "Night Drive",
  );
  await page.locator("img[src^='blob:']").first().waitFor(); // its cover, from IPFS
  await shots(page, "search-night-drive");

  // A handle: the artist's row leads to their page.
  await page.goto(`${site.url}/search?q=${encodeURIComponent("@nova")}`);
  const accounts = page.locator("section[aria-labelledby='account-results']");
  await accounts.getByRole("link", { name: "@nova" }).waitFor();
  await accounts.getByText(/Artist · \d+ tracks? · \d+ followers?/).waitFor();
  // Tracks whose metadata names the artist "Nova" are found by the same words.
  await tracks(page)
    .getByRole("link", { name: /Night Drive/ })
    .first()
    .waitFor();
  await accounts.getByRole("link", { name: "@nova" }).click();
  await page.waitForURL(/\/@nova$/);
  await page.getByTestId("followers").waitFor();

  // A genre word finds that genre's tracks, a prefix is enough.
  await page.goto(`${site.url}/search?q=synthw`);
  await tracks(page)
    .getByRole("link", { name: /Night Drive/ })
    .first()
    .waitFor();
  await tracks(page)
    .getByRole("link", { name: /Aurora/ })
    .first()
    .waitFor();
  assert.equal(
    await tracks(page)
      .getByRole("link", { name: /Sahel Sunrise/ })
      .count(),
    0,
  );

  // Nothing found, said as such, with the search box kept for another try.
  await page.goto(`${site.url}/search?q=${encodeURIComponent("zzqx polka")}`);
  await page.getByText("No tracks match “zzqx polka”.").waitFor();
  await page.getByText("No handles match “zzqx polka”.").waitFor();
  assert.equal(await page.getByRole("searchbox").inputValue(), "zzqx polka");
  await shots(page, "search-empty");
});

test("search while the indexer fails: a plain-words error with a retry, never a raw one", async () => {
  const { page } = await openAs(6);
  const indexerUrl = stack.dappConfig!.indexerUrl;
  await page.route(`${indexerUrl}**`, (route) => route.abort());
  await page.goto(`${site.url}/search?q=night`);
  const error = page.getByTestId("load-error").filter({ hasText: "Search results can't be shown right now" });
  await error.waitFor({ timeout: 30_000 });
  assert.doesNotMatch(await error.innerText(), /127\.0\.0\.1|TypeError|fetch|subgraphs/);
  await shots(page, "search-error");
  await page.unroute(`${indexerUrl}**`);
  await error.getByRole("button", { name: "Try again" }).click();
  await tracks(page)
    .getByRole("link", { name: /Night Drive/ })
    .first()
    .waitFor();
});

test("genre chips filter Discover's tracks; trending this week; the artist directory in order", async () => {
  const { page } = await openAs(6);
  await page.goto(site.url);
  const genres = page.getByRole("group", { name: "Genres" });
  const synthwave = genres.getByRole("button", { name: /^Synthwave/ });
  await synthwave.click();
  await page.waitForURL(/\?genre=synthwave$/);
  await page.getByRole("heading", { name: "Synthwave tracks" }).waitFor();
  const section = page.locator("section[aria-labelledby='tracks-heading']");
  await section
    .getByRole("link", { name: /Night Drive/ })
    .first()
    .waitFor();
  await section
    .getByRole("link", { name: /Aurora/ })
    .first()
    .waitFor();
  assert.equal(await section.getByRole("link", { name: /Dakar Nights|Sahel Sunrise/ }).count(), 0, "other genres");
  assert.equal(await synthwave.getAttribute("aria-pressed"), "true");

  // Trending: the artists tipped over the last 7 days, each with what was tipped and their newest track.
  const trending = page.getByTestId("trending");
  await trending.getByRole("link", { name: "@mbalax" }).waitFor();
  await trending.getByRole("link", { name: "@nova" }).waitFor();
  await trending
    .getByText(/CORE tipped this week · \d+ tips?/)
    .first()
    .waitFor();
  await trending
    .getByText(/newest: /)
    .first()
    .waitFor();
  await page.locator(".thumb img").first().waitFor(); // avatars from the profile documents
  await shots(page, "discover-genre-trending");

  await genres.getByRole("button", { name: "All" }).click();
  await page.getByRole("heading", { name: "Latest tracks" }).waitFor();
  await section
    .getByRole("link", { name: /Night Drive/ })
    .first()
    .waitFor();

  // The directory, most supported first, then by followers.
  await page.getByRole("link", { name: "All artists →" }).click();
  await page.waitForURL(/\/artists$/);
  const directory = page.getByTestId("artist-directory");
  for (const handle of ["@mbalax", "@nova", "@kora_sounds"])
    await directory.getByRole("link", { name: handle }).waitFor();
  const tipped = await directory
    .locator("li")
    .evaluateAll((rows) =>
      rows.map((row) => Number(/([\d.,]+) CORE tipped/.exec(row.textContent ?? "")?.[1]?.replace(/,/g, "") ?? "NaN")),
    );
  assert.deepEqual(
    tipped,
    [...tipped].sort((a, b) => b - a),
    "most supported first",
  );
  await shots(page, "artists");
  await page.getByLabel("Order").selectOption("followers");
  await page.waitForURL(/\/artists\?order=followers$/);
  await directory.getByRole("link", { name: "@nova" }).waitFor();
  const followers = await directory
    .locator("li")
    .evaluateAll((rows) => rows.map((row) => Number(/(\d+) followers?/.exec(row.textContent ?? "")?.[1] ?? "NaN")));
  assert.deepEqual(
    followers,
    [...followers].sort((a, b) => b - a),
    "most followed first",
  );
});

test("discovery pages keep to a phone's width whatever the text: long titles, genres and handles", async () => {
  const { page } = await openAs(6);
  await page.setViewportSize(VIEWPORTS[1]!);
  // A track of its own with the longest genre and title anyone may write (dapp.test.ts's long-text flow
  // has one too; tolerant of it and of a second run).
  const wallet = await sdkWallet(17);
  const storage = createHttpServiceBackend({ url: stack.ipfsUrl! });
  const pkg = await addTrackPackage(storage, {
    metadata: {
      title: "W".repeat(200),
      artist: "V".repeat(60),
      isrc: "QZLNG2500002",
      durationSeconds: 1.5,
      genre: "H".repeat(64),
      licence: { summary: "Personal listening" },
    },
    audio: { content: wav(), mimeType: "audio/wav" },
    cover: { content: readFileSync(path.join(DAPP, "public/icons/icon-512.png")), mimeType: "image/png" },
  });
  await registerTrack(wallet, {
    deployment: stack.deployment!,
    isrc: "QZLNG2500002",
    metadataCid: pkg.cid.toString(),
    splits: [{ recipient: wallet.account.address, bps: 10_000 }],
  }).catch((error: unknown) => {
    if (!(error instanceof ContractError) || error.errorName !== "DuplicateIsrc") throw error;
  });
  let genres: Genre[] = [];
  for (let i = 0; i < 60 && !genres.some((g) => g.key === "h".repeat(64)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    ({ genres } = await getGenres((stack.dappConfig as { indexerUrl: string }).indexerUrl));
  }
  const longest = genres.reduce((a, b) => (b.key.length > a.key.length ? b : a), genres[0]!);
  for (const route of ["/", `/?genre=${encodeURIComponent(longest.key)}`, "/search?q=w", "/search?q=n", "/artists"]) {
    await page.goto(`${site.url}${route}`);
    await page.locator("main h2, main [data-testid='artist-directory']").first().waitFor();
    await page.waitForTimeout(1_500); // covers, avatars and the other sections settle
    const [scrollWidth, innerWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
    ]);
    assert.ok(scrollWidth <= innerWidth, `${route} at 390 px: the page is ${scrollWidth} px wide`);
  }
  await page.goto(`${site.url}/?genre=${encodeURIComponent(longest.key)}`);
  await page.getByRole("group", { name: "Genres" }).waitFor();
  await shot(page, "discover-long-genre-390");
});

/** Waits for `target`, reloading the page between tries (the indexer may not have the metadata yet). */
async function retryUntil(page: Page, target: () => ReturnType<Page["locator"]>, what: string) {
  for (let i = 0; i < 10; i++) {
    try {
      await target().waitFor({ timeout: 3_000 });
      return;
    } catch {
      await page.reload();
    }
  }
  throw new Error(`${what} never showed`);
}
