/**
 * First sound: on the seeded stack, press Play on Night Drive's page (a generated 4-minute WAV,
 * 10.6 MB) and time, in the page, from the click to the audio element's `playing` event and to the
 * first `timeupdate` with `currentTime > 0`. Each run is a fresh browser profile (nothing cached but
 * the app the service worker installed). Streamed (the service worker relays verified blocks) is
 * the figure with the goal; whole-file (service workers blocked: what the page did before) is shown
 * beside it for comparison.
 */
import { mkdtempSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../testkit/src/chromium.ts";

const NIGHT_DRIVE = "QZDA62400001";

export interface FirstSound {
  /** Click → `playing`, ms. */
  playing: number;
  /** Click → first timeupdate with currentTime > 0, ms. */
  advancing: number;
}

async function once(site: string, work: string, streamed: boolean): Promise<FirstSound> {
  const context = await chromium.launchPersistentContext(mkdtempSync(path.join(work, "first-sound-")), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    serviceWorkers: streamed ? "allow" : "block",
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(site);
    if (streamed) await page.waitForFunction(() => !!navigator.serviceWorker.controller);
    await page.goto(`${site}/track/${NIGHT_DRIVE}`);
    const play = page.locator("main").getByRole("button", { name: "Play", exact: true });
    await play.waitFor();
    await page.locator("audio[data-testid=player]").waitFor({ state: "attached" });
    const timing = page.evaluate(
      () =>
        new Promise<FirstSound>((resolve) => {
          const audio = document.querySelector<HTMLAudioElement>("audio[data-testid=player]")!;
          let pressed = 0;
          let playing = 0;
          document.addEventListener("click", () => (pressed = performance.now()), { capture: true, once: true });
          audio.addEventListener("playing", () => (playing ||= performance.now() - pressed));
          audio.addEventListener("timeupdate", function advanced() {
            if (audio.currentTime <= 0 || !pressed) return;
            audio.removeEventListener("timeupdate", advanced);
            resolve({ playing, advancing: performance.now() - pressed });
          });
        }),
    );
    await play.click();
    return await timing;
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median of `runs` streamed runs and one whole-file run, printed; false when the goal is missed. */
export async function benchFirstSound(site: string, work: string, runs = 3, goalMs = 1000): Promise<boolean> {
  const streamed: FirstSound[] = [];
  for (let run = 0; run < runs; run++) streamed.push(await once(site, work, true));
  const whole = await once(site, work, false);
  const advancing = median(streamed.map((s) => s.advancing));
  const ms = (n: number) => `${Math.round(n)} ms`;
  console.log(
    `First sound, 4-minute track (median of ${runs}): ${ms(advancing)} to currentTime > 0 (goal ≤ ${goalMs}), ` +
      `${ms(median(streamed.map((s) => s.playing)))} to "playing" — runs ${streamed.map((s) => ms(s.advancing)).join(", ")}; ` +
      `whole file first, as before: ${ms(whole.advancing)}`,
  );
  return advancing <= goalMs;
}
