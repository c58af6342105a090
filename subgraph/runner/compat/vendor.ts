// Copies a suite's files at its pinned commit into compat/fixtures/<name>.
//   node compat/vendor.ts <suite> <git-dir-or-url>
// A URL is cloned once into ~/.cache/graph-runner-compat/<owner>+<repo>.git
// (bare); a local git directory (a clone or bare mirror) is read as is.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { suites } from "./suites.ts";

const here = dirname(fileURLToPath(import.meta.url));

function formatJson(dir: string): void {
  const prettier = join(here, "..", "..", "..", "node_modules", ".bin", "prettier");
  execFileSync(
    prettier,
    ["--log-level", "warn", "--write", "--no-config", "--no-error-on-unmatched-pattern", join(dir, "**", "*.json")],
    { stdio: "inherit" },
  );
}

export function vendor(name: string, source: string): string {
  const suite = suites.find((s) => s.name === name);
  if (!suite) throw new Error(`unknown suite ${name} (known: ${suites.map((s) => s.name).join(", ")})`);
  let gitDir = source;
  if (/^(https?|git|ssh):/.test(source)) {
    gitDir = join(homedir(), ".cache", "graph-runner-compat", suite.repo.replace("/", "+") + ".git");
    if (!existsSync(gitDir)) execFileSync("git", ["clone", "--bare", source, gitDir], { stdio: "inherit" });
    else execFileSync("git", ["--git-dir", gitDir, "fetch", "origin", suite.commit], { stdio: "inherit" });
  } else if (existsSync(join(source, ".git"))) gitDir = join(source, ".git");
  const out = join(here, "fixtures", suite.name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tar = execFileSync("git", ["--git-dir", gitDir, "archive", suite.commit, "--", ...suite.paths]);
  execFileSync("tar", ["-x", "-C", out], { input: tar });
  // The repository runs prettier on every file; fixture sources are exempt through
  // fixtures/.prettierrc.json (requirePragma), which JSON cannot use: reformat JSON
  // (whitespace only) so that the check passes.
  formatJson(out);
  return out;
}

/** Copies a matchstick-as release (from the npm registry, `npm pack`) into compat/fixtures/_libs/. */
export function vendorMatchstickAs(version: string): string {
  const out = join(here, "fixtures", "_libs", `matchstick-as@${version}`);
  const tmp = mkdtempSync(join(tmpdir(), "matchstick-as-"));
  try {
    const file = execFileSync("npm", ["pack", `matchstick-as@${version}`, "--silent"], { cwd: tmp, encoding: "utf8" })
      .trim()
      .split("\n")
      .pop()!;
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    execFileSync("tar", ["-xzf", join(tmp, file), "-C", out, "--strip-components=1"]);
    formatJson(out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, source] = process.argv.slice(2);
  if (!name || !source) {
    console.error("usage: node compat/vendor.ts <suite> <git-dir-or-url> | matchstick-as <version>");
    process.exit(2);
  }
  console.log(name === "matchstick-as" ? vendorMatchstickAs(source) : vendor(name, source));
}
