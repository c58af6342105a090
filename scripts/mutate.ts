// Mutation testing for contracts/: `npm run mutate [-- options]`.
//
// Applies a catalogue of small mutations to the Solidity sources (comparison and arithmetic operators,
// removed `require`s, removed modifiers, removed state writes, swapped same-typed call arguments), runs
// the contract tests against each mutant in a temporary copy of the project, and writes
// mutation/report.json. Equivalent mutants are listed, with a reason, in mutation/equivalent.json and
// left out of the score. Not part of `npm test`: a full run takes hours on two cores.
//
//   --file <glob>       only mutate matching files (e.g. contracts/tipping/HarmonieTipping.sol); repeatable
//   --id <id[,id]>      only run these mutants (e.g. survivors after a new test)
//   --operator <name>   only this operator class (comparison, arithmetic, require, modifier, state-write, swap-args)
//   --limit N           run at most N mutants
//   --list              print the catalogue and exit
//   --no-report         do not write mutation/report.json
//   --keep              keep the temporary copy (prints its path)
//   --resume            skip mutants with a result in mutation/report.json, except survivors (continue a run)
//   --refresh           rewrite mutation/report.json for the current catalogue without running anything
//   --worktree          mutate a copy of the working tree instead of the last commit (HEAD)
//
// The report is merged: mutants run now replace their earlier entries; mutants of files in scope that
// left the catalogue are dropped; other files keep their last results.

import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/* ------------------------------------------------------------------------------------------------ *
 *                                        Mutant generation                                          *
 * ------------------------------------------------------------------------------------------------ */

export type Operator = "comparison" | "arithmetic" | "require" | "modifier" | "state-write" | "swap-args";
export const OPERATORS: Operator[] = ["comparison", "arithmetic", "require", "modifier", "state-write", "swap-args"];

export interface Mutant {
  /** Stable across unrelated edits: hash of file, operator, the mutated line(s)' text and the occurrence. */
  id: string;
  file: string;
  line: number;
  column: number;
  operator: Operator;
  /** The exact source text replaced, and what replaces it. */
  start: number;
  end: number;
  original: string;
  replacement: string;
  /** The mutated line(s), whitespace collapsed, as they read in the mutant. */
  mutated: string;
}

/** A call signature known from the project's own sources: name → parameter types per arity. */
export type Signatures = Map<string, string[][]>;

interface Token {
  kind: "ident" | "number" | "string" | "op";
  text: string;
  start: number;
  end: number;
}

/**
 * The source with comments and string literals replaced by spaces (newlines kept), so that every offset
 * and line number stays valid and nothing inside them can be mutated. String literals keep their quotes.
 */
export function maskSource(source: string): string {
  const out = source.split("");
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let k = i + 1;
      while (k < source.length && source[k] !== c && source[k] !== "\n") k += source[k] === "\\" ? 2 : 1;
      blank(i + 1, k);
      i = k + 1;
    } else i++;
  }
  return out.join("");
}

const OPS = [
  ">>>=",
  "**=",
  ">>=",
  "<<=",
  ">>>",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "|=",
  "&=",
  "^=",
  "<<",
  ">>",
  "**",
  "->",
  ":=",
];

function tokenize(masked: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < masked.length) {
    const c = masked[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_$]/.test(c)) {
      while (i < masked.length && /[A-Za-z0-9_$]/.test(masked[i])) i++;
      tokens.push({ kind: "ident", text: masked.slice(start, i), start, end: i });
    } else if (/[0-9]/.test(c)) {
      while (i < masked.length && /[0-9A-Za-z_.]/.test(masked[i])) i++;
      tokens.push({ kind: "number", text: masked.slice(start, i), start, end: i });
    } else if (c === '"' || c === "'") {
      i++;
      while (i < masked.length && masked[i] !== c && masked[i] !== "\n") i++;
      i++;
      tokens.push({ kind: "string", text: masked.slice(start, i), start, end: i });
    } else {
      const op = OPS.find((candidate) => masked.startsWith(candidate, i)) ?? c;
      i += op.length;
      tokens.push({ kind: "op", text: op, start, end: i });
    }
  }
  return tokens;
}

/** Index of the token closing the bracket opened at `open`. */
function matching(tokens: Token[], open: number): number {
  const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  const close = pairs[tokens[open].text];
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (tokens[k].text === tokens[open].text) depth++;
    else if (tokens[k].text === close && --depth === 0) return k;
  }
  return tokens.length - 1;
}

const COMPARISON_SWAPS: Record<string, string> = { "<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==" };
const ARITHMETIC_SWAPS: Record<string, string> = {
  "+": "-",
  "-": "+",
  "*": "/",
  "/": "*",
  "+=": "-=",
  "-=": "+=",
};
const HEADER_WORDS = new Set([
  "external",
  "public",
  "internal",
  "private",
  "view",
  "pure",
  "payable",
  "virtual",
  "override",
  "returns",
]);
const ASSIGNMENTS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "<<=", ">>="]);
const NOT_TYPES = new Set(["return", "emit", "delete", "new", "revert", "require", "else", "unchecked"]);
const DATA_LOCATIONS = new Set(["memory", "calldata", "storage"]);

