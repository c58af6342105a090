// The runner benchmark's TipJar, indexed by Ponder (bench/ponder.ts writes abi.ts and sets the env).
import { createConfig } from "ponder";
import { TipJarAbi } from "./abi";

export default createConfig({
  chains: {
    hardhat: { id: 31337, rpc: process.env.PONDER_RPC_URL!, pollingInterval: 100, disableCache: true },
  },
  contracts: {
    TipJar: {
      chain: "hardhat",
      abi: TipJarAbi,
      address: process.env.TIPJAR_ADDRESS as `0x${string}`,
      startBlock: Number(process.env.START_BLOCK),
      // The benchmark's last block: the latency tips sent later are not part of it.
      endBlock: Number(process.env.END_BLOCK),
      // The subgraph's handler declares `receipt: true`.
      includeTransactionReceipts: true,
    },
  },
});
