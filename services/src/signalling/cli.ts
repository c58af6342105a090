/**
 * CLI: the rooms signalling service.
 *
 *   node src/node/signal-cli.ts --rpc http://127.0.0.1:8545 [--deployment deployments/31337.json] \
 *     [--port 8787] [--host 127.0.0.1] [--max-fans 8] [--domain signal.example.org] \
 *     [--uri https://signal.example.org] [--trust-proxy] \
 *     [--turn turn:host:3478 --turn-user u --turn-pass p] [--stun stun:host:3478]
 *
 * `--deployment` defaults to the repository's `deployments/31337.json` (from any working directory).
 * Behind a reverse proxy, pass the public host as `--domain` (and `--uri` for its origin): clients
 * sign in for the host they connect to.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { iceServers } from "../../../sdk/src/streaming/ice.ts";
import { startSignallingService } from "./signalling-service.ts";

/** URLs in logged errors keep their origin only: RPC providers put API keys in the path or query. */
const redact = (text: string) => text.replace(/\b((?:https?|wss?):\/\/[^/\s"']+)[^\s"']*/g, "$1/…");

const repositoryDeployment = path.resolve(import.meta.dirname, "../../../deployments/31337.json");

const { values } = parseArgs({
  options: {
    rpc: { type: "string", default: process.env.HARMONIE_RPC_URL ?? "http://127.0.0.1:8545" },
    deployment: { type: "string", default: repositoryDeployment },
    port: { type: "string", default: process.env.HARMONIE_SIGNAL_PORT ?? "8787" },
    host: { type: "string", default: "127.0.0.1" },
    "max-fans": { type: "string", default: "8" },
    domain: { type: "string" },
    uri: { type: "string" },
    "trust-proxy": { type: "boolean", default: false },
    stun: { type: "string", multiple: true },
    turn: { type: "string", multiple: true },
    "turn-user": { type: "string" },
    "turn-pass": { type: "string" },
  },
});

let deployment;
try {
  deployment = JSON.parse(readFileSync(values.deployment!, "utf8"));
} catch (error) {
  console.error(
    `Cannot read the deployment file ${values.deployment} (${(error as Error).message}). ` +
      "Deploy first (`npm run deploy -- --network localhost` at the repository root) or pass --deployment <file>.",
  );
  process.exit(1);
}

const service = await startSignallingService({
  rpcUrl: values.rpc,
  deployment,
  port: Number(values.port),
  host: values.host,
  domain: values.domain,
  uri: values.uri,
  trustProxy: values["trust-proxy"],
  maxFansPerRoom: Number(values["max-fans"]),
  iceServers: iceServers({
    stun: values.stun,
    turn: (values.turn ?? []).map((urls) => ({
      urls,
      username: values["turn-user"] ?? "",
      credential: values["turn-pass"] ?? "",
    })),
  }),
  onError: ({ code, message, address, detail, suppressed }) =>
    console.warn(
      `[signal] ${code} ${address ?? "-"}: ${message}${detail ? ` (${redact(detail)})` : ""}` +
        (suppressed ? ` [${suppressed} lines suppressed]` : ""),
    ),
});
console.log(`signalling on ${service.url} (health: ${service.url.replace("ws", "http")}/health)`);
const stop = async () => {
  await service.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
