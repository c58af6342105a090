// scripts/manifest.ts: the spec/API version option. Builds the subgraph (graph build, offline) with
// the default pair (Core's documented specVersion 1.0.0 / apiVersion 0.0.7) and with the newest pair
// (1.3.0 / 0.0.9), checks what each build declares and imports, and that the local runner loads both.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { loadManifest } from "../runner/src/manifest.ts";

const SUBGRAPH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(SUBGRAPH_DIR, "runner", "package.json"));
const { parse: parseYaml } = require("yaml") as typeof import("yaml");
const GRAPH = join(dirname(require.resolve("@graphprotocol/graph-cli/package.json")), "bin", "run.js");
const env = { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true" };

/** Host functions graph-node only links for a newer mapping apiVersion (chain/ethereum/src/runtime/runtime_adapter.rs). */
const HOST_FUNCTION_MIN_API: Record<string, string> = {
  "ethereum.getBalance": "0.0.9",
  "ethereum.hasCode": "0.0.9",
};

const work = mkdtempSync(join(tmpdir(), "harmonie-manifest-versions-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs the generator into a temporary manifest next to the template (its paths are relative). */
function generate(name: string, args: string[]): { file: string; text: string; remove: () => void } {
  const out = `subgraph.versions-${name}-${process.pid}.yaml`;
  const file = join(SUBGRAPH_DIR, out);
  execFileSync(process.execPath, ["scripts/manifest.ts", "--placeholder", "--out", out, ...args], {
    cwd: SUBGRAPH_DIR,
    stdio: "pipe",
  });
  return { file, text: readFileSync(file, "utf8"), remove: () => rmSync(file, { force: true }) };
}

function refuses(args: string[]): string {
  try {
    generate("refused", args).remove();
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
  assert.fail(`manifest.ts accepted ${args.join(" ")}`);
}

const apiVersions = (m: any): string[] =>
  [...(m.dataSources ?? []), ...(m.templates ?? [])].map((d: any) => String(d.mapping.apiVersion));

describe("manifest versions", () => {
  for (const set of [
    { name: "core-documented", args: [], spec: "1.0.0", api: "0.0.7" },
    { name: "newest", args: ["--spec-version", "1.3.0", "--api-version", "0.0.9"], spec: "1.3.0", api: "0.0.9" },
  ]) {
    test(
      `${set.name}: specVersion ${set.spec}, apiVersion ${set.api}, built by graph build`,
      { timeout: 600_000 },
      () => {
        const generated = generate(set.name, ["--network", "core", ...set.args]);
        try {
          const manifest = parseYaml(generated.text);
          assert.equal(String(manifest.specVersion), set.spec);
          assert.deepEqual([...new Set(apiVersions(manifest))], [set.api]);
          assert.deepEqual([...new Set(manifest.dataSources.map((d: any) => d.network))], ["core"]);
          // The mappings import ../generated (codegen output does not depend on the versions).
          if (!existsSync(join(SUBGRAPH_DIR, "generated", "schema.ts"))) {
            execFileSync(process.execPath, [GRAPH, "codegen", generated.file], {
              cwd: SUBGRAPH_DIR,
              env,
              stdio: "pipe",
            });
          }
          const buildDir = join(work, set.name, "build");
          execFileSync(process.execPath, [GRAPH, "build", generated.file, "--output-dir", buildDir], {
            cwd: SUBGRAPH_DIR,
            env,
            stdio: "pipe",
          });
          const built = parseYaml(readFileSync(join(buildDir, "subgraph.yaml"), "utf8"));
          assert.equal(String(built.specVersion), set.spec);
          assert.deepEqual([...new Set(apiVersions(built))], [set.api]);
          // No mapping imports a host function graph-node refuses at this apiVersion.
          for (const ds of built.dataSources) {
            const wasm = readFileSync(join(buildDir, ds.mapping.file));
            for (const imp of WebAssembly.Module.imports(new WebAssembly.Module(wasm))) {
              const min = HOST_FUNCTION_MIN_API[imp.name];
              if (min) assert.ok(set.api >= min, `${ds.name} imports ${imp.name}, which needs apiVersion ${min}`);
            }
          }
          // The local runner indexes either build.
          const loaded = loadManifest(buildDir);
          assert.equal(loaded.dataSources.length, built.dataSources.length);
          assert.deepEqual([...new Set(loaded.dataSources.map((d) => d.apiVersion))], [set.api]);
          assert.ok(readdirSync(buildDir).includes("schema.graphql"));
        } finally {
          generated.remove();
        }
      },
    );
  }

  test("testnet2 uses Core's network name `core`; mainnet too; localhost stays localhost", () => {
    for (const [network, expected] of [
      ["core-testnet2", "core"],
      ["core", "core"],
      ["localhost", "localhost"],
    ]) {
      const generated = generate(`net-${network}`, ["--network", network]);
      try {
        const manifest = parseYaml(generated.text);
        assert.deepEqual([...new Set(manifest.dataSources.map((d: any) => d.network))], [expected]);
        assert.equal(String(manifest.specVersion), "1.0.0");
      } finally {
        generated.remove();
      }
    }
  });

  test("unknown versions are refused", () => {
    assert.match(refuses(["--spec-version", "0.0.3"]), /Unknown --spec-version 0\.0\.3/);
    assert.match(refuses(["--spec-version", "1.9.0"]), /Unknown --spec-version 1\.9\.0/);
    assert.match(refuses(["--api-version", "0.0.4"]), /Unknown --api-version 0\.0\.4/);
  });
});
