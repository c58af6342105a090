// A throwaway PostgreSQL server for tests: Debian's `postgresql` binaries (installed by
// scripts/install-system-deps.sh), an unprivileged cluster in a temporary directory,
// listening on 127.0.0.1 on a free port. Run as root (CI), the cluster belongs to the
// `postgres` user that the Debian package creates, since PostgreSQL refuses to run as root.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** The directory holding initdb and pg_ctl: $PATH, else Debian's /usr/lib/postgresql/<version>/bin (newest). */
export function postgresBin(): string {
  for (const dir of (process.env.PATH ?? "").split(":"))
    if (dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      "PostgreSQL's initdb/pg_ctl were not found (PATH, /usr/lib/postgresql/*/bin): install Debian's postgresql package (sudo scripts/install-system-deps.sh)",
    );
  return join(root, versions[0], "bin");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface PostgresServer {
  port: number;
  /** postgres://… of a new, empty database. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "graph-runner-pg-"));
  const data = join(dir, "data");
  const asRoot = userInfo().uid === 0;
  // As root: run the server as `postgres` (created by the Debian package), owning the directory.
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, cmd), args, { stdio: "pipe" });
  if (asRoot) {
    const pw = execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim();
    const gid = execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim();
    chownSync(dir, Number(pw), Number(gid));
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  const log = join(dir, "server.log");
  try {
    run("initdb", ["-D", data, "-U", "runner", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
    run("pg_ctl", [
      "-D",
      data,
      "-l",
      log,
      "-w",
      "-t",
      "60",
      "-o",
      `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      "start",
    ]);
  } catch (e) {
    const detail = existsSync(log) ? readFileSync(log, "utf8") : String((e as { stderr?: Buffer }).stderr ?? "");
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL from ${bin}: ${(e as Error).message}\n${detail}`);
  }
  const base = `postgres://runner@127.0.0.1:${port}`;
  let n = 0;
  const { default: pg } = await import("pg");
  return {
    port,
    async createDatabase() {
      const name = `test_${++n}`;
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
