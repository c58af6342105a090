/**
 * CLI: the rooms signalling service.
 *
 *   node src/node/signal-cli.ts --rpc http://127.0.0.1:8545 --deployment deployments/31337.json \
 *     [--port 8787] [--host 127.0.0.1] [--max-fans 8] [--turn turn:host:3478 --turn-user u --turn-pass p] [--stun stun:host:3478]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { iceServers } from "../streaming/ice.ts";
import { startSignallingService } from "./signalling-service.ts";

const { values } = parseArgs({
  options: {
    rpc: { type: "string", default: process.env.HARMONIE_RPC_URL ?? "http://127.0.0.1:8545" },
    deployment: { type: "string", default: "deployments/31337.json" },
    port: { type: "string", default: process.env.HARMONIE_SIGNAL_PORT ?? "8787" },
    host: { type: "string", default: "127.0.0.1" },
    "max-fans": { type: "string", default: "8" },
    stun: { type: "string", multiple: true },
    turn: { type: "string", multiple: true },
    "turn-user": { type: "string" },
    "turn-pass": { type: "string" },
  },
});

const service = await startSignallingService({
  rpcUrl: values.rpc,
  deployment: JSON.parse(readFileSync(values.deployment!, "utf8")),
  port: Number(values.port),
  host: values.host,
  maxFansPerRoom: Number(values["max-fans"]),
  iceServers: iceServers({
    stun: values.stun,
    turn: (values.turn ?? []).map((urls) => ({
      urls,
      username: values["turn-user"] ?? "",
      credential: values["turn-pass"] ?? "",
    })),
  }),
  onError: ({ code, message, address }) => console.warn(`[signal] ${code} ${address ?? "-"}: ${message}`),
});
console.log(`signalling on ${service.url} (health: ${service.url.replace("ws", "http")}/health)`);
const stop = async () => {
  await service.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
