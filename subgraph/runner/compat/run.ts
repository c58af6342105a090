// Runs the matchstick suites of public subgraphs (compat/suites.ts) on graph-runner:
// each fixture is copied into a work folder, the project's templated sources are
// rendered, `graph codegen` runs on its manifest and `graph-runner test` on its tests.
//   node compat/run.ts [suite...] [--fresh] [--no-optimize] [--readme]
// --fresh starts from an empty work folder; --no-optimize compiles without asc's
// --optimize (4× faster; the package's tests do that); --readme rewrites the table in README.md.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { readMatchstickConfig, runMatchstickTests, type MatchstickResult } from "../src/matchstick.ts";
import { suites, type Suite } from "./suites.ts";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** Work folders live under node_modules/.cache: inside the workspace (so packages resolve), ignored by git and prettier. */
const workRoot = join(here, "..", "node_modules", ".cache", "graph-runner-compat");

/** `{{ a.b.c }}` placeholders of a Handlebars template, filled from one network of a YAML file. */
function render(dir: string, r: NonNullable<Suite["render"]>[number]): void {
  const all = parseYaml(readFileSync(join(dir, r.values), "utf8")) as Record<string, Record<string, unknown>>;
  const values = { ...all[r.network], networkName: r.network };
  const text = readFileSync(join(dir, r.template), "utf8").replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
    const v = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], values);
    if (v === undefined) throw new Error(`${r.template}: no value for ${path} in ${r.values} (${r.network})`);
    return String(v);
  });
  writeFileSync(join(dir, r.out), text);
}

/**
 * graph-cli 0.98 refuses `@entity` without an `immutable` argument (older CLIs
 * accepted it, meaning mutable): write the default out, which changes nothing.
 */
function migrateSchema(file: string): void {
  const text = readFileSync(file, "utf8");
  const migrated = text
    .replace(/@entity\b(?!\s*\()/g, "@entity(immutable: false)")
    .replace(/@entity\s*\(([^)]*)\)/g, (m, args: string) =>
      /\b(immutable|timeseries)\s*:/.test(args) ? m : `@entity(immutable: false, ${args.trim()})`,
    );
  if (migrated !== text) writeFileSync(file, migrated);
}

export interface CompatResult {
  suite: Suite;
  result: MatchstickResult;
  log: string[];
}

export async function runSuite(
  suite: Suite,
  opts: { fresh?: boolean; optimize?: boolean } = {},
): Promise<CompatResult> {
  const fixture = join(here, "fixtures", suite.name);
  const dir = join(workRoot, suite.name);
  if (opts.fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Copying keeps modification times, so unchanged tests are not recompiled (matchstick's rule).
  cpSync(fixture, dir, { recursive: true, preserveTimestamps: true });
  // The suite's own matchstick-as release, where asc resolves `matchstick-as` from its tests.
  const lib = join(here, "fixtures", "_libs", `matchstick-as@${suite.matchstickAs}`);
  if (!existsSync(lib)) throw new Error(`${lib} is missing: node compat/vendor.ts matchstick-as ${suite.matchstickAs}`);
  const marker = join(dir, "node_modules", ".matchstick-as-version");
  if (!existsSync(marker) || readFileSync(marker, "utf8") !== suite.matchstickAs) {
    // Compiled tests of another release must not be reused.
    rmSync(join(dir, "node_modules", "matchstick-as"), { recursive: true, force: true });
    for (const bin of [join(dir, "tests", ".bin"), join(readMatchstickConfig(dir).testsFolder, ".bin")])
      rmSync(bin, { recursive: true, force: true });
    cpSync(lib, join(dir, "node_modules", "matchstick-as"), { recursive: true });
    writeFileSync(marker, suite.matchstickAs);
  }
  for (const r of suite.render ?? []) render(dir, r);
  const manifest = readMatchstickConfig(dir).manifestPath;
  const raw = parseYaml(readFileSync(manifest, "utf8")) as {
    schema?: { file?: string };
    dataSources?: unknown[];
    templates?: unknown[];
  };
  if (raw.schema?.file) migrateSchema(join(dirname(manifest), raw.schema.file));
  // A manifest with no data source (a tests-only one) has nothing to generate.
  const codegen = [
    ...(suite.codegen ?? []).map((c) => ({ manifest: join(dir, c.manifest), outputDir: join(dir, c.outputDir) })),
  ];
  if (raw.dataSources?.length || raw.templates?.length) codegen.push({ manifest, outputDir: join(dir, "generated") });
  for (const c of codegen) {
    const schema = (parseYaml(readFileSync(c.manifest, "utf8")) as { schema?: { file?: string } }).schema?.file;
    if (schema && c.manifest !== manifest) migrateSchema(join(dirname(c.manifest), schema));
    const graph = join(dirname(require.resolve("@graphprotocol/graph-cli/package.json")), "bin", "run.js");
    execFileSync(process.execPath, [graph, "codegen", c.manifest, "--output-dir", c.outputDir], {
      cwd: dir,
      env: { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true" },
      stdio: "pipe",
    });
  }
  const log: string[] = [];
  const result = await runMatchstickTests({ subgraph: dir, optimize: opts.optimize, out: (l) => log.push(l) });
  return { suite, result, log };
}

export function readmeTable(results: CompatResult[]): string {
  const rows = results.map(({ suite, result }) => {
    const total = result.passed + result.failed;
    return `| [${suite.repo}](https://github.com/${suite.repo}) \`${suite.commit.slice(0, 10)}\` | ${suite.written.graphTs} / ${suite.written.matchstickAs} | ${suite.matchstickAs} | ${result.suites.length} | ${result.passed} | ${result.failed} | ${total ? ((100 * result.passed) / total).toFixed(1) : "—"}% |`;
  });
  const passed = results.reduce((n, r) => n + r.result.passed, 0);
  const total = results.reduce((n, r) => n + r.result.passed + r.result.failed, 0);
  return [
    "| suite (pinned commit) | written for graph-ts / matchstick-as | runs with matchstick-as | files | passed | failed | share |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    `| **all** | | | ${results.reduce((n, r) => n + r.result.suites.length, 0)} | **${passed}** | **${total - passed}** | **${((100 * passed) / total).toFixed(1)}%** |`,
  ].join("\n");
}

const BEGIN = "<!-- compat:begin (generated by `node compat/run.ts --readme`) -->";
const END = "<!-- compat:end -->";

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith("--"));
  const chosen = names.length ? suites.filter((s) => names.includes(s.name)) : suites;
  const results: CompatResult[] = [];
  for (const s of chosen) {
    const r = await runSuite(s, { fresh: args.includes("--fresh"), optimize: !args.includes("--no-optimize") });
    results.push(r);
    console.log(`\n=== ${s.name} (${s.repo}@${s.commit.slice(0, 10)})`);
    console.log(r.log.join("\n"));
  }
  const table = readmeTable(results);
  console.log("\n" + table);
  if (args.includes("--readme")) {
    const file = join(here, "..", "README.md");
    const text = readFileSync(file, "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    if (start < 0 || end < 0) throw new Error(`README.md has no ${BEGIN} … ${END} section`);
    writeFileSync(file, text.slice(0, start + BEGIN.length) + "\n\n" + table + "\n\n" + text.slice(end));
    // The repository's prettier check aligns markdown tables.
    execFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "node_modules", ".bin", "prettier"), [
      "--write",
      file,
    ]);
  }
}
