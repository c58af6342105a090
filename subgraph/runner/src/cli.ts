// graph-runner CLI: index a built subgraph from a JSON-RPC chain and serve
// graph-node's query API; or `graph-runner test` for matchstick-as tests.
import { parseArgs } from "node:util";
import { runMatchstickTests } from "./matchstick.ts";
import { startRunner } from "./runner.ts";

const USAGE = `graph-runner — a local emulator of graph-node for development and tests
(production indexing runs on graph-node)

Usage:
  graph-runner --subgraph <dir> --rpc <url> [--data <dir>] [--port 8000] [--name <name>] [--poll-ms 500]
               [--ipfs <url>] [--allow-non-deterministic-ipfs]
  graph-runner test [--subgraph <dir>] [-r|--recompile] [--strict] [-c|--coverage] [test-suite...]

Options:
  --subgraph <dir>  subgraph directory containing build/ (from \`graph build\`); default .
  --rpc <url>       JSON-RPC endpoint of the chain
  --data <dir>      PGlite data directory (default: in memory); DATABASE_URL uses PostgreSQL instead
  --port <n>        HTTP port on 127.0.0.1 (default 8000)
  --name <name>     served at /subgraphs/name/<name> (default: the subgraph directory name)
  --poll-ms <n>     new-block polling interval (default 500)
  --ipfs <url>      IPFS gateway for file data sources, e.g. http://127.0.0.1:8080 (the project's IPFS service)
  --allow-non-deterministic-ipfs
                    let mappings call ipfs.cat (graph-node's GRAPH_ALLOW_NON_DETERMINISTIC_IPFS; off by default)
`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "test") {
    const { values, positionals } = parseArgs({
      args: argv.slice(1),
      options: {
        subgraph: { type: "string", default: "." },
        recompile: { type: "boolean", short: "r" },
        strict: { type: "boolean" },
        // `graph test` options that choose or fetch the Matchstick binary: nothing to do here.
        version: { type: "string", short: "v" },
        force: { type: "boolean", short: "f" },
        logs: { type: "boolean", short: "l" },
        docker: { type: "boolean", short: "d" },
        coverage: { type: "boolean", short: "c" },
      },
      allowPositionals: true,
    });
    if (values.version || values.force || values.docker)
      console.error("graph-runner: -v/-f/-d select or fetch the Matchstick binary; graph-runner runs the tests itself");
    const { failed } = await runMatchstickTests({
      subgraph: values.subgraph!,
      filter: positionals,
      recompile: values.recompile,
      strict: values.strict,
      coverage: values.coverage,
      out: (l) => console.log(l),
    });
    return failed > 0 ? 1 : 0;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      subgraph: { type: "string", default: "." },
      rpc: { type: "string" },
      data: { type: "string" },
      port: { type: "string", default: "8000" },
      name: { type: "string" },
      "poll-ms": { type: "string", default: "500" },
      ipfs: { type: "string" },
      "allow-non-deterministic-ipfs": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.rpc) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  let lastLine = 0;
  const tty = process.stderr.isTTY;
  const runner = await startRunner({
    subgraph: values.subgraph!,
    rpc: values.rpc,
    dataDir: values.data,
    port: Number(values.port),
    name: values.name,
    pollMs: Number(values["poll-ms"]),
    ipfs: values.ipfs,
    allowNonDeterministicIpfs: values["allow-non-deterministic-ipfs"] || undefined,
    log: (l) => console.error((tty ? "\r\x1b[K" : "") + l),
    onProgress: (p) => {
      const now = Date.now();
      const caughtUp = p.head >= p.chainHead;
      if (!caughtUp && now - lastLine < 1000) return;
      lastLine = now;
      const secs = Math.max(p.elapsedMs / 1000, 0.001);
      const line = `block ${p.head}/${p.chainHead}  ${(p.blocks / secs).toFixed(0)} blocks/s  ${(p.events / secs).toFixed(0)} events/s  ${p.events} events`;
      if (tty) process.stderr.write("\r\x1b[K" + line);
      else console.error(line);
    },
  });
  console.error(`${tty ? "\n" : ""}serving ${runner.url} (deployment ${runner.deployment})`);
  const stop = async () => {
    await runner.stop();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`graph-runner: ${(e as Error).message}`);
    process.exit(1);
  },
);