function normaliseType(tokens: Token[]): string {
  const words = tokens.map((t) => t.text).filter((t) => !DATA_LOCATIONS.has(t));
  return words
    .join(" ")
    .replace(/\buint\b/g, "uint256")
    .replace(/\bint\b/g, "int256")
    .replace(/ ?([[\]().]) ?/g, "$1");
}

/** Splits the tokens strictly between `open` and its closing bracket at depth-0 commas. */
function splitArguments(tokens: Token[], open: number, close: number): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k];
    if ("([{".includes(t.text)) depth++;
    else if (")]}".includes(t.text)) depth--;
    if (depth === 0 && t.text === ",") {
      parts.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length || parts.length) parts.push(current);
  return parts;
}

/** Parameter types of a declaration's parameter list (names and data locations dropped). */
function parameterTypes(tokens: Token[], open: number): string[] {
  return splitArguments(tokens, open, matching(tokens, open)).map((param) => {
    // `address indexed from` / `uint256 amount` / `string calldata message` / `address`.
    const words = param.filter((t) => t.text !== "indexed");
    const last = words[words.length - 1];
    const hasName =
      words.length > 1 && last.kind === "ident" && !DATA_LOCATIONS.has(last.text) && last.text !== "payable";
    return normaliseType(hasName ? words.slice(0, -1) : words);
  });
}

/** Function and event signatures declared in the given sources (overloads by arity; ambiguous ones dropped). */
export function collectSignatures(sources: string[]): Signatures {
  const found = new Map<string, Map<number, string[] | null>>();
  for (const source of sources) {
    const tokens = tokenize(maskSource(source));
    for (let k = 0; k + 2 < tokens.length; k++) {
      if (!["function", "event"].includes(tokens[k].text) || tokens[k + 2].text !== "(") continue;
      const name = tokens[k + 1].text;
      const types = parameterTypes(tokens, k + 2);
      const byArity = found.get(name) ?? new Map<number, string[] | null>();
      const previous = byArity.get(types.length);
      byArity.set(types.length, previous === undefined || previous?.join() === types.join() ? types : null);
      found.set(name, byArity);
    }
  }
  const signatures: Signatures = new Map();
  for (const [name, byArity] of found) {
    const usable = [...byArity.values()].filter((types): types is string[] => types !== null);
    if (usable.length) signatures.set(name, usable);
  }
  return signatures;
}

/** Names of the non-constant, non-immutable state variables declared in the given sources. */
export function collectStateVariables(sources: string[]): Set<string> {
  const names = new Set<string>();
  for (const source of sources) {
    const tokens = tokenize(maskSource(source));
    for (let k = 0; k < tokens.length; k++) {
      if (!["contract", "library", "abstract"].includes(tokens[k].text)) continue;
      let open = k;
      while (open < tokens.length && tokens[open].text !== "{") open++;
      const close = matching(tokens, open);
      let statement: Token[] = [];
      for (let j = open + 1; j < close; j++) {
        const t = tokens[j];
        if (t.text === "{") {
          j = matching(tokens, j);
          statement = [];
          continue;
        }
        if (t.text !== ";") {
          statement.push(t);
          continue;
        }
        const words = statement.map((s) => s.text);
        const eq = words.indexOf("=");
        const declaration = eq === -1 ? statement : statement.slice(0, eq);
        const skip = ["using", "event", "error", "function", "modifier", "struct", "enum", "type", "constructor"];
        if (
          declaration.length >= 2 &&
          !skip.includes(words[0]) &&
          !words.includes("constant") &&
          !words.includes("immutable") &&
          declaration[declaration.length - 1].kind === "ident"
        )
          names.add(declaration[declaration.length - 1].text);
        statement = [];
      }
      k = close;
    }
  }
  return names;
}

interface Body {
  open: number;
  close: number;
  storageLocals: Set<string>;
}

/** Bodies of functions, constructors, modifiers, receive and fallback, with their storage pointers. */
function bodies(tokens: Token[]): Body[] {
  const found: Body[] = [];
  for (let k = 0; k < tokens.length; k++) {
    if (!["function", "constructor", "modifier", "receive", "fallback"].includes(tokens[k].text)) continue;
    if (tokens[k].text !== "function" && tokens[k].text !== "modifier" && tokens[k + 1]?.text !== "(") continue;
    let j = k + 1;
    while (j < tokens.length && tokens[j].text !== "(") j++;
    const params = j;
    j = matching(tokens, j) + 1;
    while (j < tokens.length && tokens[j].text !== "{" && tokens[j].text !== ";") {
      if (tokens[j].text === "(") j = matching(tokens, j);
      j++;
    }
    if (tokens[j]?.text !== "{") continue;
    const close = matching(tokens, j);
    const storageLocals = new Set<string>();
    for (let s = params; s < close; s++)
      if (tokens[s].text === "storage" && tokens[s + 1]?.kind === "ident") storageLocals.add(tokens[s + 1].text);
    found.push({ open: j, close, storageLocals });
    k = close;
  }
  return found;
}

