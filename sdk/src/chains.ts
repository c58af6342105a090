import { type Chain, defineChain } from "viem";
import { coreDao, coreTestnet2, hardhat } from "viem/chains";

/** Core Network mainnet (chain 1116, CORE) and testnet2 (chain 1114, tCORE2), as viem defines them. */
export { coreDao, coreTestnet2 };

/** The local development chain (`npm run node`): Hardhat on 127.0.0.1, chain 31337, paying in CORE. */
// `id` as the literal 31337, like viem's own chains, so a chain id can be checked at compile time.
export const harmonieLocal: Chain & { readonly id: 31337 } = /*#__PURE__*/ defineChain({
  ...hardhat,
  name: "HarmonieCORE local",
  nativeCurrency: { name: "Core", symbol: "CORE", decimals: 18 },
});

/** Every chain HarmonieCORE knows, by id. */
export const harmonieChains: Record<number, Chain> = {
  [coreDao.id]: coreDao,
  [coreTestnet2.id]: coreTestnet2,
  [harmonieLocal.id]: harmonieLocal,
};
