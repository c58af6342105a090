import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  applyMutant,
  catalogue,
  collectSignatures,
  collectStateVariables,
  countResults,
  firstFailure,
  generateMutants,
  globToRegExp,
  maskSource,
  type Mutant,
  parseArgs,
} from "./mutate.ts";

const FILE = "contracts/Snippet.sol";

/** `generateMutants` over a snippet, as `[operator, line, original → replacement]` strings. */
function mutantsOf(source: string, operator?: Mutant["operator"]) {
  return generateMutants(FILE, source)
    .filter((m) => operator === undefined || m.operator === operator)
    .map((m) => `${m.operator} ${m.line}: ${m.original.replace(/\s+/g, " ")} → ${m.replacement}`);
}

const contract = (body: string, extra = "") => `// SPDX-License-Identifier: MIT
pragma solidity >=0.8.0 <0.9.0;

import {Thing} from "./Thing.sol";

contract Snippet {
    uint256 private total;
    mapping(address => uint256) private credits;
    uint256 public constant LIMIT = 10 * 2;
    uint256 public immutable floor;
${extra}
${body}
}
`;

describe("mutation generator", () => {
  it("swaps each comparison operator with its neighbour, and never `=>`, `<<`, `>>` or the pragma", () => {
    const source = contract(`    function f(uint256 a, uint256 b) external pure returns (bool) {
        return a < b && a <= b && a > b && a >= b && a == b && a != b && (a << 1) > (b >> 1);
    }`);
    assert.deepEqual(mutantsOf(source, "comparison"), [
      "comparison 13: < → <=",
      "comparison 13: <= → <",
      "comparison 13: > → >=",
      "comparison 13: >= → >",
      "comparison 13: == → !=",
      "comparison 13: != → ==",
      "comparison 13: > → >=",
    ]);
  });

  it("swaps + - * / and compound += -=, but not unary minus, ++ or **", () => {
    const source = contract(`    function f(int256 a, int256 b) external returns (int256 c) {
        c = a + b - a * b / a;
        c = -a + (-b);
        c = a ** 2;
        total += 1;
        total -= 1;
        ++total;
    }`);
    assert.deepEqual(mutantsOf(source, "arithmetic"), [
      "arithmetic 9: * → /", // the constant's expression is code too
      "arithmetic 13: + → -",
      "arithmetic 13: - → +",
      "arithmetic 13: * → /",
      "arithmetic 13: / → *",
      "arithmetic 14: + → -",
      "arithmetic 16: += → -=",
      "arithmetic 17: -= → +=",
    ]);
  });

  it("never mutates string literals or comments", () => {
    const source = contract(`    // a < b + c; require(x); total = 1;
    /* a == b
       total -= 2; */
    function f() external pure returns (string memory) {
        /// @dev x > y
        return "a < b + c - d * e / f; require(x); '==' \\" != ";
    }`);
    // Only the constant's `10 * 2` in the surrounding contract.
    assert.deepEqual(mutantsOf(source), ["arithmetic 9: * → /"]);
    const masked = maskSource(source);
    assert.equal(masked.length, source.length);
    assert.equal(masked.split("\n").length, source.split("\n").length);
  });

  it("removes a `require` spanning several lines whole, with the right line number", () => {
    const source = contract(`    function f(uint256 a) external view {
        require(
            a < LIMIT && a != floor,
            "a; is out of range"
        );
        if (a == 0) require(msg.sender != address(0), "zero");
    }`);
    const removals = generateMutants(FILE, source).filter((m) => m.operator === "require");
    assert.equal(removals.length, 2);
    assert.equal(removals[0].line, 13);
    assert.equal(removals[0].column, 9);
    assert.match(removals[0].original, /^require\(\n[\s\S]*"a; is out of range"\n\s*\);$/);
    assert.equal(removals[0].replacement, "");
    assert.doesNotMatch(applyMutant(source, removals[0]), /require\(\n|out of range/);
    // Under an `if` without braces the statement becomes an empty block, not the next statement.
    assert.equal(removals[1].line, 17);
    assert.equal(removals[1].replacement, "{}");
    assert.match(applyMutant(source, removals[1]), /if \(a == 0\) \{\}\n/);
  });

  it("removes modifiers from function headers, but not visibility, returns or override", () => {
    const source = contract(
      `    function f() external nonReentrant onlyRole(ADMIN) whenNotPaused returns (uint256) {
        return 1;
    }
    function g() public view override(A, B) returns (uint256) {
        return 2;
    }`,
      `    modifier nonReentrant() {
        _;
    }`,
    );
    const removals = generateMutants(FILE, source).filter((m) => m.operator === "modifier");
    assert.deepEqual(
      removals.map((m) => m.original),
      ["nonReentrant ", "onlyRole(ADMIN) ", "whenNotPaused "],
    );
    assert.equal(removals[0].line, 14);
    assert.equal(
      applyMutant(source, removals[1]).split("\n")[13],
      "    function f() external nonReentrant whenNotPaused returns (uint256) {",
    );
  });

  it("removes writes to storage (assignments, delete, +=, push/pop, storage pointers), not to locals", () => {
    const source = contract(`    struct Tab {
        uint256 balance;
    }
    mapping(address => Tab) private tabs;
    uint256[] private list;

    function f(address who, uint256 amount) external {
        uint256 local = amount;
        local = local + 1;
        Tab memory copy = tabs[who];
        copy.balance = 0;
        Tab storage tab = tabs[who];
        tab.balance = local;
        total = amount;
        credits[who] += amount;
        delete tabs[who];
        list.push(amount);
        list.pop();
        if (amount != 0) total++;
        (local, total) = (1, 2);
        (uint256 x, uint256 y) = (local, amount);
    }`);
    assert.deepEqual(mutantsOf(source, "state-write"), [
      "state-write 24: tab.balance = local; → ",
      "state-write 25: total = amount; → ",
      "state-write 26: credits[who] += amount; → ",
      "state-write 27: delete tabs[who]; → ",
      "state-write 28: list.push(amount); → ",
      "state-write 29: list.pop(); → ",
      "state-write 30: total++; → {}",
      "state-write 31: (local, total) = (1, 2); → ",
    ]);
    assert.deepEqual([...collectStateVariables([source])].sort(), ["credits", "list", "tabs", "total"]);
  });

  it("swaps neighbouring same-typed arguments of the project's own functions and events", () => {
    const source = contract(`    event Paid(address indexed from, address indexed to, uint256 amount, uint128 fee);

    function _send(address token, address to, uint256 amount, uint256 fee) private {}

    function f(address a, address b, uint256 x) external {
        _send(a, b, x, x + 1);
        _send(a, a, x, 2);
        emit Paid(a, b, x, 1);
        other(a, b);
    }`);
    assert.deepEqual(mutantsOf(source, "swap-args"), [
      "swap-args 17: a, b → b, a",
      "swap-args 17: x, x + 1 → x + 1, x",
      "swap-args 18: x, 2 → 2, x",
      "swap-args 19: a, b → b, a",
    ]);
    const signatures = collectSignatures([source]);
    assert.deepEqual(signatures.get("_send"), [["address", "address", "uint256", "uint256"]]);
    assert.deepEqual(signatures.get("Paid"), [["address", "address", "uint256", "uint128"]]);
  });

  it("skips inline assembly and gives stable ids that survive unrelated edits above", () => {
    const body = `    function f(uint256 a) external pure returns (uint256 r) {
        assembly {
            r := add(a, 1)
        }
        r = r + a;
    }`;
    const before = generateMutants(FILE, contract(body));
    assert.deepEqual(
      before.map((m) => `${m.operator} ${m.line}`),
      ["arithmetic 9", "arithmetic 16"],
    );
    const after = generateMutants(FILE, contract(body, "    uint256 private added;\n"));
    assert.deepEqual(
      after.map((m) => m.line),
      [9, 17],
    );
    assert.deepEqual(
      after.map((m) => m.id),
      before.map((m) => m.id),
    );
    assert.equal(new Set(before.map((m) => m.id)).size, before.length);
  });

  it("finds a catalogue in the real contracts, every mutant changing the source", () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
    const { files, mutants } = catalogue(root);
    assert.ok(files.includes("contracts/tipping/HarmonieTipping.sol"));
    assert.ok(!files.some((f) => f.startsWith("contracts/test/")));
    const tipping = mutants.filter((m) => m.file === "contracts/tipping/HarmonieTipping.sol");
    for (const operator of ["comparison", "arithmetic", "require", "modifier", "state-write", "swap-args"])
      assert.ok(
        tipping.some((m) => m.operator === operator),
        operator,
      );
    // `nonReentrant` on withdrawFor, whose header spans several lines (a fund bug that used to survive).
    const lines = fs.readFileSync(path.join(root, "contracts/tipping/HarmonieTipping.sol"), "utf8").split("\n");
    const header = lines.findIndex((line) => line.includes("function withdrawFor(")) + 1;
    assert.ok(
      tipping.some(
        (m) =>
          m.operator === "modifier" && m.original.startsWith("nonReentrant") && m.line > header && m.line < header + 10,
      ),
    );
    assert.equal(new Set(mutants.map((m) => m.id)).size, mutants.length);
    for (const m of mutants) assert.notEqual(m.original, m.replacement);
  });
});

