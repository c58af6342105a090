import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DeploymentParameters } from "@nomicfoundation/ignition-core";

type Parameters = DeploymentParameters;

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "parameters");

/**
 * Ignition parameters for a network: deploy/parameters/<name>.json, or local.json for the
 * in-process and localhost chains. Strings like "1000n" become bigints, as with Ignition's CLI.
 * A network without a file (e.g. `core`) deploys with the mainnet defaults in the modules.
 */
export function loadParameters(networkName: string): Parameters {
  const name = networkName === "default" || networkName === "localhost" ? "local" : networkName;
  const file = path.join(dir, `${name}.json`);
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8"), (_key, value) =>
    typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  );
}
