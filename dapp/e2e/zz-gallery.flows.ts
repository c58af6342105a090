/**
 * Every page at 1366×768 and 390×844, last of all flows (the demo data and what the other flows
 * added are on screen): a screenshot of each under test-results/page-<name>-<width>.png for people to
 * look at, and on each the checks a visitor would notice first — loaded (no spinner left), no raw
 * error, nothing wider than the screen.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { assertNoRawError, connect, openAs, shot, site } from "./harness.ts";

const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];

/** The first link on `path` whose href starts with `prefix`, e.g. a track from Discover. */
async function firstLink(page: Page, path: string, prefix: string): Promise<string | undefined> {
  await page.goto(`${site.url}${path}`);
  await page.locator("h1").first().waitFor();
  const link = page.locator(`main a[href^='${prefix}']`).first();
  await link.waitFor({ timeout: 15_000 }).catch(() => undefined);
  return (await link.count()) ? ((await link.getAttribute("href")) ?? undefined) : undefined;
}

/**
 * Scrolls to the bottom a screen at a time, as a visitor would, so the parts that wait until they are
 * near the viewport (a track's offers and tip form) render before the picture; then back to the top.
 */
async function scrollThrough(page: Page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight) {
      window.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    window.scrollTo(0, 0);
  });
}

test("every page at 1366×768 and 390×844: loaded, no raw error, never wider than the screen", async () => {
  const { page } = await openAs(5); // fan 2: holds licences, has tipped
  await page.goto(site.url);
  await connect(page);
  const track = await firstLink(page, "/", "/track/");
  const live = await firstLink(page, "/", "/live/");
  const proposal = await firstLink(page, "/dao", "/dao/");
  assert.ok(track && proposal, "the demo data lists a track and a proposal");
  const pages: [string, string][] = [
    ["discover", "/"],
    ["search", "/search?q=night"],
    ["artists", "/artists"],
    ["artist", "/@nova"],
    ["track", track],
    ...(live ? [["live", live] as [string, string]] : []),
    ["collection", "/collection"],
    ["saved", "/saved"],
    ["studio", "/studio"],
    ["dao", "/dao"],
    ["proposal", proposal],
    ["not-found", "/no/such/page"],
  ];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const [name, path] of pages) {
      await page.goto(`${site.url}${path}`);
      await page.locator("main h1").first().waitFor();
      await scrollThrough(page);
      // Nothing left loading: no spinner, no placeholder waiting for its part.
      await page.waitForFunction(() => !document.querySelector("main .spinner, main [aria-busy='true']"), undefined, {
        timeout: 30_000,
      });
      const where = `${name} at ${viewport.width} px`;
      await assertNoRawError(page, where);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= viewport.width, `${where} is ${width} px wide`);
      await shot(page, `page-${name}-${viewport.width}`);
    }
  }
});
