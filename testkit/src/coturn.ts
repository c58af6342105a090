/**
 * Debian's coturn (`turnserver`) on 127.0.0.1 for tests: long-term credentials, loopback peers
 * allowed (`--allow-loopback-peers`; TURN servers refuse to relay to 127.0.0.1 otherwise), no TLS,
 * no CLI, a private relay port range. Install with `apt-get install -y coturn`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Coturn {
  /** Ready for `RTCPeerConnection({ iceServers })`. */
  iceServers: RTCIceServer[];
  port: number;
  stop(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Waits until the TCP listener accepts (coturn listens on UDP and TCP on the same port). */
async function listening(port: number, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`coturn does not listen on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts coturn and resolves once it listens.
 *
 * @example
 * const turn = await startCoturn();
 * new RTCPeerConnection({ iceServers: turn.iceServers, iceTransportPolicy: "relay" });
 * await turn.stop();
 */
export async function startCoturn(
  options: { username?: string; credential?: string; binary?: string } = {},
): Promise<Coturn> {
  const port = await freePort();
  const username = options.username ?? "harmonie";
  const credential = options.credential ?? "harmonie-test";
  const dir = mkdtempSync(path.join(tmpdir(), "coturn-"));
  const minPort = 40000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(
    options.binary ?? "turnserver",
    [
      "-n",
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${minPort + 200}`,
      "--allow-loopback-peers",
      "--lt-cred-mech",
      `--user=${username}:${credential}`,
      "--realm=harmonie.local",
      "--fingerprint",
      "--no-tls",
      "--no-dtls",
      "--no-cli",
      "--no-multicast-peers",
      `--pidfile=${path.join(dir, "turnserver.pid")}`,
      `--userdb=${path.join(dir, "turndb")}`,
      "--log-file=stdout",
      "--simple-log",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coturn did not start within 10 s:\n${log}`)), 10_000);
    const onData = (chunk: Buffer) => {
      log += chunk;
      if (/Total General servers/i.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (error) => (clearTimeout(timer), reject(error)));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`coturn exited (${code}):\n${log}`))));
  });
  child.removeAllListeners("exit");
  await listening(port);
  return {
    iceServers: [{ urls: `turn:127.0.0.1:${port}?transport=udp`, username, credential }],
    port,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
