import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ROOT } from "./local-chain.ts";
import { rehearseTestnet2 } from "./rehearse-testnet2.ts";
import { type CoreScanStandIn, solcVersionOf, startCoreScanStandIn } from "../testkit/src/stand-ins/core-scan.ts";

// Runtime code ending in solc's CBOR metadata: ipfs hash, then "solc" → 0.8.28 (0x00081c), length 0x33.
const CODE = `0x6080${"00".repeat(8)}a2646970667358221220${"ab".repeat(32)}64736f6c634300081c0033`;
const DEPLOYED = "0x00000000000000000000000000000000000000c0";

describe("Core Scan stand-in", () => {
  let chain: Server;
  let scan: CoreScanStandIn;

  before(async () => {
    // Just enough of a chain: 1114, one contract with code, no blocks to find its creation in.
    chain = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const { id, method, params } = JSON.parse(body);
        const result = {
          eth_chainId: "0x45a",
          eth_blockNumber: "0x0",
          eth_getCode: params?.[0]?.toLowerCase() === DEPLOYED ? CODE : "0x",
          eth_getBlockByNumber: { transactions: [] },
        }[method as string];
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id, result }));
      });
    });
    await new Promise<void>((resolve) => chain.listen(0, "127.0.0.1", resolve));
    const rpcUrl = `http://127.0.0.1:${(chain.address() as AddressInfo).port}`;
    scan = await startCoreScanStandIn({ rpcUrl, pendingPolls: 1 });
  });

  after(async () => {
    await scan.stop();
    await new Promise((resolve) => chain.close(resolve));
  });

  const call = async (query: Record<string, string>, form?: Record<string, string>) => {
    const url = `${scan.apiUrl}?${new URLSearchParams(query)}`;
    const response = await fetch(url, {
      method: form ? "POST" : "GET",
      ...(form && {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      }),
    });
    assert.equal(response.status, 200, "Etherscan answers errors with HTTP 200 and status 0");
    return (await response.json()) as { status: string; message: string; result: unknown };
  };
  const verifyQuery = { module: "contract", action: "verifysourcecode", chainid: "1114", apikey: "key" };
  const submission = (overrides: Record<string, string> = {}) => ({
    contractaddress: DEPLOYED,
    sourceCode: JSON.stringify({
      language: "Solidity",
      sources: { "project/contracts/A.sol": { content: "pragma solidity 0.8.28; contract A {}" } },
      settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } },
    }),
    codeformat: "solidity-standard-json-input",
    contractname: "project/contracts/A.sol:A",
    compilerversion: "v0.8.28+commit.7893614a",
    constructorArguments: "",
    ...overrides,
  });

  it("answers getsourcecode with an empty SourceCode for an unverified address", async () => {
    const answer = await call({
      module: "contract",
      action: "getsourcecode",
      chainid: "1114",
      apikey: "k",
      address: DEPLOYED,
    });
    assert.equal(answer.status, "1");
    assert.equal((answer.result as { SourceCode: string }[])[0].SourceCode, "");
  });

  it("refuses malformed requests the way Etherscan does, and lists each problem", async () => {
    const cases: [Record<string, string>, Record<string, string> | undefined, RegExp][] = [
      [{ ...verifyQuery, apikey: "" }, submission(), /API Key/],
      [{ ...verifyQuery, action: "verifyproxycontract" }, submission(), /Missing or invalid action/],
      [{ ...verifyQuery, chainid: "1116" }, submission(), /chainid/],
      [verifyQuery, undefined, /POST only/],
      [verifyQuery, submission({ codeformat: "solidity-single-file" }), /codeformat/],
      [verifyQuery, submission({ sourceCode: "contract A {}" }), /not JSON/],
      [verifyQuery, submission({ contractname: "A" }), /path\/File\.sol:Name/],
      [verifyQuery, submission({ contractname: "project/contracts/B.sol:B" }), /not among the submitted sources/],
      [verifyQuery, submission({ contractname: "project/contracts/A.sol:C" }), /declares no contract C/],
      [verifyQuery, submission({ compilerversion: "0.8.28" }), /compilerversion/],
      [verifyQuery, submission({ constructorArguments: "0xzz" }), /not hex/],
      [{ ...verifyQuery, action: "checkverifystatus", guid: "nope" }, undefined, /Unable to locate guid/],
    ];
    for (const [query, form, message] of cases) {
      const answer = await call(query, form);
      assert.equal(answer.status, "0", JSON.stringify(query));
      assert.match(String(answer.result), message);
    }
    assert.equal(scan.problems().length, cases.length);
    scan.requests.length = 0;
  });

  it("tells hardhat-verify when there is no code at the address", async () => {
    const answer = await call(verifyQuery, submission({ contractaddress: `0x${"11".repeat(20)}` }));
    assert.deepEqual(answer, {
      status: "0",
      message: "NOTOK",
      result: `Unable to locate ContractCode at 0x${"11".repeat(20)}`,
    });
  });

  it("takes a well-formed submission, keeps it pending, then fails it without a creation transaction", async () => {
    const receipt = await call(verifyQuery, submission());
    assert.equal(receipt.status, "1");
    assert.match(String(receipt.result), /^[a-z0-9]{50}$/);
    const status = { ...verifyQuery, action: "checkverifystatus", guid: String(receipt.result) };
    assert.equal((await call(status)).result, "Pending in queue");
    let answer = await call(status);
    for (let polls = 0; answer.result === "Pending in queue" && polls < 50; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = await call(status);
    }
    assert.match(String(answer.result), /^Fail - Unable to verify\. No creation transaction/);
    assert.deepEqual(scan.problems(), []);
    assert.equal(scan.verified.size, 0);
  });

  it("reads the solc version from the runtime code's metadata", () => {
    assert.deepEqual(solcVersionOf(CODE), [0, 8, 28]);
    assert.equal(solcVersionOf("0x6080"), undefined);
  });
});

