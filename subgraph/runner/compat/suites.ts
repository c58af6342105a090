// Public subgraphs whose matchstick suites `compat/run.ts` runs on graph-runner.
// Each is taken from a pinned commit; `compat/vendor.ts` copies the listed paths
// (tests, schema, ABIs, mappings, manifest, licence) into compat/fixtures/<name>,
// which is committed because CI cannot reach GitHub.

export interface Suite {
  /** Folder under compat/fixtures. */
  name: string;
  repo: string;
  commit: string;
  licence: string;
  /** Versions the suite was written against (its package.json). */
  written: { graphTs: string; matchstickAs: string };
  /**
   * The matchstick-as release the suite runs with (its package.json's, from
   * compat/fixtures/_libs/); graph-ts and graph-cli are this workspace's.
   */
  matchstickAs: string;
  /** Paths (files or folders) copied from the repository. */
  paths: string[];
  /** Files produced by the project's own build scripts before `graph codegen` (templated sources). */
  render?: { template: string; out: string; values: string; network: string }[];
  /** Extra `graph codegen` runs (manifest, output folder) the project's scripts make before testing. */
  codegen?: { manifest: string; outputDir: string }[];
  /** Tests known to fail, each with the reason (anything else failing is a regression). */
  knownFailures?: Record<string, string>;
}

export const suites: Suite[] = [
  {
    name: "demo-subgraph",
    repo: "LimeChain/demo-subgraph",
    commit: "b738be8e87e6108312610ede53763ebe24a3d29a",
    licence: "MIT",
    written: { graphTs: "^0.31.0", matchstickAs: "0.6.0-beta.2" },
    matchstickAs: "0.6.0-beta.2",
    paths: ["LICENSE", "abis", "schema.graphql", "src", "subgraph.yaml", "tests"],
  },
  {
    name: "storage-subgraph",
    repo: "RequestNetwork/storage-subgraph",
    commit: "e86cd48c0bbed249be96d16f67333726ab749755",
    licence: "MIT",
    written: { graphTs: "^0.31.0", matchstickAs: "^0.5.2" },
    matchstickAs: "0.5.2",
    paths: ["LICENSE", "abis", "schema.graphql", "src", "subgraph-private.yaml", "matchstick.yaml", "tests"],
  },
  {
    name: "solarity-graph-lib",
    repo: "dl-solarity/graph-lib",
    commit: "64141521cbdf7c739faa4fd953e651d447ee12f2",
    licence: "MIT",
    written: { graphTs: "0.29.3", matchstickAs: "0.5.2" },
    matchstickAs: "0.5.2",
    paths: ["LICENSE", "matchstick.yaml", "lib", "tests"],
  },
  {
    name: "polymarket-subgraph",
    repo: "Polymarket/polymarket-subgraph",
    commit: "7a92ba026a9466c07381e0d245a323ba23ee8701",
    licence: "LGPL-3.0",
    written: { graphTs: "^0.35.1", matchstickAs: "^0.6.0" },
    matchstickAs: "0.6.0",
    paths: [
      "LICENSE",
      "matchstick.yaml",
      "networks.yaml",
      "common",
      "tests",
      "pnl-subgraph/src/utils/computeNegRiskYesPrice.ts",
      "pnl-subgraph/src/utils/computeFpmmPrice.ts",
      "fpmm-subgraph/src",
      "fpmm-subgraph/schema.graphql",
      "fpmm-subgraph/subgraph.template.yaml",
      "abis/ConditionalTokens.json",
      "abis/ERC20Detailed.json",
      "abis/FixedProductMarketMaker.json",
      "abis/FixedProductMarketMakerFactory.json",
    ],
    render: [
      {
        template: "common/constants.template.ts",
        out: "common/constants.ts",
        values: "networks.yaml",
        network: "matic",
      },
      {
        template: "fpmm-subgraph/subgraph.template.yaml",
        out: "fpmm-subgraph/subgraph.yaml",
        values: "networks.yaml",
        network: "matic",
      },
    ],
    // package.json's `fpmm:codegen`: the tests import the fpmm subgraph's generated types.
    codegen: [{ manifest: "fpmm-subgraph/subgraph.yaml", outputDir: "fpmm-subgraph/src/types" }],
    knownFailures: {
      generateproxywalletbytecode:
        "imports common/utils/generateProxyWalletBytecode.ts, which the repository never committed (the test does not compile on Matchstick either)",
    },
  },
];
