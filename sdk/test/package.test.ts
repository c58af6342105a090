/**
 * The published package, as a third party gets it: `npm pack`, then the README's quickstart steps run
 * literally in an empty folder outside the repository (its shell blocks through bash, its code block
 * as the file it names). The only departures from the text, each forced by the test machine:
 * - `npm install @harmonie/sdk viem` installs the packed tarball (the SDK is not published) and the
 *   workspace's viem version;
 * - `$HARMONIE` (the README: "the path of your clone") is this repository;
 * - the chain gets a free port through HARMONIE_RPC_PORT (which the README names), and the run step
 *   uses the RPC_URL the chain printed; the README's PRIVATE_KEY must equal the one printed.
 * Then: the install footprint against viem alone (goal: at most twice its package count and size),
 * every tip-only entry point importing and `require()`-able with viem alone, and the `.d.ts` compiled
 * by a tiny consumer with `skipLibCheck: false` under `module` node16, nodenext and bundler.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { freePort, rpc } from "../../scripts/local-chain.ts";

const SDK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = path.resolve(SDK, "..");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
const README = readFileSync(path.join(SDK, "README.md"), "utf8");
const VIEM = JSON.parse(readFileSync(path.join(ROOT, "node_modules/viem/package.json"), "utf8")).version as string;
const TIP_ONLY_ENTRIES = [
  "@harmonie/sdk",
  "@harmonie/sdk/actions",
  "@harmonie/sdk/indexer",
  "@harmonie/sdk/streaming",
  "@harmonie/sdk/abis",
];

let work: string;
let tarball: string;
let chainProcess: ChildProcess | undefined;

const run = async (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  (
    await promisify(execFile)(command, args, {
      cwd,
      env: { ...process.env, ...env },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    })
  ).stdout;

/** The fenced block after `<!-- quickstart:<step>… -->`, and what the marker says after the step. */
function block(step: string): { code: string; arg: string } {
  const match = README.match(new RegExp(`<!-- quickstart:${step}([^>]*)-->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``));
  assert.ok(match, `README has a quickstart:${step} block`);
  return { arg: match[1].trim().split(/\s+/)[0] ?? "", code: match[2] };
}

async function footprint(dir: string): Promise<{ packages: number; mb: number }> {
  const parseable = await run("npm", ["ls", "--all", "--parseable"], dir).catch((e: { stdout: string }) => e.stdout);
  const packages = parseable.trim().split("\n").length - 1; // minus the project itself
  const mb = Number((await run("du", ["-sm", "node_modules"], dir)).split("\t")[0]);
  return { packages, mb };
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), "harmonie-sdk-consumer-"));
  await run(process.execPath, [TSC, "-p", "tsconfig.build.json"], SDK);
  await run("npm", ["pack", "--pack-destination", work], SDK);
  const file = readdirSync(work).find((name) => name.endsWith(".tgz"));
  assert.ok(file, "npm pack produced a tarball");
  tarball = path.join(work, file);
});

after(async () => {
  // The chain step is a process group (bash → npm → the chain script → Hardhat): stop all of it.
  if (chainProcess?.pid !== undefined && chainProcess.exitCode === null) {
    const exited = new Promise((resolve) => chainProcess!.once("exit", resolve));
    process.kill(-chainProcess.pid, "SIGTERM");
    await exited;
  }
  chainProcess?.stdout?.destroy();
  chainProcess?.stderr?.destroy();
  rmSync(work, { recursive: true, force: true });
});

it(
  "the README quickstart, step by step, in an empty folder: a tip on a local chain",
  { timeout: 600_000 },
  async () => {
    const setup = block("setup").code.replace(
      "npm install @harmonie/sdk viem",
      `npm install --no-audit --no-fund ${tarball} viem@${VIEM}`,
    );
    assert.notEqual(setup, block("setup").code, "the setup installs @harmonie/sdk and viem");
    const project = path.join(work, "my-tip-app");
    // viem alone, for the footprint goal, installed meanwhile.
    const viemOnly = path.join(work, "viem-only");
    mkdirSync(viemOnly);
    writeFileSync(path.join(viemOnly, "package.json"), JSON.stringify({ name: "viem-only", private: true }));
    await Promise.all([
      run("bash", ["-e", "-c", setup], work),
      run("npm", ["install", "--no-audit", "--no-fund", `viem@${VIEM}`], viemOnly),
    ]);
    assert.equal(JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")).type, "module");

    // Step 2: the chain, from the project folder, until it prints its RPC_URL and key.
    const port = await freePort();
    chainProcess = spawn("bash", ["-e", "-c", block("chain").code], {
      cwd: project,
      env: {
        ...process.env,
        HARMONIE: ROOT,
        HARMONIE_RPC_PORT: String(port),
        HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let printed = "";
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        printed += chunk;
        if (/PRIVATE_KEY=0x[0-9a-f]{64}/.test(printed)) resolve();
      };
      chainProcess!.stdout!.on("data", onData);
      chainProcess!.stderr!.on("data", onData);
      chainProcess!.once("exit", (code) => reject(new Error(`the chain step exited (${code}):\n${printed}`)));
    });
    const rpcUrl = printed.match(/RPC_URL=(\S+)/)?.[1];
    const printedKey = printed.match(/PRIVATE_KEY=(0x[0-9a-f]{64})/)?.[1];
    assert.equal(rpcUrl, `http://127.0.0.1:${port}`);
    assert.ok(
      readdirSync(path.join(project, "deployments")).includes("31337.json"),
      "deployments/31337.json in the project",
    );

    // Steps 3 and 4: the code block as the file it names, run as the README says.
    const code = block("code");
    writeFileSync(path.join(project, code.arg), code.code);
    const runStep = block("run").code.trim();
    const documented = runStep.match(/^RPC_URL=(\S+) PRIVATE_KEY=(\S+) (node \S+)$/);
    assert.ok(documented, `the run step sets RPC_URL and PRIVATE_KEY: ${runStep}`);
    assert.equal(documented[2], printedKey, "the README's PRIVATE_KEY is the one the chain prints");
    assert.equal(new URL(documented[1]).port, "8545");
    const output = await run("bash", ["-e", "-c", runStep.replace(documented[1], rpcUrl!)], project);
    const hash = output.match(/tipped 1000000000000000000 wei in (0x[0-9a-f]{64})/)?.[1];
    assert.ok(hash, `the quickstart printed the tip: ${output}`);
    assert.equal((await rpc<{ status: string }>(rpcUrl!, "eth_getTransactionReceipt", [hash])).status, "0x1");

    // A tip-only app installs at most twice what viem alone does.
    const sdk = await footprint(project);
    const viem = await footprint(viemOnly);
    console.log(
      `tip-only install: ${sdk.packages} packages / ${sdk.mb} MB; viem alone: ${viem.packages} / ${viem.mb} MB`,
    );
    assert.ok(sdk.packages <= 2 * viem.packages, `${sdk.packages} packages > 2 × viem's ${viem.packages}`);
    assert.ok(sdk.mb <= 2 * viem.mb, `${sdk.mb} MB > 2 × viem's ${viem.mb} MB`);

    // Every tip-only entry point loads with viem alone, by import and by require().
    for (const entry of TIP_ONLY_ENTRIES) {
      await run(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(entry)})`], project);
      await run(process.execPath, ["-e", `require(${JSON.stringify(entry)})`], project);
    }
  },
);

it(
  "its .d.ts compile in a consumer with skipLibCheck: false under node16, nodenext and bundler",
  { timeout: 300_000 },
  async () => {
    const consumer = path.join(work, "types-consumer");
    mkdirSync(consumer);
    writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({ name: "types-consumer", private: true, type: "module" }),
    );
    await run("npm", ["install", "--no-audit", "--no-fund", tarball, `viem@${VIEM}`], consumer);
    writeFileSync(
      path.join(consumer, "index.ts"),
      [
        'import { createHarmonieClient, harmonieLocal, type Deployment } from "@harmonie/sdk";',
        'import { sendTip, tipCall } from "@harmonie/sdk/actions";',
        'import { getLatestTips } from "@harmonie/sdk/indexer";',
        'import { createStreamingProvider } from "@harmonie/sdk/streaming";',
        'import { contractAbis } from "@harmonie/sdk/abis";',
        "const id: 31337 = harmonieLocal.id;",
        "export { createHarmonieClient, sendTip, tipCall, getLatestTips, createStreamingProvider, contractAbis, id };",
        "export type { Deployment };",
      ].join("\n"),
    );
    for (const [module, moduleResolution] of [
      ["node16", "node16"],
      ["nodenext", "nodenext"],
      ["esnext", "bundler"],
    ]) {
      writeFileSync(
        path.join(consumer, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution,
            target: "es2022",
            lib: ["es2023", "dom"],
            strict: true,
            skipLibCheck: false,
            noEmit: true,
            types: [],
          },
          files: ["index.ts"],
        }),
      );
      const output = await run(process.execPath, [TSC, "-p", "tsconfig.json"], consumer).catch(
        (e: { stdout: string }) => e.stdout,
      );
      assert.equal(output.trim(), "", `tsc --module ${module} --moduleResolution ${moduleResolution}:\n${output}`);
    }
  },
);
