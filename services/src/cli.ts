#!/usr/bin/env node
/**
 * `harmonie serve <ipfs|keys|signal|livepeer-gate|sfu> [flags]`: runs one HarmonieCORE service, prints
 * the URL it listens on and stops cleanly on SIGINT/SIGTERM. `harmonie serve <name> --help` lists the
 * flags; services/README.md documents them with the environment variables.
 *
 * Secrets come from the environment only and are never printed: HARMONIE_SESSION_SECRET (session
 * tokens), LIVEPEER_WEBHOOK_SECRET, LIVEPEER_API_KEY (the Studio key: with it and
 * LIVEPEER_WEBHOOK_ID, artists go live on Livepeer through the gate), HARMONIE_TURN_PASSWORD. An RPC URL may hold a provider's API
 * key: pass it as HARMONIE_RPC_URL, and log lines show its origin only.
 */
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { type Chain, createPublicClient, http } from "viem";
import type { HarmonieClient } from "../../sdk/src/actions/internal.ts";
import { harmonieChains } from "../../sdk/src/chains.ts";
import type { Deployment } from "../../sdk/src/deployments.ts";
import { localPort, localUrl, type LocalService } from "../../sdk/src/stack-config.ts";
import { iceServers } from "../../sdk/src/streaming/ice.ts";
import { redactUrls } from "./http/kernel.ts";
import { createFsBackend } from "./ipfs/fs-blockstore.ts";
import { startIpfsService } from "./ipfs/gateway.ts";
import { startKeyService } from "./keys/key-service.ts";
import { startLivepeerAccessControl } from "./livepeer/access-control.ts";
import { createLivepeerStudio } from "./livepeer/studio.ts";
import { createSessionIssuer } from "./sign-in/sessions.ts";
import { startSfuService } from "./sfu/sfu-service.ts";
import { startSignallingService } from "./signalling/signalling-service.ts";

/** A wrong flag or value: the message (with the usage) is for the operator, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface Running {
  url: string;
  /** One line for the operator (no secret in it). */
  banner: string;
  close(): Promise<void>;
}

type Env = Record<string, string | undefined>;

const repositoryDeployment = path.resolve(import.meta.dirname, "../../deployments/31337.json");

const bind = (env: Env, service: LocalService) =>
  ({
    port: { type: "string", default: String(localPort(service, env)) },
    host: { type: "string", default: "127.0.0.1" },
  }) as const;

const chainFlags = (env: Env) =>
  ({
    rpc: { type: "string", default: env.HARMONIE_RPC_URL ?? localUrl("rpc", env) },
    deployment: { type: "string", default: env.HARMONIE_DEPLOYMENT ?? repositoryDeployment },
    domain: { type: "string" },
  }) as const;

const SERVICES = {
  ipfs: {
    summary: "IPFS gateway (trustless: raw blocks, CARs, files) and uploads on a filesystem blockstore",
    options: (env: Env) => ({
      ...bind(env, "ipfs"),
      data: { type: "string", default: env.HARMONIE_IPFS_DATA ?? "./.harmonie/ipfs" },
      "max-upload-mb": { type: "string", default: "100" },
      "rate-limit": { type: "string", default: "30" },
      "cors-origin": { type: "string", multiple: true },
    }),
  },
  keys: {
    summary: "key service for exclusive tracks (releases a track's key to a signed-in licence holder)",
    options: (env: Env) => ({
      ...bind(env, "keys"),
      ...chainFlags(env),
      "keys-file": { type: "string", default: env.HARMONIE_KEYS_FILE },
      "cors-origin": { type: "string", multiple: true },
    }),
  },
  signal: {
    summary: "signalling for WebRTC rooms (sign-in, on-chain admission, SDP/ICE relay)",
    options: (env: Env) => ({
      ...bind(env, "signal"),
      ...chainFlags(env),
      uri: { type: "string" },
      "max-fans": { type: "string", default: "8" },
      "max-audience": { type: "string", default: "500" },
      "trust-proxy": { type: "boolean", default: false },
      stun: { type: "string", multiple: true },
      turn: { type: "string", multiple: true },
      "turn-user": { type: "string", default: env.HARMONIE_TURN_USER },
    }),
  },
  "livepeer-gate": {
    summary: "Livepeer playback access control (the playback.accessControl webhook)",
    options: (env: Env) => ({
      ...bind(env, "livepeerGate"),
      ...chainFlags(env),
      "cors-origin": { type: "string", multiple: true },
      "studio-api-url": { type: "string", default: env.LIVEPEER_API_URL },
      "max-streams-per-artist": { type: "string", default: "3" },
    }),
  },
  sfu: {
    summary: "selective forwarding unit for big live sessions (WHIP in, WHEP out, on-chain admission)",
    options: (env: Env) => ({
      ...bind(env, "sfu"),
      ...chainFlags(env),
      "max-viewers": { type: "string", default: "500" },
      "announce-address": { type: "string", multiple: true },
      stun: { type: "string", multiple: true },
      "cors-origin": { type: "string", multiple: true },
    }),
  },
} satisfies Record<string, { summary: string; options: (env: Env) => NonNullable<ParseArgsConfig["options"]> }>;

