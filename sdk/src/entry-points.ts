/**
 * The SDK's entry points, read from the one list: package.json `exports` (each `./dist/<x>.js` built
 * from `src/<x>.ts`). The export snapshot, TypeDoc (`npm run docs`) and the dApp's tsconfig paths
 * derive from it; entry-points.test.ts fails when any of them drifts.
 */
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  exports: Record<string, { types: string; default: string }>;
};

/** Subpath (`"."`, `"./actions"` …) → its source file relative to sdk/ (`src/index.ts` …). */
export const ENTRY_POINTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(pkg.exports).map(([subpath, target]) => [
    subpath,
    target.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"),
  ]),
);
