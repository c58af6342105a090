// `graph test -c`: Matchstick 0.6's coverage report. Matchstick lists the event and call
// handlers of each data source and template of the manifest, then counts a handler as
// tested when any compiled test module (tests/.bin/*.wasm) calls a function with that name.
// It reads wasm2wat's text; here the same names come from the modules' name section
// (asc --debug writes it). asc compiles only the functions a module reaches, so a handler
// function present in a test module is one the tests call.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { Reader } from "./wasm.ts";

export interface SourceCoverage {
  source: string;
  handlers: { name: string; tested: boolean }[];
}

interface ManifestSource {
  name: string;
  mapping?: { eventHandlers?: { handler: string }[]; callHandlers?: { handler: string }[] };
}

/** Event and call handlers per data source and template, as matchstick's `collect_handlers`. */
export function manifestHandlers(manifestPath: string): Map<string, string[]> {
  if (!existsSync(manifestPath))
    throw new Error(`coverage lists the handlers of ${manifestPath} (matchstick.yaml's manifestPath): no such file`);
  const raw = parseYaml(readFileSync(manifestPath, "utf8")) as {
    dataSources?: ManifestSource[];
    templates?: ManifestSource[];
  };
  const out = new Map<string, string[]>();
  for (const s of [...(raw?.dataSources ?? []), ...(raw?.templates ?? [])]) {
    const handlers = [...(s.mapping?.eventHandlers ?? []), ...(s.mapping?.callHandlers ?? [])].map((h) => h.handler);
    out.set(s.name, [...(out.get(s.name) ?? []), ...handlers]);
  }
  return out;
}

/** Names of the functions a module defines, from its `name` custom section (subsection 1). */
export function definedFunctionNames(module: WebAssembly.Module): string[] {
  const sections = WebAssembly.Module.customSections(module, "name");
  if (!sections.length) throw new Error("test module has no name section (compile with --debug)");
  const imported = WebAssembly.Module.imports(module).filter((i) => i.kind === "function").length;
  const reader = new Reader(new Uint8Array(sections[0]));
  const names: string[] = [];
  while (reader.pos < reader.bytes.length) {
    const id = reader.byte();
    const end = reader.uleb() + reader.pos;
    if (id === 1) {
      for (let n = reader.uleb(); n > 0; n--) {
        const index = reader.uleb();
        const name = reader.name();
        // Imported functions are host functions, never the mapping's handlers.
        if (index >= imported) names.push(name);
      }
    }
    reader.pos = end;
  }
  return names;
}

/** Coverage of the manifest's handlers by the compiled modules of `suites` in `binDir`. */
export function handlerCoverage(manifestPath: string, binDir: string, suites: string[]): SourceCoverage[] {
  // A suite that did not compile has no module: it tests nothing (its failure is reported above).
  const wasmFiles = suites.map((s) => join(binDir, s + ".wasm")).filter((f) => existsSync(f));
  const called = wasmFiles.flatMap((f) => definedFunctionNames(new WebAssembly.Module(readFileSync(f))));
  return [...manifestHandlers(manifestPath)].map(([source, handlers]) => ({
    source,
    // matchstick matches `call.+<handler>`: the callee's name contains the handler's.
    handlers: handlers.map((name) => ({ name, tested: called.some((c) => c.includes(name)) })),
  }));
}

const percent = (n: number, of: number) => (of > 0 ? (n * 100) / of : 0).toFixed(1);

/** Matchstick's report lines. */
export function coverageReport(sources: SourceCoverage[]): string[] {
  const lines: string[] = [];
  let all = 0;
  let tested = 0;
  for (const s of sources) {
    lines.push(`Handlers for source '${s.source}':`);
    const n = s.handlers.filter((h) => h.tested).length;
    for (const h of s.handlers) lines.push(`Handler '${h.name}' is ${h.tested ? "tested" : "not tested"}.`);
    lines.push(`Test coverage: ${percent(n, s.handlers.length)}% (${n}/${s.handlers.length} handlers).`, "");
    all += s.handlers.length;
    tested += n;
  }
  lines.push(`Global test coverage: ${percent(tested, all)}% (${tested}/${all} handlers).`);
  return lines;
}