/** The simple statements of a body: [first token, index of its `;`, whether a header guards it]. */
function statements(tokens: Token[], body: Body): Array<{ from: number; semi: number; guarded: boolean }> {
  const out: Array<{ from: number; semi: number; guarded: boolean }> = [];
  let from = body.open + 1;
  for (let k = body.open + 1; k < body.close; k++) {
    const t = tokens[k];
    if (t.text === "assembly") {
      // Skip inline assembly: its statements have no `;` and no operators of ours.
      while (tokens[k].text !== "{") k++;
      k = matching(tokens, k);
      from = k + 1;
    } else if (t.text === "(" || t.text === "[") k = matching(tokens, k);
    else if (t.text === "{" || t.text === "}") from = k + 1;
    else if (t.text === ";") {
      let start = from;
      let guarded = false;
      for (;;) {
        const word = tokens[start]?.text;
        if (word === "else" || word === "do") {
          start++;
          guarded = true;
        } else if ((word === "if" || word === "for" || word === "while") && tokens[start + 1]?.text === "(") {
          start = matching(tokens, start + 1) + 1;
          guarded = true;
        } else break;
      }
      if (start < k) out.push({ from: start, semi: k, guarded });
      from = k + 1;
    }
  }
  return out;
}

/** Token ranges of inline assembly blocks and of `pragma` / `import` directives: never mutated. */
function untouchable(tokens: Token[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (t === "pragma" || t === "import") {
      let j = k;
      while (j < tokens.length && tokens[j].text !== ";") j++;
      ranges.push([k, j]);
      k = j;
    } else if (t === "assembly") {
      let j = k;
      while (j < tokens.length && tokens[j].text !== "{") j++;
      const close = matching(tokens, j);
      ranges.push([k, close]);
      k = close;
    }
  }
  return ranges;
}

function rootOf(lvalue: Token[]): string | undefined {
  return lvalue.find((t) => t.kind === "ident")?.text;
}

/** True when the tokens before `=` declare a local (`uint256 x`, `Type storage p`, `(address a, …)`). */
function isDeclaration(lvalue: Token[]): boolean {
  let depth = 0;
  for (let k = 0; k + 1 < lvalue.length; k++) {
    const t = lvalue[k];
    if (t.text === "[" || t.text === "(") depth++;
    else if (t.text === "]" || t.text === ")") depth--;
    const next = lvalue[k + 1];
    const typeEnd = t.kind === "ident" || t.text === "]" || t.text === ")";
    if (typeEnd && next.kind === "ident" && !NOT_TYPES.has(t.text) && depth <= 1) {
      // `a.b` and `a[b]` never put two identifiers side by side; a type and a name do.
      if (t.text === ")" && lvalue[0].text !== "mapping") continue;
      return true;
    }
  }
  return false;
}

export interface GenerateOptions {
  signatures?: Signatures;
  stateVariables?: Set<string>;
}

