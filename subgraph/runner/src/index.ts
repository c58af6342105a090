// @harmonie/graph-runner: a local emulator of graph-node (The Graph) for
// development and tests. Production indexing runs on graph-node.
export { startRunner, type Runner, type RunnerOptions } from "./runner.ts";
export { loadManifest, type Manifest } from "./manifest.ts";
export { parseSchema, type Schema } from "./schema.ts";
export { HandlerError } from "./indexer.ts";
export { runMatchstickTests } from "./matchstick.ts";
export { buildIfChanged, hashInputs } from "./build-cache.ts";
