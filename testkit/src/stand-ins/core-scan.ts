/**
 * A local stand-in for Core Scan's Etherscan-compatible API (https://openapi.coredao.org/api, testnet2
 * https://api.test2.btcs.network/api): it answers exactly the requests hardhat-verify 3 makes, checks
 * their shape and checks the submission against the chain it is pointed at. It is a stand-in, not Core
 * Scan: it cannot tell whether Core Scan offers a compiler version (scan.coredao.org/solcversions).
 *
 *   GET  ?module=contract&action=getsourcecode&address=…&chainid=…&apikey=…
 *   POST ?module=contract&action=verifysourcecode&chainid=…&apikey=…   (form: contractaddress, sourceCode,
 *        codeformat, contractname, compilerversion, constructorArguments)
 *   GET  ?module=contract&action=checkverifystatus&guid=…&chainid=…&apikey=…
 *
 * Answers are Etherscan's: `{"status":"1","message":"OK","result":"<guid>"}`, then "Pending in queue"
 * (status 0) while it checks, then "Pass - Verified" or "Fail - Unable to verify. …"; getsourcecode
 * returns an empty SourceCode until the address is verified. A malformed request gets status 0 and is
 * listed in `problems`. With `compile`, the submitted standard JSON is compiled with solc-js (the `solc`
 * npm package, when it is the submitted version) and the runtime code must match the chain's.
 *
 *   node testkit/src/stand-ins/core-scan.ts --rpc-url http://127.0.0.1:8545 [--port 0] [--compile]
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { rpc } from "../../../scripts/local-chain.ts";
import { localUrl } from "../../../sdk/src/stack-config.ts";

export interface StandInOptions {
  /** The chain the explorer indexes (a Hardhat node). */
  rpcUrl: string;
  /** 0 (default) for a free port on 127.0.0.1. */
  port?: number;
  /** When set, only this API key is accepted; otherwise any non-empty key. */
  apiKey?: string;
  /** How many checkverifystatus polls answer "Pending in queue" before the result (default 1). */
  pendingPolls?: number;
  /** Compile each submission with solc-js and compare the runtime code with the chain's. */
  compile?: boolean;
  log?: (line: string) => void;
}

/** One request as the stand-in received it. */
export interface StandInRequest {
  method: string;
  /** The query string's parameters. */
  query: Record<string, string>;
  /** The form body's parameters (POST). */
  form: Record<string, string>;
  action: string;
  /** What was wrong with it; empty when well-formed. */
  problems: string[];
  /** The answer sent (Etherscan's JSON). */
  response: { status: string; message: string; result: unknown };
}

/** A verification submission, as parsed from verifysourcecode. */
export interface Submission {
  guid: string;
  address: string;
  contractName: string;
  compilerVersion: string;
  constructorArguments: string;
  /** Which form field carried them: hardhat-verify 3 sends `constructorArguments` (Etherscan v2's name). */
  constructorArgumentsField: "constructorArguments" | "constructorArguements" | null;
  input: { language: string; sources: Record<string, { content: string }>; settings: Record<string, unknown> };
  /** Checks made against the chain, e.g. "creation input ends with the constructor arguments". */
  checks: string[];
  result?: string;
}

export interface CoreScanStandIn {
  /** The API URL to configure (`…/api`). */
  apiUrl: string;
  chainId: number;
  requests: StandInRequest[];
  /** Submissions by guid. */
  submissions: Map<string, Submission>;
  /** Verified contracts by lower-case address. */
  verified: Map<string, Submission>;
  /** Every problem found in any request. */
  problems(): string[];
  stop(): Promise<void>;
}

type Answer = { status: "0" | "1"; message: "OK" | "NOTOK"; result: unknown };
const ok = (result: unknown): Answer => ({ status: "1", message: "OK", result });
const notOk = (result: string): Answer => ({ status: "0", message: "NOTOK", result });

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const COMPILER_VERSION = /^v(\d+)\.(\d+)\.(\d+)\+commit\.[0-9a-f]{8}$/;
const CONTRACT_NAME = /^(.+\.sol):([A-Za-z_$][A-Za-z0-9_$]*)$/;
const HEX = /^([0-9a-fA-F]{2})*$/;
const ACTIONS = ["getsourcecode", "verifysourcecode", "checkverifystatus"];