/** Every mutant of one Solidity source, sorted by position. */
export function generateMutants(file: string, source: string, options: GenerateOptions = {}): Mutant[] {
  const masked = maskSource(source);
  const tokens = tokenize(masked);
  const signatures = options.signatures ?? collectSignatures([source]);
  const stateVariables = options.stateVariables ?? collectStateVariables([source]);
  const blocked = untouchable(tokens);
  const free = (k: number) => !blocked.some(([a, b]) => k >= a && k <= b);
  const raw: Array<Omit<Mutant, "id" | "file" | "line" | "column" | "mutated">> = [];
  const add = (operator: Operator, start: number, end: number, replacement: string) =>
    raw.push({ operator, start, end, original: source.slice(start, end), replacement });

  // Operators.
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== "op" || !free(k)) continue;
    if (COMPARISON_SWAPS[t.text]) add("comparison", t.start, t.end, COMPARISON_SWAPS[t.text]);
    else if (ARITHMETIC_SWAPS[t.text]) {
      const previous = tokens[k - 1];
      const unary =
        t.text === "-" &&
        (!previous || (previous.kind === "op" && !")]".includes(previous.text)) || previous.text === "return");
      if (!unary) add("arithmetic", t.start, t.end, ARITHMETIC_SWAPS[t.text]);
    }
  }

  // Modifiers on function headers.
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k].text !== "function" || !free(k)) continue;
    let j = k + 1;
    while (j < tokens.length && tokens[j].text !== "(") j++;
    j = matching(tokens, j) + 1;
    while (j < tokens.length && tokens[j].text !== "{" && tokens[j].text !== ";") {
      const t = tokens[j];
      if (t.text === "returns" || t.text === "override") {
        if (tokens[j + 1]?.text === "(") j = matching(tokens, j + 1);
      } else if (t.kind === "ident" && !HEADER_WORDS.has(t.text)) {
        const last = tokens[j + 1]?.text === "(" ? matching(tokens, j + 1) : j;
        // Take the following whitespace with it, so the header still reads naturally.
        let end = tokens[last].end;
        while (end < source.length && /[ \t]/.test(source[end])) end++;
        add("modifier", t.start, end, "");
        j = last;
      }
      j++;
    }
  }

  // Statements: removed `require`s and removed state writes.
  for (const body of bodies(tokens)) {
    if (!free(body.open)) continue;
    const storage = new Set([...stateVariables, ...body.storageLocals]);
    for (const { from, semi, guarded } of statements(tokens, body)) {
      const first = tokens[from];
      const replacement = guarded ? "{}" : "";
      const statement = tokens.slice(from, semi);
      if (first.text === "require" && tokens[from + 1]?.text === "(") {
        add("require", first.start, tokens[semi].end, replacement);
        continue;
      }
      if (first.text === "delete") {
        if (storage.has(rootOf(statement.slice(1)) ?? ""))
          add("state-write", first.start, tokens[semi].end, replacement);
        continue;
      }
      let depth = 0;
      let assignment = -1;
      for (let k = 0; k < statement.length; k++) {
        const t = statement[k];
        if ("([{".includes(t.text)) depth++;
        else if (")]}".includes(t.text)) depth--;
        else if (depth === 0 && ASSIGNMENTS.has(t.text)) {
          assignment = k;
          break;
        }
      }
      let writes = false;
      if (assignment > 0) {
        const lvalue = statement.slice(0, assignment);
        if (!isDeclaration(lvalue)) {
          const roots =
            lvalue[0].text === "(" ? splitArguments(lvalue, 0, lvalue.length - 1).map(rootOf) : [rootOf(lvalue)];
          writes = roots.some((root) => root !== undefined && storage.has(root));
        }
      } else if (assignment === -1) {
        const texts = statement.map((t) => t.text);
        const incremented = texts[0] === "++" || texts[0] === "--" || ["++", "--"].includes(texts[texts.length - 1]);
        const member =
          texts.length >= 4 &&
          texts[texts.length - 1] === ")" &&
          ["push", "pop"].includes(texts[texts.indexOf("(") - 1]);
        if ((incremented || member) && storage.has(rootOf(statement) ?? "")) writes = true;
      }
      if (writes) add("state-write", first.start, tokens[semi].end, replacement);
    }
  }

  // Swapped arguments of calls to the project's own functions and events with two same-typed parameters.
  for (let k = 1; k + 1 < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== "ident" || tokens[k + 1].text !== "(" || !free(k)) continue;
    if (["function", "event", "error", "modifier"].includes(tokens[k - 1].text)) continue;
    const candidates = signatures.get(t.text);
    if (!candidates) continue;
    const close = matching(tokens, k + 1);
    const args = splitArguments(tokens, k + 1, close);
    const types = candidates.find((list) => list.length === args.length);
    if (!types || args.some((arg) => arg.length === 0)) continue;
    // Neighbouring parameters of the same type only: the mix-up a reviewer misses, and a catalogue that
    // stays linear in the number of arguments.
    for (let a = 0; a + 1 < args.length; a++) {
      {
        const b = a + 1;
        if (types[a] !== types[b]) continue;
        const textA = source.slice(args[a][0].start, args[a][args[a].length - 1].end);
        const textB = source.slice(args[b][0].start, args[b][args[b].length - 1].end);
        if (textA === textB) continue;
        const start = args[a][0].start;
        const end = args[b][args[b].length - 1].end;
        const middle = source.slice(args[a][args[a].length - 1].end, args[b][0].start);
        add("swap-args", start, end, textB + middle + textA);
      }
    }
  }

  raw.sort((x, y) => x.start - y.start || x.end - y.end || x.operator.localeCompare(y.operator));
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const seen = new Map<string, number>();
  return raw.map((m) => {
    const first = lineOf(m.start);
    const last = lineOf(Math.max(m.start, m.end - 1));
    const lineFrom = lineStarts[first];
    const lineTo = last + 1 < lineStarts.length ? lineStarts[last + 1] - 1 : source.length;
    const collapse = (text: string) => text.replace(/\s+/g, " ").trim();
    const originalLines = collapse(source.slice(lineFrom, lineTo));
    const mutated =
      collapse(source.slice(lineFrom, m.start) + m.replacement + source.slice(m.end, lineTo)) || "(line removed)";
    const key = [file, m.operator, originalLines, m.start - lineFrom, m.replacement].join("\u0000");
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const id = createHash("sha256")
      .update(key + "\u0000" + occurrence)
      .digest("hex")
      .slice(0, 10);
    return { id, file, line: first + 1, column: m.start - lineFrom + 1, ...m, mutated };
  });
}

export function applyMutant(source: string, mutant: Pick<Mutant, "start" | "end" | "replacement">): string {
  return source.slice(0, mutant.start) + mutant.replacement + source.slice(mutant.end);
}

