/**
 * The local stack's ports and URLs, in one place: the dev stack (`npm run dev`, `npm run chain`,
 * `npm run node`, `npm run indexer`), the `harmonie serve` CLIs, the SDK's local examples and the
 * tests read them from here. Each port can be moved with its environment variable.
 */

/** The loopback host every local service binds to. */
export const LOCAL_HOST = "127.0.0.1";

/** Default port and the environment variable that overrides it, per local service. */
export const LOCAL_PORTS = {
  rpc: { port: 8545, env: "HARMONIE_RPC_PORT" },
  indexer: { port: 8000, env: "HARMONIE_INDEXER_PORT" },
  ipfs: { port: 8080, env: "HARMONIE_IPFS_PORT" },
  keys: { port: 8790, env: "HARMONIE_KEYS_PORT" },
  signal: { port: 8791, env: "HARMONIE_SIGNAL_PORT" },
  livepeerGate: { port: 8792, env: "HARMONIE_LIVEPEER_GATE_PORT" },
  sfu: { port: 8793, env: "HARMONIE_SFU_PORT" },
  dapp: { port: 5173, env: "HARMONIE_DAPP_PORT" },
  kubo: { port: 5001, env: "HARMONIE_KUBO_PORT" },
} as const;

export type LocalService = keyof typeof LOCAL_PORTS;

/**
 * The port of a local service: its environment variable when set (checked), else the default.
 *
 * @example
 * ```ts
 * const port = localPort("rpc", process.env) // 8545 unless HARMONIE_RPC_PORT is set
 * ```
 */
export function localPort(service: LocalService, env: Record<string, string | undefined> = {}): number {
  const { port, env: name } = LOCAL_PORTS[service];
  const value = env[name];
  if (value === undefined || value === "") return port;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0 || parsed > 65535)
    throw new Error(`${name} must be a TCP port, got "${value}"`);
  return parsed;
}

/**
 * The URL of a local service (`http://127.0.0.1:<port>`, `ws://` for signalling, the subgraph's
 * GraphQL path for the indexer).
 *
 * @example
 * ```ts
 * localUrl("rpc") // "http://127.0.0.1:8545"
 * ```
 */
export function localUrl(service: LocalService, env: Record<string, string | undefined> = {}): string {
  const origin = `${service === "signal" ? "ws" : "http"}://${LOCAL_HOST}:${localPort(service, env)}`;
  return service === "indexer" ? `${origin}/subgraphs/name/harmonie` : origin;
}