/**
 * Starts the stand-in on 127.0.0.1.
 *
 * @example
 * const scan = await startCoreScanStandIn({ rpcUrl: chain.rpcUrl });
 * // CORE_TESTNET2_SCAN_API_URL=scan.apiUrl npx hardhat verify --network coreTestnet2 <address> …
 * await scan.stop();
 */
export async function startCoreScanStandIn(options: StandInOptions): Promise<CoreScanStandIn> {
  const log = options.log ?? (() => {});
  const chainId = Number(await rpc<string>(options.rpcUrl, "eth_chainId"));
  const requests: StandInRequest[] = [];
  const submissions = new Map<string, Submission>();
  const verified = new Map<string, Submission>();
  const polls = new Map<string, number>();
  const outcomes = new Map<string, Promise<string>>();
  const creations = new CreationIndex(options.rpcUrl);
  const compiler = options.compile ? new Compiler() : undefined;

  async function answer(request: StandInRequest): Promise<Answer> {
    const params = { ...request.query, ...request.form };
    const problems = request.problems;
    if (!params.apikey) return (problems.push("no apikey"), notOk("Missing or invalid API Key"));
    if (options.apiKey !== undefined && params.apikey !== options.apiKey) {
      return (problems.push("wrong apikey"), notOk("Invalid API Key"));
    }
    if (params.module !== "contract" || !ACTIONS.includes(params.action)) {
      problems.push(`module/action ${params.module}/${params.action} is not one hardhat-verify uses`);
      return notOk("Error! Missing or invalid action name");
    }
    // hardhat-verify 3 always sends Etherscan v2's chainid; Core Scan's documented (v1) API has none.
    if (params.chainid !== undefined && Number(params.chainid) !== chainId) {
      return (problems.push(`chainid ${params.chainid} is not this chain's (${chainId})`), notOk("Invalid chainid"));
    }

    if (params.action === "getsourcecode") {
      if (request.method !== "GET") problems.push("getsourcecode is a GET");
      if (!ADDRESS.test(params.address ?? "")) {
        return (problems.push(`address "${params.address}"`), notOk("Error! Invalid address format"));
      }
      return ok([sourceCodeEntry(verified.get(params.address.toLowerCase()))]);
    }

    if (params.action === "checkverifystatus") {
      if (request.method !== "GET") problems.push("checkverifystatus is a GET");
      const submission = submissions.get(params.guid ?? "");
      if (!submission) return (problems.push(`unknown guid "${params.guid}"`), notOk("Unable to locate guid"));
      const polled = (polls.get(submission.guid) ?? 0) + 1;
      polls.set(submission.guid, polled);
      const outcome = await settledOrPending(outcomes.get(submission.guid)!);
      if (outcome === undefined || polled <= (options.pendingPolls ?? 1)) return notOk("Pending in queue");
      submission.result = outcome;
      if (outcome !== "Pass - Verified") return notOk(outcome);
      verified.set(submission.address.toLowerCase(), submission);
      return ok(outcome);
    }

    // verifysourcecode: Core Scan "only supports HTTP POST due to max transfer size limitations".
    if (request.method !== "POST") return (problems.push("verifysourcecode must be a POST"), notOk("POST only"));
    const form = request.form;
    const bad = (problem: string) => (problems.push(problem), notOk(`Error! ${problem}`));
    if (!ADDRESS.test(form.contractaddress ?? "")) return bad(`contractaddress "${form.contractaddress}"`);
    if (form.codeformat !== "solidity-standard-json-input") {
      return bad(`codeformat "${form.codeformat}" (hardhat-verify submits solidity-standard-json-input)`);
    }
    let input: Submission["input"];
    try {
      input = JSON.parse(form.sourceCode ?? "");
    } catch {
      return bad("sourceCode is not JSON (standard-json input expected)");
    }
    if (input?.language !== "Solidity" || typeof input.sources !== "object" || !input.settings) {
      return bad("sourceCode is not a Solidity standard-json input (language, sources, settings)");
    }
    const empty = Object.entries(input.sources).filter(([, source]) => typeof source?.content !== "string");
    if (Object.keys(input.sources).length === 0 || empty.length > 0) {
      return bad(`sourceCode has no or empty sources (${empty.map(([name]) => name).join(", ")})`);
    }
    const name = CONTRACT_NAME.exec(form.contractname ?? "");
    if (!name) return bad(`contractname "${form.contractname}" is not "path/File.sol:Name"`);
    const source = input.sources[name[1]]?.content;
    if (source === undefined) return bad(`contractname's source ${name[1]} is not among the submitted sources`);
    if (!new RegExp(`\\b(contract|library)\\s+${name[2]}\\b`).test(source)) {
      return bad(`${name[1]} declares no contract ${name[2]}`);
    }
    const version = COMPILER_VERSION.exec(form.compilerversion ?? "");
    if (!version) return bad(`compilerversion "${form.compilerversion}" is not like v0.8.28+commit.7893614a`);
    const field =
      "constructorArguments" in form
        ? "constructorArguments"
        : "constructorArguements" in form
          ? "constructorArguements"
          : null;
    const args = (field ? form[field] : "").replace(/^0x/, "");
    if (!HEX.test(args)) return bad(`constructor arguments are not hex: "${args.slice(0, 40)}…"`);
    const address = form.contractaddress;
    if (verified.has(address.toLowerCase())) return notOk("Contract source code already verified");
    const code = await rpc<string>(options.rpcUrl, "eth_getCode", [address, "latest"]);
    if (code === "0x") return notOk(`Unable to locate ContractCode at ${address}`);

    const submission: Submission = {
      guid: guid(),
      address,
      contractName: form.contractname,
      compilerVersion: form.compilerversion,
      constructorArguments: args,
      constructorArgumentsField: field,
      input,
      checks: [],
    };
    submissions.set(submission.guid, submission);
    const outcome = check(submission, code, version.slice(1, 4).map(Number));
    outcome.then(
      (result) => log(`checked ${submission.contractName}: ${result}`),
      () => {},
    );
    outcomes.set(submission.guid, outcome);
    log(`verifysourcecode ${submission.contractName} at ${address} → ${submission.guid}`);
    return ok(submission.guid);
  }

  /** What Core Scan would conclude, as far as a stand-in can tell. */
  async function check(submission: Submission, code: string, version: number[]): Promise<string> {
    const fail = (why: string) => `Fail - Unable to verify. ${why}`;
    const deployedVersion = solcVersionOf(code);
    if (deployedVersion && deployedVersion.join(".") !== version.join(".")) {
      return fail(`The deployed code was compiled with solc ${deployedVersion.join(".")}, not ${version.join(".")}`);
    }
    submission.checks.push(`deployed code's metadata names solc ${deployedVersion?.join(".") ?? "(none)"}`);
    const creation = await creations.find(submission.address);
    if (!creation) return fail("No creation transaction found for the address");
    if (!creation.input.toLowerCase().endsWith(submission.constructorArguments.toLowerCase())) {
      return fail("The creation transaction does not end with the submitted (correct constructor arguments?)");
    }
    submission.checks.push(`creation tx ${creation.hash} ends with the constructor arguments`);
    if (compiler) {
      const match = await compiler.matches(submission, code);
      if (match !== true) return fail(match);
      submission.checks.push("the submitted standard JSON compiles to the deployed runtime code");
    }
    return "Pass - Verified";
  }

  const server = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        if (url.pathname !== "/api") return send(res, 404, { status: "0", message: "NOTOK", result: "Not found" });
        const form =
          req.method === "POST" && (req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
            ? Object.fromEntries(new URLSearchParams(body))
            : {};
        const query = Object.fromEntries(url.searchParams);
        const request: StandInRequest = {
          method: req.method ?? "GET",
          query,
          form,
          action: query.action ?? form.action ?? "",
          problems: [],
          response: notOk(""),
        };
        requests.push(request);
        request.response = await answer(request);
        log(`${request.method} ${request.action} → ${JSON.stringify(request.response).slice(0, 120)}`);
        send(res, 200, request.response);
      })
      .catch((error: Error) => send(res, 500, { status: "0", message: "NOTOK", result: error.message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    chainId,
    requests,
    submissions,
    verified,
    problems: () => requests.flatMap((r) => r.problems.map((p) => `${r.method} ${r.action}: ${p}`)),
    stop: async () => {
      await compiler?.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Etherscan's getsourcecode entry: empty fields for an unverified address. */
function sourceCodeEntry(submission: Submission | undefined) {
  if (!submission) {
    return {
      SourceCode: "",
      ABI: "Contract source code not verified",
      ContractName: "",
      CompilerVersion: "",
      OptimizationUsed: "",
      Runs: "",
      ConstructorArguments: "",
      EVMVersion: "",
      Library: "",
      LicenseType: "",
      Proxy: "0",
      Implementation: "",
      SwarmSource: "",
    };
  }
  const settings = submission.input.settings as {
    optimizer?: { enabled?: boolean; runs?: number };
    evmVersion?: string;
  };
  return {
    // Etherscan wraps a standard-json submission in double braces.
    SourceCode: `{${JSON.stringify(submission.input)}}`,
    ABI: "",
    ContractName: submission.contractName.split(":")[1],
    CompilerVersion: submission.compilerVersion,
    OptimizationUsed: settings.optimizer?.enabled ? "1" : "0",
    Runs: String(settings.optimizer?.runs ?? ""),
    ConstructorArguments: submission.constructorArguments,
    EVMVersion: settings.evmVersion ?? "Default",
    Library: "",
    LicenseType: "",
    Proxy: "0",
    Implementation: "",
    SwarmSource: "",
  };
}

/** The solc version in the CBOR metadata solc appends to runtime code (`…64736f6c6343 MM mm pp 0033`). */
export function solcVersionOf(code: string): number[] | undefined {
  const hex = code.toLowerCase().replace(/^0x/, "");
  const length = parseInt(hex.slice(-4), 16);
  const cbor = hex.slice(-(length * 2 + 4), -4);
  const at = cbor.lastIndexOf("64736f6c6343");
  if (at < 0) return undefined;
  const version = cbor.slice(at + 12, at + 18);
  return [0, 2, 4].map((i) => parseInt(version.slice(i, i + 2), 16));
}

/** Finds the transaction that created an address, scanning the (small) local chain's blocks once. */
class CreationIndex {
  private readonly rpcUrl: string;
  private scannedTo = -1;
  private readonly byAddress = new Map<string, { hash: string; input: string }>();

  constructor(rpcUrl: string) {
    this.rpcUrl = rpcUrl;
  }

  async find(address: string) {
    const latest = Number(await rpc<string>(this.rpcUrl, "eth_blockNumber"));
    for (let n = this.scannedTo + 1; n <= latest; n++) {
      const block = await rpc<{ transactions: { hash: string; to: string | null; input: string }[] }>(
        this.rpcUrl,
        "eth_getBlockByNumber",
        [`0x${n.toString(16)}`, true],
      );
      for (const tx of block.transactions) {
        if (tx.to !== null) continue;
        const receipt = await rpc<{ contractAddress: string | null }>(this.rpcUrl, "eth_getTransactionReceipt", [
          tx.hash,
        ]);
        if (receipt.contractAddress) this.byAddress.set(receipt.contractAddress.toLowerCase(), tx);
      }
      this.scannedTo = n;
    }
    return this.byAddress.get(address.toLowerCase());
  }
}

/** Compiles submissions with solc-js in a worker thread, so the server keeps answering meanwhile. */
class Compiler {
  private worker?: Worker;
  private next = 0;
  private readonly pending = new Map<number, (result: CompileResult) => void>();

  async matches(submission: Submission, code: string): Promise<true | string> {
    const solcPackage = createRequire(import.meta.url)("solc/package.json") as { version: string };
    const wanted = submission.compilerVersion.slice(1).split("+")[0];
    if (solcPackage.version !== wanted) return `The stand-in only has solc ${solcPackage.version}, not ${wanted}`;
    const [path, name] = submission.contractName.split(/:(?=[^:]+$)/);
    const input = {
      ...submission.input,
      settings: {
        ...submission.input.settings,
        outputSelection: {
          [path]: { [name]: ["evm.deployedBytecode.object", "evm.deployedBytecode.immutableReferences"] },
        },
      },
    };
    const result = await this.compile(JSON.stringify(input));
    const errors = (result.errors ?? []).filter((e) => e.severity === "error");
    if (errors.length > 0) return `Compilation failed: ${errors[0].formattedMessage ?? errors[0].message}`;
    const deployed = result.contracts?.[path]?.[name]?.evm?.deployedBytecode;
    if (!deployed) return `The compiler produced no ${name} from ${path}`;
    // Immutables are filled in at deployment: compare everything else byte for byte (metadata included).
    const onChain = code.toLowerCase().replace(/^0x/, "").split("");
    const compiled = deployed.object.toLowerCase().split("");
    for (const references of Object.values(deployed.immutableReferences ?? {})) {
      for (const { start, length } of references) {
        for (let i = start * 2; i < (start + length) * 2; i++) onChain[i] = compiled[i] = "0";
      }
    }
    return onChain.join("") === compiled.join("") ? true : "Bytecode mismatch: the runtime code differs";
  }

  private compile(input: string): Promise<CompileResult> {
    this.worker ??= new Worker(COMPILE_WORKER, { eval: true });
    this.worker.removeAllListeners("message").on("message", ({ id, output }: { id: number; output: string }) => {
      this.pending.get(id)?.(JSON.parse(output));
      this.pending.delete(id);
    });
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.worker!.postMessage({ id, input });
    });
  }

  async stop() {
    await this.worker?.terminate();
  }
}

interface CompileResult {
  errors?: { severity: string; message: string; formattedMessage?: string }[];
  contracts?: Record<
    string,
    Record<string, { evm?: { deployedBytecode?: { object: string; immutableReferences?: ImmutableReferences } } }>
  >;
}
type ImmutableReferences = Record<string, { start: number; length: number }[]>;

// The `solc` npm package's soljson (the compiler hardhat.config.ts uses), loaded once per worker.
const COMPILE_WORKER = `
const { parentPort } = require("node:worker_threads");
const { createRequire } = require("node:module");
const requireHere = createRequire(${JSON.stringify(import.meta.url)});
const solc = requireHere("solc/wrapper.js")(requireHere("solc/soljson.js"));
parentPort.on("message", ({ id, input }) => parentPort.postMessage({ id, output: solc.compile(input) }));
`;

function guid() {
  // Etherscan's receipts are 50 lower-case letters and digits.
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(50)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

async function settledOrPending<T>(promise: Promise<T>): Promise<T | undefined> {
  const pending = Symbol();
  const result = await Promise.race([promise, Promise.resolve(pending)]);
  return result === pending ? undefined : (result as T);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      "rpc-url": { type: "string", default: localUrl("rpc", process.env) },
      port: { type: "string", default: "0" },
      compile: { type: "boolean", default: false },
    },
  });
  const scan = await startCoreScanStandIn({
    rpcUrl: values["rpc-url"],
    port: Number(values.port),
    compile: values.compile,
    log: (line) => console.log(line),
  });
  console.log(`Core Scan stand-in (chain ${scan.chainId}) at ${scan.apiUrl}`);
  console.log(`  e.g. CORE_TESTNET2_SCAN_API_URL=${scan.apiUrl} npm run verify -- --network coreTestnet2`);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => scan.stop().then(() => process.exit(0)));
}