/** A glob (`*`, `**`, `?`) as a regular expression over repository-relative paths. */
export function globToRegExp(glob: string): RegExp {
  let pattern = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      pattern += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") pattern += "[^/]*";
    else if (c === "?") pattern += "[^/]";
    else pattern += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${pattern}$`);
}

/* ------------------------------------------------------------------------------------------------ *
 *                                            Running                                                *
 * ------------------------------------------------------------------------------------------------ */

export type Status = "killed" | "timeout" | "survived" | "equivalent" | "invalid";

export interface Equivalent {
  id: string;
  location: string;
  mutated: string;
  reason: string;
}

export interface ReportEntry {
  id: string;
  location: string;
  operator: Operator;
  original: string;
  replacement: string;
  mutated: string;
  status: Status;
  killedBy?: string;
  reason?: string;
}

export interface Counts {
  total: number;
  killed: number;
  timeout: number;
  survived: number;
  equivalent: number;
  invalid: number;
  /** (killed + timeout) / (killed + timeout + survived), in percent; null when nothing counts. */
  score: number | null;
}

export function countResults(entries: Array<Pick<ReportEntry, "status">>): Counts {
  const counts: Counts = {
    total: entries.length,
    killed: 0,
    timeout: 0,
    survived: 0,
    equivalent: 0,
    invalid: 0,
    score: null,
  };
  for (const entry of entries) counts[entry.status]++;
  const scored = counts.killed + counts.timeout + counts.survived;
  counts.score = scored === 0 ? null : Math.floor(((counts.killed + counts.timeout) / scored) * 10_000) / 100;
  return counts;
}

/** Mocha test files tried first for a mutant of a file under each folder (the rest run afterwards). */
const RELEVANT_MOCHA: Record<string, string[]> = {
  "contracts/tipping/": ["test/tipping.test.ts", "test/attacks.test.ts"],
  "contracts/licensing/": ["test/registry.test.ts", "test/attacks.test.ts"],
  "contracts/libraries/": ["test/registry.test.ts"],
  "contracts/profiles/": ["test/profiles.test.ts"],
  "contracts/live/": ["test/live.test.ts"],
  "contracts/governance/": ["test/governance.test.ts", "test/dao.test.ts"],
  "contracts/utils/": ["test/governance.test.ts", "test/profiles.test.ts"],
};
const RUN_ORDER: Operator[] = ["modifier", "require", "state-write", "comparison", "arithmetic", "swap-args"];
const ALWAYS_FIRST = ["test/mutation-killers.test.ts"];

const COPIED = [
  "contracts",
  "test",
  "deploy",
  "hardhat.config.ts",
  "package.json",
  "tsconfig.json",
  "scripts/dao",
  "sdk/src",
];

interface Run {
  code: number | null;
  output: string;
  timedOut: boolean;
  ms: number;
}

function run(cwd: string, args: string[], timeoutMs: number): Promise<Run> {
  const hardhat = fs.realpathSync(path.join(cwd, "node_modules/.bin/hardhat"));
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [hardhat, ...args], {
      cwd,
      detached: true,
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", FORCE_COLOR: "0", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running = child.pid;
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      running = undefined;
      resolve({ code, output, timedOut, ms: Date.now() - started });
    });
  });
}

let running: number | undefined;
function killGroup(pid: number | undefined) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** The first failing test's title in mocha or Solidity test output. */
export function firstFailure(output: string): string | undefined {
  const lines = output.split("\n");
  const index = lines.findIndex((line) => /^\s+1\) /.test(line));
  if (index !== -1) {
    const title = [lines[index].replace(/^\s+1\) /, "").trim()];
    for (let k = index + 1; k < lines.length && k < index + 8; k++) {
      const line = lines[k].trim();
      if (!line) break;
      title.push(line);
      if (line.endsWith(":")) break;
    }
    return title
      .join(" › ")
      .replace(/:$/, "")
      .replace(/ › "before each" hook.*$/, " (hook)");
  }
  const solidity = lines.find((line) => /✘|\[FAIL/.test(line));
  return solidity?.trim().replace(/\s+\(.*$/, "");
}

function compileFailed(output: string): boolean {
  return /HHE910|Compilation failed/.test(output);
}

/** Solidity test files (contracts/test/*.t.sol) that import `file`, directly or not. */
function solidityTestsFor(root: string, file: string): string[] {
  const testDir = path.join(root, "contracts/test");
  const tests = fs.readdirSync(testDir).filter((name) => name.endsWith(".t.sol"));
  const importsCache = new Map<string, string[]>();
  const importsOf = (abs: string): string[] => {
    if (!importsCache.has(abs)) {
      const text = fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : "";
      const found = [...text.matchAll(/import\s+[^;]*?["']([^"']+)["']/g)]
        .map((match) => match[1])
        .filter((spec) => spec.startsWith("."))
        .map((spec) => path.resolve(path.dirname(abs), spec));
      importsCache.set(abs, found);
    }
    return importsCache.get(abs)!;
  };
  const target = path.join(root, file);
  const reaches = (abs: string, seen = new Set<string>()): boolean => {
    if (abs === target) return true;
    if (seen.has(abs)) return false;
    seen.add(abs);
    return importsOf(abs).some((next) => reaches(next, seen));
  };
  return tests.filter((name) => reaches(path.join(testDir, name))).map((name) => `contracts/test/${name}`);
}

function mochaFiles(root: string): string[] {
  return fs
    .readdirSync(path.join(root, "test"))
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => `test/${name}`)
    .sort();
}

interface Phase {
  name: string;
  args: string[];
  kind: "mocha" | "solidity";
}

function phasesFor(root: string, file: string): Phase[] {
  const all = mochaFiles(root);
  const folder = Object.keys(RELEVANT_MOCHA).find((prefix) => file.startsWith(prefix));
  const first = [...ALWAYS_FIRST, ...(folder ? RELEVANT_MOCHA[folder] : [])].filter((f) => all.includes(f));
  const rest = all.filter((f) => !first.includes(f));
  const solidity = solidityTestsFor(root, file);
  const phases: Phase[] = [];
  // The first phase compiles the contracts; a compilation error there makes the mutant invalid.
  if (first.length)
    phases.push({
      name: `mocha ${first.join(" ")}`,
      kind: "mocha",
      args: ["test", "mocha", "--bail", "--no-typechain", ...first],
    });
  if (solidity.length)
    phases.push({
      name: `solidity ${solidity.join(" ")}`,
      kind: "solidity",
      args: ["test", "solidity", "--no-typechain", ...solidity],
    });
  if (rest.length)
    phases.push({
      name: "mocha (rest)",
      kind: "mocha",
      args: ["test", "mocha", "--bail", "--no-typechain", ...(first.length ? ["--no-compile"] : []), ...rest],
    });
  return phases;
}

interface Args {
  files: string[];
  ids: string[];
  operators: Operator[];
  limit: number;
  list: boolean;
  report: boolean;
  keep: boolean;
  worktree: boolean;
  resume: boolean;
  refresh: boolean;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = {
    files: [],
    ids: [],
    operators: [],
    limit: Infinity,
    list: false,
    report: true,
    keep: false,
    worktree: false,
    resume: false,
    refresh: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--file") args.files.push(value());
    else if (arg === "--id") args.ids.push(...value().split(","));
    else if (arg === "--operator") {
      const op = value() as Operator;
      if (!OPERATORS.includes(op)) throw new Error(`unknown operator ${op}: ${OPERATORS.join(", ")}`);
      args.operators.push(op);
    } else if (arg === "--limit") args.limit = Number(value());
    else if (arg === "--list") args.list = true;
    else if (arg === "--no-report") args.report = false;
    else if (arg === "--keep") args.keep = true;
    else if (arg === "--worktree") args.worktree = true;
    else if (arg === "--resume") args.resume = true;
    else if (arg === "--refresh") args.refresh = true;
    else throw new Error(`unknown option ${arg}`);
  }
  return args;
}

function listSolidity(root: string, dir = "contracts"): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (rel !== "contracts/test") out.push(...listSolidity(root, rel));
    } else if (entry.name.endsWith(".sol")) out.push(rel);
  }
  return out.sort();
}

export function catalogue(root: string): { files: string[]; mutants: Mutant[] } {
  const files = listSolidity(root);
  const sources = files.map((file) => fs.readFileSync(path.join(root, file), "utf8"));
  const signatures = collectSignatures(sources);
  const stateVariables = collectStateVariables(sources);
  const mutants = files.flatMap((file, i) => generateMutants(file, sources[i], { signatures, stateVariables }));
  return { files, mutants };
}

/** Copies what the contract tests need into `work` (node_modules linked); returns what was copied. */
function snapshot(repo: string, work: string, worktree: boolean): string {
  if (worktree) {
    for (const entry of COPIED) {
      const from = path.join(repo, entry);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(work, entry), { recursive: true });
    }
  } else {
    const present = COPIED.filter((entry) => execFileSync("git", ["ls-files", "--", entry], { cwd: repo }).length > 0);
    const archive = execFileSync("git", ["archive", "--format=tar", "HEAD", ...present], {
      cwd: repo,
      maxBuffer: 1 << 30,
    });
    execFileSync("tar", ["-x", "-C", work], { input: archive });
  }
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(work, "node_modules"), "dir");
  if (worktree) return "the working tree";
  return `commit ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo }).toString().trim()}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const equivalentPath = path.join(repo, "mutation/equivalent.json");
  const reportPath = path.join(repo, "mutation/report.json");
  const equivalents: Equivalent[] = fs.existsSync(equivalentPath)
    ? JSON.parse(fs.readFileSync(equivalentPath, "utf8"))
    : [];
  const equivalentById = new Map(equivalents.map((e) => [e.id, e]));

  // Everything happens in a copy: of the last commit (a consistent state while others edit the working
  // tree), or of the working tree with --worktree.
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "harmonie-mutate-"));
  const cleanup = () => {
    killGroup(running);
    if (args.keep) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      cleanup();
      process.exit(130);
    });
  const source = snapshot(repo, work, args.worktree);

  const results = new Map<string, ReportEntry>();
  let inScope: string[] = [];
  let scoped: Mutant[] = [];
  let selected: Mutant[] = [];
  try {
    const { files, mutants: everything } = catalogue(work);
    const patterns = args.files.map(globToRegExp);
    inScope = files.filter((file) => patterns.length === 0 || patterns.some((p) => p.test(file)));
    if (inScope.length === 0) throw new Error(`no file in contracts/ matches ${args.files.join(", ")}`);
    scoped = everything.filter((m) => inScope.includes(m.file));
    const known = new Set(everything.map((m) => m.id));
    for (const e of equivalents)
      if (!known.has(e.id) && inScope.some((f) => e.location.startsWith(f + ":")))
        console.warn(`warning: mutation/equivalent.json lists ${e.id} (${e.location}), no longer in the catalogue`);
    selected = scoped.filter(
      (m) =>
        (args.ids.length === 0 || args.ids.includes(m.id)) &&
        (args.operators.length === 0 || args.operators.includes(m.operator)),
    );
    // The most telling operators first, so that a run cut short has done those.
    selected.sort((a, b) => RUN_ORDER.indexOf(a.operator) - RUN_ORDER.indexOf(b.operator));
    if (args.resume && fs.existsSync(reportPath)) {
      // Survivors run again: a test may have been added for them since.
      const previous = JSON.parse(fs.readFileSync(reportPath, "utf8")) as Report;
      const done = new Set(previous.mutants.filter((e) => e.status !== "survived").map((e) => e.id));
      selected = selected.filter((m) => !done.has(m.id));
    }
    selected = selected.slice(0, args.limit);

    if (args.list) {
      for (const m of selected) {
        const tag = equivalentById.has(m.id) ? "  [equivalent]" : "";
        console.log(
          `${m.id}  ${m.file}:${m.line}:${m.column}  ${m.operator}  \`${m.original.replace(/\s+/g, " ")}\` → \`${m.replacement}\`${tag}`,
        );
      }
      const byOperator = OPERATORS.map((op) => `${op} ${selected.filter((m) => m.operator === op).length}`).join(", ");
      console.log(`\n${selected.length} mutants in ${inScope.length} files (${byOperator}), from ${source}`);
      return;
    }
    if (args.refresh) {
      // Rewrites the report from the current catalogue (locations, texts, counts) without running anything.
      writeReport(reportPath, inScope, scoped, [], false, equivalentById);
      console.log(`rewrote ${path.relative(repo, reportPath)} from ${source}`);
      return;
    }
    console.log(`work directory ${work}, a copy of ${source}`);

    // Baseline: the copy must compile and pass every test, and its times set the timeouts.
    console.log("baseline: compiling and running every contract test in the copy…");
    const build = await run(work, ["build", "--no-typechain", "--quiet"], 30 * 60_000);
    if (build.code !== 0) throw new Error(`baseline build failed:\n${build.output}`);
    const baselineMocha = await run(work, ["test", "mocha", "--no-compile", "--no-typechain"], 30 * 60_000);
    if (baselineMocha.code !== 0) throw new Error(`baseline mocha tests fail in the copy:\n${baselineMocha.output}`);
    const baselineSolidity = await run(work, ["test", "solidity", "--no-compile", "--no-typechain"], 30 * 60_000);
    if (baselineSolidity.code !== 0)
      throw new Error(`baseline Solidity tests fail in the copy:\n${baselineSolidity.output}`);
    // A mutant also recompiles, and the machine is shared: generous, but a hung mutant still ends.
    const timeouts = { mocha: 3 * baselineMocha.ms + 90_000, solidity: 3 * baselineSolidity.ms + 90_000 };
    console.log(
      `baseline passes: build ${seconds(build.ms)}, mocha ${seconds(baselineMocha.ms)}, solidity ${seconds(baselineSolidity.ms)}; ` +
        `timeouts mocha ${seconds(timeouts.mocha)}, solidity ${seconds(timeouts.solidity)}`,
    );

    const phaseCache = new Map<string, Phase[]>();
    for (const [n, mutant] of selected.entries()) {
      const location = `${mutant.file}:${mutant.line}:${mutant.column}`;
      const entry = entryOf(mutant);
      const prefix = `[${n + 1}/${selected.length}] ${location} ${mutant.operator} \`${entry.original}\` → \`${mutant.replacement}\``;
      const equivalent = equivalentById.get(mutant.id);
      if (equivalent) {
        results.set(mutant.id, { ...entry, status: "equivalent", reason: equivalent.reason });
        console.log(`${prefix}: equivalent (listed)`);
        continue;
      }
      const target = path.join(work, mutant.file);
      const original = fs.readFileSync(target, "utf8");
      fs.writeFileSync(target, applyMutant(original, mutant));
      const t0 = Date.now();
      try {
        if (!phaseCache.has(mutant.file)) phaseCache.set(mutant.file, phasesFor(work, mutant.file));
        for (const phase of phaseCache.get(mutant.file)!) {
          const result = await run(work, phase.args, timeouts[phase.kind]);
          if (result.timedOut) {
            Object.assign(entry, { status: "timeout", killedBy: `${phase.name} (timed out)` });
            break;
          }
          if (result.code === 0) continue;
          if (compileFailed(result.output)) {
            entry.status = "invalid";
            break;
          }
          const failure = firstFailure(result.output);
          Object.assign(entry, { status: "killed", killedBy: failure ? `${phase.name}: ${failure}` : phase.name });
          break;
        }
      } finally {
        fs.writeFileSync(target, original);
      }
      results.set(mutant.id, entry);
      // Written after every mutant, so a run cut short keeps what it did (`--resume` continues it).
      if (args.report) writeReport(reportPath, inScope, scoped, [...results.values()], false, equivalentById);
      const how = entry.killedBy ? ` by ${entry.killedBy}` : entry.status === "survived" ? `: ${entry.mutated}` : "";
      console.log(`${prefix}: ${entry.status.toUpperCase()}${how} (${seconds(Date.now() - t0)})`);
    }
  } finally {
    cleanup();
  }

  const ran = [...results.values()];
  const counts = countResults(ran);
  console.log(`\n${"=".repeat(100)}`);
  for (const file of inScope) {
    const c = countResults(ran.filter((e) => e.location.startsWith(file + ":")));
    if (c.total) console.log(`${file}: ${formatCounts(c)}`);
  }
  console.log(`total: ${formatCounts(counts)} in ${seconds(Date.now() - started)}`);
  const survivors = ran.filter((e) => e.status === "survived");
  if (survivors.length) {
    console.log("\nsurvivors:");
    for (const s of survivors) console.log(`  ${s.id}  ${s.location}  ${s.operator}: ${s.mutated}`);
  }

  if (args.report) {
    writeReport(
      reportPath,
      inScope,
      scoped,
      ran,
      args.ids.length === 0 && args.operators.length === 0 && selected.length === scoped.length,
      equivalentById,
    );
    console.log(`\nwrote ${path.relative(repo, reportPath)}`);
  }
  if (counts.score !== null && counts.score < 95) {
    console.error(`mutation score ${counts.score}% is below 95%`);
    process.exitCode = 1;
  }
}

