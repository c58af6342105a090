/**
 * Offline: the pages a fan opened before show what they showed, after a reload with no network at all
 * (the service worker serves the app, the saved reads its data), under the offline banner.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertNoRawError, openAs, site } from "./harness.ts";

test("offline, pages visited before show what they showed (after a reload), under the offline banner", async () => {
  const { page, context } = await openAs(5);
  await page.goto(site.url);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await page.getByRole("heading", { name: "Latest tracks" }).waitFor();
  await page.getByText("Night Drive").first().waitFor();
  await page
    .getByRole("link", { name: /Night Drive/ })
    .first()
    .click();
  await page.getByRole("heading", { level: 1, name: "Night Drive" }).waitFor();
  const trackUrl = page.url();
  // The reads are saved a moment after the last one arrives.
  await page.waitForFunction(() => (localStorage.getItem("harmonie:queries") ?? "").includes('["track",'));

  await context.setOffline(true);
  try {
    for (const [url, heading] of [
      [trackUrl, "Night Drive"],
      [site.url, "Discover"],
    ] as const) {
      await page.goto(url);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      await page
        .getByTestId("health-banner")
        .getByText(/You are offline/)
        .waitFor();
      await assertNoRawError(page, `${heading} offline`);
    }
    // Discover lists the catalogue it saw.
    await page.getByText("Night Drive").first().waitFor();
    assert.equal(await page.getByText(/can't be loaded|could not be loaded/).count(), 0);
  } finally {
    await context.setOffline(false);
  }
});
