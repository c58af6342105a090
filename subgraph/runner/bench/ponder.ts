// Runs a Ponder app (https://ponder.sh) against the benchmark's chain, for an indexer-to-indexer
// comparison in the same run: same chain, same events, the same work per event, PGlite in both.
// Ponder is not a dependency of this package: the pinned version is installed once into a cache
// (.harmonie/ponder-<version>/ at the repository root, git-ignored) with npm, and reused.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The newest Ponder that installs from the registry here: 0.17.7 (the `latest` tag) needs
 * @ponder/utils 0.3.0, which the registry does not have; 1.0.0 is a mislabelled 0.10 release
 * (its changelog: "Released `0.10`"), older than 0.16.
 */
export const PONDER_VERSION = "0.16.10";
const DEPENDENCIES = { ponder: PONDER_VERSION, hono: "4.13.19", viem: "2.57.20", typescript: "5.9.3" };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export class PonderError extends Error {}

/** The cache directory with Ponder installed (installs it on first use; needs the npm registry). */
export function installPonder(cache = join(ROOT, ".harmonie", `ponder-${PONDER_VERSION}`)): string {
  const installed = join(cache, "node_modules", "ponder", "package.json");
  if (existsSync(installed) && JSON.parse(readFileSync(installed, "utf8")).version === PONDER_VERSION) return cache;
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    join(cache, "package.json"),
    JSON.stringify({ name: "ponder-bench", private: true, type: "module", dependencies: DEPENDENCIES }, null, 2),
  );
  console.log(`installing ponder ${PONDER_VERSION} into ${cache} (once)…`);
  try {
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: cache, stdio: "inherit" });
  } catch (e) {
    throw new PonderError(`npm could not install ponder ${PONDER_VERSION} into ${cache}: ${(e as Error).message}`);
  }
  return cache;
}

export interface PonderRun {
  /** Process start → HTTP server up (config and schema built, database opened). */
  startupMs: number;
  /** HTTP server up → `/ready` (historical indexing complete) with the checkpoint at `lastBlock`. */
  indexingMs: number;
  /** The app's GraphQL endpoint, while `stop` has not been called. */
  graphql: string;
  /** What Ponder printed until it was ready. */
  output: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/**
 * Starts `ponder start` for the app in `appDir` (copied next to the cache's node_modules, with
 * `files` written into it), with `env` (the app's config reads the RPC URL, addresses and start
 * block from it), and resolves once it has indexed up to `lastBlock`. PGlite in a fresh directory,
 * so nothing is reused from an earlier run (Ponder also caches RPC responses there).
 */
export async function runPonder(opts: {
  appDir: string;
  files?: Record<string, string>;
  env: Record<string, string>;
  lastBlock: number;
  timeoutMs?: number;
}): Promise<PonderRun> {
  const cache = installPonder();
  mkdirSync(join(cache, "apps"), { recursive: true });
  const app = mkdtempSync(join(cache, "apps", "run-"));
  cpSync(opts.appDir, app, { recursive: true });
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(app, name), text);
  const port = await freePort();
  const cli = join(cache, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
  const t0 = performance.now();
  const proc = spawn(
    process.execPath,
    [
      cli,
      "start",
      "--root",
      app,
      "--port",
      String(port),
      "--hostname",
      "127.0.0.1",
      "--schema",
      "bench",
      "--log-level",
      process.env.PONDER_LOG_LEVEL ?? "warn",
    ],
    {
      cwd: app,
      env: { ...process.env, ...opts.env, DATABASE_URL: "", PONDER_TELEMETRY_DISABLED: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  proc.stdout!.on("data", (d) => (output += d));
  proc.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    }
    rmSync(app, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const get = async (path: string) => {
    try {
      return await fetch(url + path);
    } catch {
      return null;
    }
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  const failIfGone = async () => {
    if (proc.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new PonderError(
        `ponder ${proc.exitCode !== null ? `exited (${proc.exitCode})` : "timed out"}:\n${output.slice(-3000)}`,
      );
    }
  };
  try {
    while ((await get("/health"))?.status !== 200) {
      await failIfGone();
      await new Promise((r) => setTimeout(r, 10));
    }
    const up = performance.now();
    for (;;) {
      const ready = (await get("/ready"))?.status === 200;
      if (ready) {
        const status = (await (await get("/status"))?.json()) as Record<string, { block: { number: number } }>;
        if (Object.values(status).every((c) => c.block.number >= opts.lastBlock)) break;
      }
      await failIfGone();
      await new Promise((r) => setTimeout(r, 10));
    }
    return { startupMs: up - t0, indexingMs: performance.now() - up, graphql: `${url}/graphql`, output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
