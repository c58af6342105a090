/**
 * CLI entry of the IPFS service:
 *
 *   node src/node/ipfs-service.ts --port 8080 --data ./.harmonie/ipfs \
 *     [--host 127.0.0.1] [--max-upload-mb 100] [--rate-limit 30] [--cors-origin https://app.example]
 *
 * Prints the URL it listens on; stops cleanly on SIGINT/SIGTERM.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createFsBackend } from "./fs-blockstore.ts";
import { startIpfsService, type IpfsService } from "./gateway.ts";

const USAGE =
  "usage: node src/node/ipfs-service.ts [--port 8080] [--data ./.harmonie/ipfs] [--host 127.0.0.1] [--max-upload-mb 100] [--rate-limit 30] [--cors-origin ORIGIN]...";

/**
 * Parses CLI arguments and starts the service on a filesystem blockstore.
 *
 * @example
 * ```ts
 * const service = await main(['--port', '0', '--data', '/tmp/ipfs'])
 * ```
 */
export async function main(argv: string[]): Promise<IpfsService & { dataDir: string }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string", default: "./.harmonie/ipfs" },
      "max-upload-mb": { type: "string", default: "100" },
      "rate-limit": { type: "string", default: "30" },
      "cors-origin": { type: "string", multiple: true },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = integer(values.port, "--port");
  const maxUploadMb = integer(values["max-upload-mb"], "--max-upload-mb");
  const perMinute = integer(values["rate-limit"], "--rate-limit");
  const backend = await createFsBackend(values.data);
  const service = await startIpfsService({
    backend,
    host: values.host,
    port,
    maxUploadBytes: maxUploadMb * 1024 * 1024,
    rateLimit: { max: perMinute, windowMs: 60_000 },
    corsOrigins: values["cors-origin"] ?? "*",
  });
  return {
    ...service,
    dataDir: values.data,
    close: async () => {
      await service.close();
      await backend.close();
    },
  };
}

function integer(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${flag} must be a non-negative integer (got "${value}").\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const service = await main(process.argv.slice(2)).catch((err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  });
  console.log(`HarmonieCORE IPFS service listening on ${service.url} (data: ${service.dataDir})`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      service.close().finally(() => process.exit(0));
    });
  }
}