function formatCounts(c: Counts): string {
  const score = c.score === null ? "n/a" : `${c.score}%`;
  return `${c.total} mutants: ${c.killed} killed, ${c.timeout} timeout, ${c.survived} survived, ${c.equivalent} equivalent, ${c.invalid} invalid; score ${score}`;
}

interface Report {
  generatedAt: string;
  command: string;
  scoreDefinition: string;
  summary: Counts;
  files: Record<string, Counts & { catalogue: number; complete: boolean }>;
  mutants: ReportEntry[];
}

export function compareEntries(a: ReportEntry, b: ReportEntry): number {
  const [fa, la, ca] = a.location.split(":");
  const [fb, lb, cb] = b.location.split(":");
  return fa.localeCompare(fb) || Number(la) - Number(lb) || Number(ca) - Number(cb) || a.id.localeCompare(b.id);
}

function entryOf(mutant: Mutant): ReportEntry {
  return {
    id: mutant.id,
    location: `${mutant.file}:${mutant.line}:${mutant.column}`,
    operator: mutant.operator,
    original: mutant.original.replace(/\s+/g, " "),
    replacement: mutant.replacement,
    mutated: mutant.mutated,
    status: "survived",
  };
}

function writeReport(
  reportPath: string,
  inScope: string[],
  scoped: Mutant[],
  ran: ReportEntry[],
  wholeScope: boolean,
  equivalents: Map<string, Equivalent>,
) {
  const previous: Report | undefined = fs.existsSync(reportPath)
    ? JSON.parse(fs.readFileSync(reportPath, "utf8"))
    : undefined;
  const catalogueIds = new Set(scoped.map((m) => m.id));
  const byId = new Map<string, ReportEntry>();
  for (const entry of previous?.mutants ?? []) {
    const file = entry.location.split(":")[0];
    // A file in scope keeps only mutants still in its catalogue (and all of them, when run whole, are rerun).
    if (inScope.includes(file) && (wholeScope || !catalogueIds.has(entry.id))) continue;
    byId.set(entry.id, entry);
  }
  for (const entry of ran) byId.set(entry.id, entry);
  // Listed equivalents need no run; an entry no longer listed as equivalent needs one.
  for (const m of scoped) {
    const equivalent = equivalents.get(m.id);
    if (equivalent) byId.set(m.id, { ...entryOf(m), status: "equivalent", reason: equivalent.reason });
    else if (byId.get(m.id)?.status === "equivalent") byId.delete(m.id);
  }
  // Refresh locations and texts of kept entries whose line moved.
  const current = new Map(scoped.map((m) => [m.id, m]));
  const mutants = [...byId.values()]
    .map((entry) => {
      const m = current.get(entry.id);
      return m ? { ...entry, location: `${m.file}:${m.line}:${m.column}`, mutated: m.mutated } : entry;
    })
    .sort(compareEntries);
  const files: Report["files"] = {};
  const fileNames = [...new Set([...Object.keys(previous?.files ?? {}), ...inScope])].sort();
  for (const file of fileNames) {
    const entries = mutants.filter((e) => e.location.startsWith(file + ":"));
    if (!entries.length) continue;
    const catalogueSize = inScope.includes(file)
      ? scoped.filter((m) => m.file === file).length
      : (previous?.files[file]?.catalogue ?? entries.length);
    files[file] = { ...countResults(entries), catalogue: catalogueSize, complete: entries.length === catalogueSize };
  }
  const report: Report = {
    generatedAt: new Date().toISOString(),
    command: "npm run mutate",
    scoreDefinition: "(killed + timeout) / (killed + timeout + survived); equivalent and invalid mutants excluded",
    summary: countResults(mutants),
    files,
    mutants,
  };
  fs.mkdirSync(path.dirname(reportPath), { recursive: true });
  fs.writeFileSync(reportPath, JSON.stringify(report, null, 2) + "\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
