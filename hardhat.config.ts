import { createRequire } from "node:module";
import path from "node:path";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import { daoTasks } from "./scripts/dao/tasks.ts";
import { localPort } from "./sdk/src/stack-config.ts";

// The compiler comes from the `solc` npm package (pinned to SOLC_VERSION), so
// nothing is downloaded from outside the npm registry.
const SOLC_VERSION = "0.8.28";
const require = createRequire(import.meta.url);
const solcPackage = require("solc/package.json") as { version: string };
if (solcPackage.version !== SOLC_VERSION) {
  throw new Error(`solc npm package is ${solcPackage.version}, config expects ${SOLC_VERSION}: pin them together`);
}

function compiler(runs: number, viaIR = false) {
  return {
    version: SOLC_VERSION,
    path: require.resolve("solc/soljson.js"),
    settings: {
      // Cancun: OpenZeppelin 5.7's SignatureChecker uses `mcopy`. Core enabled Cancun on mainnet
      // (2025-06-25) and testnet2 (2025-05-30), though Core's docs still say shanghai.
      evmVersion: "cancun",
      optimizer: { enabled: true, runs },
      viaIR,
    },
  };
}

const OVERRIDES = {
  // The hottest path in the protocol (every tip) and a small contract: optimise for runtime.
  "contracts/tipping/HarmonieTipping.sol": compiler(1_000_000),
  // Sized for EIP-170's 24 KiB: the legacy pipeline makes the registry's runtime 26.4 kB.
  "contracts/licensing/ContentRegistry.sol": compiler(200, true),
};

export const rpcPort = localPort("rpc", process.env);

// Core Scan's Etherscan-compatible API. The variables point `hardhat verify` elsewhere, e.g. at the
// local stand-in the testnet2 rehearsal starts (testkit/src/stand-ins/core-scan.ts).
const coreScanApiUrl = process.env.CORE_SCAN_API_URL || "https://openapi.coredao.org/api";
const coreTestnet2ScanApiUrl = process.env.CORE_TESTNET2_SCAN_API_URL || "https://api.test2.btcs.network/api";

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  tasks: daoTasks,
  solidity: {
    // One set of settings for tests and deployments; the production profile (public deployments,
    // scripts/deploy-build.ts) only compiles each contract on its own, so the code is what the tests ran.
    profiles: {
      default: { compilers: [compiler(200)], overrides: OVERRIDES },
      production: { compilers: [compiler(200)], overrides: OVERRIDES, isolated: true },
    },
    // Used as-is by the deploy modules: the DAO's treasury and the protocol's only admin.
    npmFilesToBuild: ["@openzeppelin/contracts/governance/TimelockController.sol"],
  },
  paths: {
    sources: "contracts",
    // Ignition's journals (ignition/deployments/chain-<id>/). A rehearsal keeps its own elsewhere.
    ignition: process.env.HARMONIE_IGNITION_DIR || "ignition",
    // Public deployments build with the production profile (scripts/deploy.ts): a rehearsal keeps that
    // build apart, so it does not replace the default-profile artifacts the tests use.
    ...(process.env.HARMONIE_BUILD_DIR && {
      artifacts: path.join(process.env.HARMONIE_BUILD_DIR, "artifacts"),
      cache: path.join(process.env.HARMONIE_BUILD_DIR, "cache"),
    }),
    tests: { mocha: "test", solidity: "contracts/test" },
  },
  test: {
    solidity: {
      // The shared ISRC cases (test/vectors/isrc.json) that ISRC.t.sol checks with vm.readFile.
      fsPermissions: { readFile: ["test/vectors/isrc.json"] },
      fuzz: { runs: 1000 },
      invariant: { runs: 1000, depth: 20, failOnRevert: false },
    },
  },
  typechain: { outDir: "types/ethers-contracts" },
  chainDescriptors: {
    1116: {
      name: "Core",
      blockExplorers: {
        etherscan: { name: "Core Scan", url: "https://scan.coredao.org", apiUrl: coreScanApiUrl },
      },
    },
    1114: {
      name: "Core Testnet2",
      blockExplorers: {
        etherscan: {
          name: "Core Testnet2 Scan",
          url: "https://scan.test2.btcs.network",
          apiUrl: coreTestnet2ScanApiUrl,
        },
      },
    },
  },
  networks: {
    default: { type: "edr-simulated", chainType: "l1", hardfork: "cancun" },
    localhost: { type: "http", chainType: "l1", url: `http://127.0.0.1:${rpcPort}` },
    // A local stand-in for Core testnet2 (chain 1114, Cancun like Core since 2025-05-30), served by
    // `hardhat node --network coreTestnet2Local` for the deployment rehearsal (npm run rehearse:testnet2).
    coreTestnet2Local: { type: "edr-simulated", chainType: "l1", chainId: 1114, hardfork: "cancun" },
    coreTestnet2: {
      type: "http",
      chainType: "l1",
      chainId: 1114,
      url: configVariable("CORE_TESTNET2_RPC_URL", { default: "https://rpc.test2.btcs.network" }),
      accounts: [configVariable("CORE_DEPLOYER_KEY")],
    },
    core: {
      type: "http",
      chainType: "l1",
      chainId: 1116,
      url: configVariable("CORE_RPC_URL", { default: "https://rpc.coredao.org" }),
      accounts: [configVariable("CORE_DEPLOYER_KEY")],
    },
  },
  verify: {
    etherscan: { apiKey: configVariable("CORE_SCAN_API_KEY") },
    // Core Scan is Etherscan-compatible and the only explorer configured for Core: with Blockscout and
    // Sourcify on (hardhat-verify 3's default), `hardhat verify` exits 1 even when Core Scan verified.
    blockscout: { enabled: false },
    sourcify: { enabled: false },
  },
});
