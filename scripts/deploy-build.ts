/**
 * The build a deployment uses, shared by scripts/deploy.ts and scripts/verify.ts.
 *
 * Public chains get Hardhat's production profile: the same compiler settings as the default profile
 * (so the same runtime code the tests ran), but every contract compiled on its own ("isolated"). The
 * metadata hash solc appends then covers only the contract's own sources, so the standard-JSON input
 * hardhat-verify submits first reproduces the deployed code byte for byte and Core Scan publishes just
 * those sources. A default-profile build compiles everything together (tests and mocks included): its
 * metadata differs from any one contract's input, the first submission fails, and hardhat-verify's retry
 * publishes the whole project, test files included.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

export const LOCAL_CHAIN_ID = 31337;

/** Builds for a deployment to `chainId` and returns the profile used (`--build-profile` wins). */
export async function buildForChain(hre: HardhatRuntimeEnvironment, chainId: number): Promise<string> {
  const profile = hre.globalOptions.buildProfile ?? (chainId === LOCAL_CHAIN_ID ? "default" : "production");
  await hre.tasks.getTask("build").run({
    defaultBuildProfile: profile,
    quiet: true,
    noTests: profile === "production" || hre.config.solidity.splitTestsCompilation,
  });
  return profile;
}