export type ServiceName = keyof typeof SERVICES;

export function usage(name?: ServiceName): string {
  if (name === undefined) {
    const lines = Object.entries(SERVICES).map(([n, s]) => `  ${n.padEnd(14)} ${s.summary}`);
    return `usage: harmonie serve <service> [flags]   (harmonie serve <service> --help for its flags)\n${lines.join("\n")}`;
  }
  const flags = Object.entries(SERVICES[name].options({})).map(([flag, spec]) => {
    const value = spec.type === "boolean" ? "" : ` <${flag === "cors-origin" ? "origin" : "value"}>`;
    const repeat = "multiple" in spec && spec.multiple ? " (repeatable)" : "";
    const fallback = "default" in spec && spec.default !== undefined ? ` [${String(spec.default)}]` : "";
    return `  --${flag}${value}${repeat}${fallback}`;
  });
  return `usage: harmonie serve ${name} [flags]\n${SERVICES[name].summary}\n${flags.join("\n")}`;
}

function integer(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0)
    throw new UsageError(`--${flag} must be a non-negative integer (got "${value}").`);
  return n;
}

function readDeployment(file: string): Deployment {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Deployment;
  } catch (error) {
    // A configuration problem, not a usage one: exit code 1.
    throw new Error(
      `Cannot read the deployment file ${file} (${(error as Error).message}). ` +
        "Deploy first (`npm run deploy -- --network localhost` at the repository root) or pass --deployment <file>.",
    );
  }
}

function sessionsFrom(env: Env) {
  const secret = env.HARMONIE_SESSION_SECRET;
  if (secret === undefined || secret === "") return createSessionIssuer();
  if (!/^(0x)?[0-9a-fA-F]{64,}$/.test(secret))
    throw new UsageError("HARMONIE_SESSION_SECRET must be at least 32 bytes of hex (e.g. `openssl rand -hex 32`).");
  return createSessionIssuer({ secret: Buffer.from(secret.replace(/^0x/, ""), "hex") });
}

const readClient = (deployment: Deployment, rpcUrl: string) =>
  createPublicClient({
    chain: harmonieChains[deployment.chainId] as Chain | undefined,
    transport: http(rpcUrl),
  }) as HarmonieClient;

/**
 * Starts the named service from command-line flags and environment variables.
 *
 * @example
 * const ipfs = await serve(["ipfs", "--port", "0", "--data", "/tmp/ipfs"]);
 * console.log(ipfs.url);
 * await ipfs.close();
 */