// Compiles each of the eight contracts again inside the stand-in (a solc worker) and runs a whole
// proposal: ~2 min on a quiet 2-core machine, over 5 min when other builds share it.
describe("npm run rehearse:testnet2", { timeout: 600_000 }, () => {
  it("deploys to a chain-1114 node, verifies every contract on the Core Scan stand-in and passes a fee raise through the DAO", async (t) => {
    const status = () =>
      execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: ROOT, encoding: "utf8" });
    const repoBefore = status();
    const report = await rehearseTestnet2();
    t.diagnostic(`timings (s): ${JSON.stringify(report.timings)}`);

    // Every contract of deployments/1114.json, with the parameters file's settings, is in Ignition's journal.
    assert.equal(report.deployment.chainId, 1114);
    assert.equal(report.deployment.network, "coreTestnet2");
    const journaled = report.contracts.map(({ address }) => address);
    for (const { address } of Object.values(report.deployment.contracts)) assert.ok(journaled.includes(address));
    assert.ok(report.contracts.length >= 7);

    // The requests hardhat-verify 3 makes, as the stand-in received them (the shape Core Scan must accept).
    const shape = (action: string) => report.scan.requests.filter((request) => request.action === action);
    const keys = (params: Record<string, string>) => Object.keys(params).sort();
    for (const request of shape("getsourcecode")) {
      assert.equal(request.method, "GET");
      assert.deepEqual(keys(request.query), ["action", "address", "apikey", "chainid", "module"]);
      assert.equal(request.query.chainid, "1114");
    }
    for (const request of shape("checkverifystatus")) {
      assert.equal(request.method, "GET");
      assert.deepEqual(keys(request.query), ["action", "apikey", "chainid", "guid", "module"]);
    }
    const submissions = shape("verifysourcecode");
    assert.equal(submissions.length, report.contracts.length, "one submission per contract: none needed the retry");
    for (const request of submissions) {
      assert.equal(request.method, "POST");
      assert.deepEqual(keys(request.query), ["action", "apikey", "chainid", "module"]);
      assert.deepEqual(keys(request.form), [
        "codeformat",
        "compilerversion",
        "constructorArguments",
        "contractaddress",
        "contractname",
        "sourceCode",
      ]);
      assert.equal(request.form.compilerversion, "v0.8.28+commit.7893614a");
      assert.equal(JSON.parse(request.form.sourceCode).settings.evmVersion, "cancun");
    }
    assert.deepEqual(report.scan.problems, []);

    // Each contract verified once, its submission compiled to exactly the deployed code.
    for (const { contract, address } of report.contracts) {
      const verified = report.scan.verified.get(address.toLowerCase());
      assert.ok(verified, `${contract} verified`);
      assert.ok(
        verified.checks.some((check) => /compiles to the deployed runtime code/.test(check)),
        contract,
      );
      assert.ok(
        verified.checks.some((check) => /ends with the constructor arguments/.test(check)),
        contract,
      );
    }
    // `npm run verify` found the hand-verified contract already verified and exited 0 anyway.
    const filled = shape("getsourcecode").filter((r) => (r.response.result as { SourceCode: string }[])[0].SourceCode);
    assert.equal(filled.length, 1);
    assert.match(report.manualVerify.command, /^npx hardhat verify --network coreTestnet2 0x[0-9a-fA-F]{40}( \S+)*$/);

    // The DAO raised the tipping fee; it is in force after the notice period.
    assert.deepEqual(report.dao.states, ["Pending", "Succeeded", "Executed"]);
    assert.equal(report.dao.feeAfter, report.dao.feeBefore + 50);

    assert.equal(status(), repoBefore, "the rehearsal leaves the repository as it found it");
  });
});
