// Skips `graph codegen && graph build` when nothing that goes into the build has
// changed: a SHA-256 over the inputs' paths and contents (plus any extra strings,
// e.g. tool versions or the network) is kept beside the build output.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** Folders never part of a subgraph build's inputs. */
const SKIP = new Set(["node_modules", ".git", ".bin", "build", "generated"]);

/** Hash of files and folders (recursively, in sorted order) and extra strings. */
export function hashInputs(inputs: string[], extra: string[] = []): string {
  const h = createHash("sha256");
  const add = (path: string, root: string) => {
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (!SKIP.has(name)) add(join(path, name), root);
      return;
    }
    h.update(`file\0${relative(root, path)}\0${st.size}\0`);
    h.update(readFileSync(path));
  };
  for (const input of [...inputs].map((p) => resolve(p)).sort()) {
    if (!existsSync(input)) {
      h.update(`missing\0${input}\0`);
      continue;
    }
    h.update(`input\0${input}\0`);
    add(input, input);
  }
  for (const e of extra) h.update(`extra\0${e}\0`);
  return h.digest("hex");
}

export const HASH_FILE = ".graph-runner-inputs.sha256";

/**
 * Runs `build` unless `outDir` holds a complete build made from the same inputs
 * (its `subgraph.yaml` and the inputs' hash, which is written only after a build
 * succeeded, so an interrupted or failed build is never reused).
 */
export async function buildIfChanged(opts: {
  inputs: string[];
  outDir: string;
  build: () => Promise<void>;
  extra?: string[];
}): Promise<{ rebuilt: boolean; hash: string }> {
  const hash = hashInputs(opts.inputs, opts.extra);
  const marker = join(opts.outDir, HASH_FILE);
  const done =
    existsSync(join(opts.outDir, "subgraph.yaml")) &&
    existsSync(marker) &&
    readFileSync(marker, "utf8").trim() === hash;
  if (done) return { rebuilt: false, hash };
  rmSync(marker, { force: true });
  await opts.build();
  writeFileSync(marker, hash + "\n");
  return { rebuilt: true, hash };
}
