/**
 * `npm run bench -w dapp`: Lighthouse (performance, accessibility, best practices; mobile and
 * desktop presets) against the production build served with the seeded local stack, the initial JS
 * size (gzip) from dist/index.html, and PWA installability (manifest + a service worker that takes
 * control), in Debian's Chromium, and the player's first sound on a 4-minute track (first-sound.ts).
 * Goals: perf ≥ 90, a11y ≥ 95, initial JS ≤ 300 kB gzip, first sound ≤ 1 s (a miss exits non-zero).
 * Lighthouse runs on Discover, an artist page and a track page (the demo data's @nova and Night Drive,
 * opened as deep links). LIGHTHOUSE_RUNS (default 3) sets how many runs per page and preset the median
 * is taken from; BENCH_ONLY=first-sound runs the player's figure alone, BENCH_ONLY=lighthouse skips it.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startDevStack } from "../../scripts/dev-stack.ts";
import { serveDist } from "../e2e/serve.ts";
import { benchFirstSound } from "./first-sound.ts";

const DAPP = path.resolve(import.meta.dirname, "..");
const DIST = path.join(DAPP, "dist");
const REPORTS = path.join(DAPP, "test-results");
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const CHROMIUM = "/usr/bin/chromium";
/** Discover, and the deep links people share: an artist (by handle) and a track (demo data). */
const PAGES = [
  ["Discover", "/"],
  ["artist", "/@nova"],
  ["track", "/track/QZDA62400001"],
] as const;
const FLAGS =
  "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync";

/** The JS a first visit must download before the app runs: the entry script and its modulepreloads. */
function initialJs() {
  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => m[1] ?? m[2]!);
  const sizes = files.map((file) => {
    const bytes = readFileSync(path.join(DIST, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files: sizes, gzip: sizes.reduce((sum, f) => sum + f.gzip, 0) };
}

function lighthouse(url: string, preset: "mobile" | "desktop", out: string): Promise<Record<string, number>> {
  const bin = path.join(DAPP, "../node_modules/lighthouse/cli/index.js");
  const args = [
    bin,
    url,
    `--chrome-path=${CHROMIUM}`,
    `--chrome-flags=${FLAGS}`,
    "--only-categories=performance,accessibility,best-practices",
    "--output=json",
    `--output-path=${out}`,
    "--quiet",
  ];
  if (preset === "desktop") args.push("--preset=desktop");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk) => (errors += chunk));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`lighthouse failed:\n${errors}`));
      const report = JSON.parse(readFileSync(out, "utf8"));
      const score = (id: string) => Math.round(report.categories[id].score * 100);
      resolve({
        performance: score("performance"),
        accessibility: score("accessibility"),
        "best-practices": score("best-practices"),
        "LCP ms": Math.round(report.audits["largest-contentful-paint"].numericValue),
        "TBT ms": Math.round(report.audits["total-blocking-time"].numericValue),
        CLS: Math.round(report.audits["cumulative-layout-shift"].numericValue * 1000) / 1000,
      });
    });
  });
}

/** Installable: a manifest with name, start_url, standalone display and 192/512 PNG icons, and a service worker that controls the page. */
async function installability(url: string, work: string) {
  const manifest = JSON.parse(readFileSync(path.join(DIST, "manifest.webmanifest"), "utf8"));
  const sizes = new Set(
    (manifest.icons as { sizes: string; type: string }[]).filter((i) => i.type === "image/png").map((i) => i.sizes),
  );
  const checks: Record<string, boolean> = {
    "manifest name": !!manifest.name && !!manifest.short_name,
    "start_url + standalone": !!manifest.start_url && manifest.display === "standalone",
    "icons 192 + 512 PNG": sizes.has("192x192") && sizes.has("512x512"),
    "maskable icon": manifest.icons.some((i: { purpose?: string }) => i.purpose === "maskable"),
  };
  const context = await chromium.launchPersistentContext(mkdtempSync(path.join(work, "sw-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS.split(" ").filter((f) => f !== "--headless=new"),
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    checks["manifest linked"] = (await page.locator('link[rel="manifest"]').count()) === 1;
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    checks["service worker controls the page"] = await page.evaluate(() => !!navigator.serviceWorker.controller);
    await context.setOffline(true);
    await page.reload();
    checks["offline start"] = await page
      .getByRole("link", { name: "HarmonieCORE home" })
      .isVisible({ timeout: 10_000 });
  } finally {
    await context.close();
  }
  return checks;
}

const work = mkdtempSync(path.join(tmpdir(), "harmonie-bench-"));
mkdirSync(REPORTS, { recursive: true });
const stack = await startDevStack({
  dataDir: path.join(work, "stack"),
  deploymentsDir: path.join(work, "deployments"),
});
const site = await serveDist(DIST, stack.dappConfig);
try {
  if (process.env.BENCH_ONLY !== "lighthouse" && !(await benchFirstSound(site.url, work))) process.exitCode = 1;
  if (process.env.BENCH_ONLY !== "first-sound") {
    const js = initialJs();
    if (js.gzip > 300 * 1024) process.exitCode = 1;
    console.log(
      `Initial JS: ${(js.gzip / 1024).toFixed(1)} kB gzip (goal ≤ 300) — ${js.files.map((f) => `${f.file} ${(f.gzip / 1024).toFixed(1)} kB`).join(", ")}`,
    );
    // Lighthouse varies from run to run on a shared machine: the median of RUNS runs (by performance)
    // is reported, with the range. Reports stay in test-results/ for a closer look.
    for (const preset of ["mobile", "desktop"] as const)
      for (const [name, page] of PAGES) {
        const runs: Record<string, number>[] = [];
        for (let run = 0; run < RUNS; run++) {
          const report = path.join(REPORTS, `lighthouse-${preset}-${name}-${run + 1}.json`);
          runs.push(await lighthouse(site.url + page, preset, report));
        }
        runs.sort((a, b) => a.performance! - b.performance!);
        const median = runs[Math.floor(RUNS / 2)]!;
        const met = median.performance! >= 90 && median.accessibility! >= 95;
        if (!met) process.exitCode = 1;
        console.log(
          `Lighthouse ${preset} ${page} (median of ${RUNS}, performance ${runs[0]!.performance}–${runs.at(-1)!.performance}): ${Object.entries(
            median,
          )
            .map(([k, v]) => `${k} ${v}`)
            .join(" · ")}${met ? "" : " — GOAL MISSED (performance ≥ 90, accessibility ≥ 95)"}`,
        );
      }
    const installable = await installability(site.url, work);
    if (Object.values(installable).includes(false)) process.exitCode = 1;
    console.log(
      `Installable PWA: ${Object.entries(installable)
        .map(([k, ok]) => `${ok ? "✓" : "✗"} ${k}`)
        .join(" · ")}`,
    );
  }
} finally {
  await site.stop();
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}
