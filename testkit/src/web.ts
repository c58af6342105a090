/** The browser side of the tests: the page bundle (esbuild), a tiny static server, Chromium. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Bundles pages/streaming-app.ts and serves it with an HTML shell on 127.0.0.1. */
export async function startPageServer() {
  const result = await build({
    entryPoints: [path.join(here, "pages/streaming-app.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    write: false,
    logLevel: "silent",
  });
  const script = result.outputFiles[0]!.contents;
  const html = `<!doctype html><meta charset="utf-8"><title>HarmonieCORE streaming test</title><script type="module" src="/app.js"></script>`;
  const server = createServer((request, response) => {
    if (request.url === "/app.js") response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else if (request.url === "/") response.writeHead(200, { "content-type": "text/html" }).end(html);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, bytes: script.byteLength, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh page (own context) with the app loaded and `window.h` ready. */
export async function openPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error("[page]", error.message));
  await page.goto(url);
  await page.waitForFunction(() => "h" in window);
  return page;
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
