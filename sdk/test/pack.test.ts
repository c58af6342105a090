/**
 * What `npm pack` publishes: the build, the README, the licence and package.json — no sources, no
 * tests, no stand-ins, no server.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const SDK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROOT = path.resolve(SDK, "..");
const run = async (command: string, args: string[]) =>
  (await promisify(execFile)(command, args, { cwd: SDK, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })).stdout;

it("npm pack lists only dist/**, README.md, LICENSE and package.json, and nothing test-only or server-side", async () => {
  await run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
  const [pack] = JSON.parse(await run("npm", ["pack", "--dry-run", "--json"])) as [{ files: { path: string }[] }];
  const files = pack.files.map((file) => file.path).sort();
  const outside = files.filter(
    (file) => !file.startsWith("dist/") && !["README.md", "CHANGELOG.md", "LICENSE", "package.json"].includes(file),
  );
  assert.deepEqual(outside, [], "only the build, README, licence and package.json");
  for (const required of ["README.md", "LICENSE", "package.json", "dist/index.js", "dist/index.d.ts"])
    assert.ok(files.includes(required), `${required} is published`);
  const testOnly = files.filter((file) =>
    /(^|\/)(test|tests|testing|test-support|node)\/|\.test(-d)?\.|stand-?in/i.test(file),
  );
  assert.deepEqual(testOnly, [], "no test, stand-in or server file in dist");
});
