/**
 * Serves the production build (dist/) on 127.0.0.1 like a static host would (gzip for text, long
 * caching for hashed assets), plus /config.json generated for the stack under test: the build
 * itself carries no addresses.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".webmanifest", ".svg"]);

export async function serveDist(dist: string, config: unknown, port = 0) {
  const gzipped = new Map<string, Buffer>();
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
    if (pathname === "/config.json") {
      response.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache" });
      response.end(JSON.stringify(config));
      return;
    }
    let file = path.join(dist, path.normalize(pathname).replace(/^(\.\.[/\\])+/, ""));
    const isFile = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    // Client-side routes get the app shell, as on any SPA host.
    if (!isFile) file = path.join(dist, "index.html");
    let body: Buffer = await readFile(file);
    // Keyed by modification time too, so a rebuilt dist/ (index.html keeps its name) is served fresh.
    const key = `${file}:${(await stat(file)).mtimeMs}`;
    const immutable = pathname.startsWith("/assets/");
    const headers: Record<string, string> = {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      vary: "accept-encoding",
    };
    if (COMPRESSIBLE.has(path.extname(file)) && /\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) {
      if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
      body = gzipped.get(key)!;
      headers["content-encoding"] = "gzip";
    }
    response.writeHead(200, headers);
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