describe("mutation runner helpers", () => {
  it("parses options", () => {
    const args = parseArgs(["--file", "contracts/tipping/*.sol", "--limit", "10", "--id", "a,b", "--list"]);
    assert.deepEqual(args.files, ["contracts/tipping/*.sol"]);
    assert.equal(args.limit, 10);
    assert.deepEqual(args.ids, ["a", "b"]);
    assert.equal(args.list, true);
    assert.throws(() => parseArgs(["--jobs", "2"]), /unknown option/);
  });

  it("matches globs against repository paths", () => {
    assert.ok(globToRegExp("contracts/tipping/HarmonieTipping.sol").test("contracts/tipping/HarmonieTipping.sol"));
    assert.ok(globToRegExp("contracts/**/*.sol").test("contracts/tipping/HarmonieTipping.sol"));
    assert.ok(globToRegExp("contracts/*/Harmonie*.sol").test("contracts/tipping/HarmonieTipping.sol"));
    assert.ok(!globToRegExp("contracts/*.sol").test("contracts/tipping/HarmonieTipping.sol"));
  });

  it("scores killed and timed-out mutants over all non-equivalent, valid ones", () => {
    const statuses = ["killed", "killed", "timeout", "survived", "equivalent", "invalid"] as const;
    const counts = countResults(statuses.map((status) => ({ status })));
    assert.deepEqual(counts, {
      total: 6,
      killed: 2,
      timeout: 1,
      survived: 1,
      equivalent: 1,
      invalid: 1,
      score: 75,
    });
    assert.equal(countResults([]).score, null);
  });

  it("reads the first failing test from mocha output", () => {
    const output = `  0 passing (3s)
  1 failing

  1) HarmonieTipping
       withdrawFor
         rejects an expired signature:
     AssertionError: Expected transaction to be reverted
`;
    assert.equal(firstFailure(output), "HarmonieTipping › withdrawFor › rejects an expired signature");
  });
});
