/**
 * `npm run bench -w sdk`: what the SDK adds to an app that only tips. Bundles (esbuild, minified,
 * browser ESM) a module calling the SDK's `tip` action and one calling viem's `writeContract`, and
 * reports the gzip difference. Goal: <= 5 kB.
 */
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const SDK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function gzipSize(contents: string): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: SDK, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    alias: { "@harmonie/sdk/actions": path.join(SDK, "src/actions/index.ts") },
    logLevel: "silent",
  });
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length;
}

const sdkTip = await gzipSize(`import { tip } from "@harmonie/sdk/actions"; export const run = (c, p) => tip(c, p);`);
const viemWrite = await gzipSize(
  `import { writeContract } from "viem/actions"; export const run = (c, p) => writeContract(c, p);`,
);
// The same work done with viem alone: estimate, write, wait for the receipt, decode the events.
const viemEquivalent = await gzipSize(
  `import { estimateContractGas, getChainId, waitForTransactionReceipt, writeContract } from "viem/actions";
   import { parseEventLogs } from "viem";
   export const run = async (c, p) => { await getChainId(c); const gas = await estimateContractGas(c, p);
     const receipt = await waitForTransactionReceipt(c, { hash: await writeContract(c, { ...p, gas }) });
     return parseEventLogs({ abi: p.abi, logs: receipt.logs }); };`,
);
const added = sdkTip - viemWrite;
console.log(`bundle, tip action only:         ${(sdkTip / 1024).toFixed(1)} kB gzip`);
console.log(`bundle, viem writeContract only: ${(viemWrite / 1024).toFixed(1)} kB gzip`);
console.log(`bundle, viem estimate+write+wait+decode: ${(viemEquivalent / 1024).toFixed(1)} kB gzip`);
console.log(`SDK's own code and tipping ABI:  ${((sdkTip - viemEquivalent) / 1024).toFixed(1)} kB gzip`);
console.log(
  `SDK adds:                        ${(added / 1024).toFixed(1)} kB gzip (goal <= 5 kB) ${added <= 5 * 1024 ? "✓" : "✗"}`,
);
if (!(added <= 5 * 1024)) process.exitCode = 1; // a missed goal fails the benchmark
