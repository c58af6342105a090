/** A real local chain with the protocol deployed, and wallet clients for Hardhat's dev accounts. */
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { harmonieLocal } from "../../sdk/src/chains.ts";
import { startLocalChain } from "../../scripts/local-chain.ts";

/** Hardhat dev keys #1–#4 (#0 deploys). */
export const KEYS = {
  artist: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  fan1: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  fan2: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  fan3: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
} as const;

export type Chain = Awaited<ReturnType<typeof startChain>>;

export async function startChain() {
  const chain = await startLocalChain({ deploy: true });
  const transport = http(chain.rpcUrl);
  const wallet = (key: `0x${string}`) =>
    createWalletClient({ account: privateKeyToAccount(key), chain: harmonieLocal, transport });
  const publicClient = createPublicClient({ chain: harmonieLocal, transport });
  return { ...chain, wallet, publicClient };
}
