/**
 * `npm run bench -w sdk`: what the SDK adds to an app that only tips. Bundles (esbuild, minified,
 * browser ESM) a module that sends a tip with the SDK (`sendTip`) and decodes it from the receipt
 * (`tipFromReceipt`), and one calling viem's `writeContract` alone, and reports the gzip difference.
 * Goal: <= 5 kB; a miss exits non-zero. Also reports `tip` (approval, wait and decode in one call) and
 * which SDK files the tip-only bundle holds (esbuild's metafile, minified bytes).
 */
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const SDK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function bundle(contents: string) {
  const result = await build({
    stdin: { contents, resolveDir: SDK, loader: "ts" },
    // Metafile paths relative to the package (src/…), wherever the bench is run from.
    absWorkingDir: SDK,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    alias: { "@harmonie/sdk/actions": path.join(SDK, "src/actions/index.ts") },
    logLevel: "silent",
  });
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  return { gzip: gzipSync(result.outputFiles[0].contents, { level: 9 }).length, inputs };
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const tipOnly = await bundle(
  `import { sendTip, tipFromReceipt } from "@harmonie/sdk/actions";
   export const send = (c, p) => sendTip(c, p); export const decode = (r) => tipFromReceipt(r);`,
);
const fullTip = await bundle(`import { tip } from "@harmonie/sdk/actions"; export const run = (c, p) => tip(c, p);`);
const viemWrite = await bundle(
  `import { writeContract } from "viem/actions"; export const run = (c, p) => writeContract(c, p);`,
);
const added = tipOnly.gzip - viemWrite.gzip;
console.log(`bundle, viem writeContract only:      ${kB(viemWrite.gzip)} gzip`);
console.log(`bundle, sendTip + tipFromReceipt:     ${kB(tipOnly.gzip)} gzip`);
console.log(`bundle, tip (approve, wait, decode):  ${kB(fullTip.gzip)} gzip (+${kB(fullTip.gzip - viemWrite.gzip)})`);
console.log("SDK files in the tip-only bundle (minified bytes, before gzip):");
for (const [file, { bytesInOutput }] of Object.entries(tipOnly.inputs).sort(
  (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
)) {
  if (file.startsWith("src/") && bytesInOutput > 0) console.log(`  ${String(bytesInOutput).padStart(6)}  ${file}`);
}
console.log(`SDK adds (tip-only):                  ${kB(added)} gzip (goal <= 5 kB) ${added <= 5 * 1024 ? "✓" : "✗"}`);
if (!(added <= 5 * 1024)) process.exitCode = 1; // a missed goal fails the benchmark