export async function serve(argv: string[], env: Env = process.env): Promise<Running> {
  const [name, ...rest] = argv;
  if (name === undefined || !(name in SERVICES)) throw new UsageError(usage());
  const service = name as ServiceName;
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    const options: ParseArgsConfig["options"] = { ...SERVICES[service].options(env), help: { type: "boolean" } };
    values = parseArgs({ args: rest, options }).values as typeof values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage(service)}`);
  }
  if (values.help) throw new UsageError(usage(service));
  const port = integer(values.port as string, "port");
  const host = values.host as string;
  const corsOrigins = (values["cors-origin"] as string[] | undefined) ?? "*";

  if (service === "ipfs") {
    const data = values.data as string;
    const backend = await createFsBackend(data);
    const ipfs = await startIpfsService({
      backend,
      host,
      port,
      maxUploadBytes: integer(values["max-upload-mb"] as string, "max-upload-mb") * 1024 * 1024,
      rateLimit: { max: integer(values["rate-limit"] as string, "rate-limit"), windowMs: 60_000 },
      corsOrigins,
    }).catch(async (error: unknown) => {
      await backend.close();
      throw error;
    });
    return {
      url: ipfs.url,
      banner: `HarmonieCORE IPFS service listening on ${ipfs.url} (data: ${data})`,
      close: async () => {
        await ipfs.close();
        await backend.close();
      },
    };
  }

  const deployment = readDeployment(values.deployment as string);
  const rpcUrl = values.rpc as string;
  const domain = values.domain as string | undefined;
  const sessions = sessionsFrom(env);

  if (service === "keys") {
    const keys = await startKeyService({
      client: readClient(deployment, rpcUrl),
      deployment,
      domain: domain ?? `${host}:${port}`,
      host,
      port,
      keysFile: values["keys-file"] as string | undefined,
      sessions,
      corsOrigins,
    });
    return {
      url: keys.url,
      banner: `HarmonieCORE key service listening on ${keys.url} (health: ${keys.url}/health)`,
      close: keys.close,
    };
  }

  if (service === "livepeer-gate") {
    const gate = await startLivepeerAccessControl({
      rpcUrl,
      deployment,
      host,
      port,
      domain,
      sessions,
      webhookSecret: env.LIVEPEER_WEBHOOK_SECRET || undefined,
      corsOrigins,
      // With the Studio key, artists' streams are created here: the key never reaches a browser.
      studio: env.LIVEPEER_API_KEY
        ? createLivepeerStudio({
            apiKey: env.LIVEPEER_API_KEY,
            serverURL: (values["studio-api-url"] as string | undefined) || undefined,
            accessControlWebhookId: env.LIVEPEER_WEBHOOK_ID || undefined,
          })
        : undefined,
      maxStreamsPerArtist: integer(values["max-streams-per-artist"] as string, "max-streams-per-artist"),
    });
    const signed = env.LIVEPEER_WEBHOOK_SECRET
      ? "signed calls only"
      : "UNSIGNED calls accepted: set LIVEPEER_WEBHOOK_SECRET";
    const relay = env.LIVEPEER_API_KEY ? "artists go live on Livepeer through it" : "no LIVEPEER_API_KEY: no relay";
    return {
      url: gate.url,
      banner: `HarmonieCORE Livepeer gate listening on ${gate.url} (webhook: ${gate.webhookUrl}, ${signed}; ${relay})`,
      close: gate.close,
    };
  }

  if (service === "sfu") {
    const announced = (values["announce-address"] as string[] | undefined) ?? [];
    const sfu = await startSfuService({
      client: readClient(deployment, rpcUrl),
      deployment,
      host,
      port,
      domain,
      sessions,
      maxViewersPerSession: integer(values["max-viewers"] as string, "max-viewers"),
      corsOrigins,
      rtc: {
        announcedAddresses: announced,
        iceServers: iceServers({ stun: values.stun as string[] | undefined }),
      },
    });
    return {
      url: sfu.url,
      banner: `HarmonieCORE SFU listening on ${sfu.url} (WHIP: ${sfu.url}/whip/<streamId>, WHEP: ${sfu.url}/whep/<streamId>)`,
      close: sfu.close,
    };
  }

  const turnUser = (values["turn-user"] as string | undefined) ?? "";
  const signalling = await startSignallingService({
    rpcUrl,
    deployment,
    port,
    host,
    domain,
    uri: values.uri as string | undefined,
    trustProxy: values["trust-proxy"] as boolean,
    maxFansPerRoom: integer(values["max-fans"] as string, "max-fans"),
    maxAudiencePerRoom: integer(values["max-audience"] as string, "max-audience"),
    sessions,
    iceServers: iceServers({
      stun: values.stun as string[] | undefined,
      turn: ((values.turn as string[] | undefined) ?? []).map((urls) => ({
        urls,
        username: turnUser,
        credential: env.HARMONIE_TURN_PASSWORD ?? "",
      })),
    }),
    onError: ({ code, message, address, detail, suppressed }) =>
      console.warn(
        `[signal] ${code} ${address ?? "-"}: ${message}${detail ? ` (${redactUrls(detail)})` : ""}` +
          (suppressed ? ` [${suppressed} lines suppressed]` : ""),
      ),
  });
  return {
    url: signalling.url,
    banner: `signalling on ${signalling.url} (health: ${signalling.url.replace("ws", "http")}/health)`,
    close: signalling.close,
  };
}

/** The bin: `harmonie serve <service> [flags]`. */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== "serve") {
    console.error(usage());
    process.exitCode = 2;
    return;
  }
  let running: Running;
  try {
    running = await serve(rest);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = rest.includes("--help") ? 0 : 2;
    } else if (code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL") {
      console.error(`Cannot listen: ${(error as Error).message}. Pick another --port.`);
      process.exitCode = 1;
    } else {
      console.error(redactUrls(String((error as Error)?.message ?? error)));
      process.exitCode = 1;
    }
    return;
  }
  console.log(running.banner);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      running.close().finally(() => process.exit(0));
    });
  }
}

// Run as the bin (npm links it from node_modules/.bin) or as `node src/cli.ts`.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
