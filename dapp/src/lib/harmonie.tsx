/**
 * The one place that knows where the protocol lives: the runtime config turned into a chain, a
 * deployment, storage and service URLs. Pages take it from `useHarmonie()`.
 */
import { type Deployment, getDeployment, harmonieChains } from "@harmonie/sdk";
import type { Chain } from "viem";
import type { StorageBackend } from "@harmonie/sdk/storage";
import { createContext, type ReactNode, useContext } from "react";
import type { RuntimeConfig } from "../config.ts";

export interface Harmonie {
  config: RuntimeConfig;
  chain: Chain;
  deployment: Deployment;
  indexerUrl: string;
  keyServiceUrl?: string;
  /** IPFS uploads (Studio), loaded on first use: the UnixFS importer stays out of every other page. Reads: lib/ipfs.ts. */
  storage: () => Promise<StorageBackend>;
}

const HarmonieContext = createContext<Harmonie | null>(null);

export function createHarmonie(config: RuntimeConfig): Harmonie {
  const chain = harmonieChains[config.chainId];
  if (!chain) throw new Error(`Chain ${config.chainId} is not a HarmonieCORE chain.`);
  let storage: Promise<StorageBackend> | undefined;
  return {
    config,
    chain,
    deployment: getDeployment(config.chainId, config.deployment),
    indexerUrl: config.indexerUrl,
    keyServiceUrl: config.keyServiceUrl,
    storage: () =>
      (storage ??= import("./uploads.ts").then(({ createHttpServiceBackend }) =>
        createHttpServiceBackend({ url: config.ipfsUploadUrl }),
      )),
  };
}

export function HarmonieProvider({ value, children }: { value: Harmonie; children: ReactNode }) {
  return <HarmonieContext.Provider value={value}>{children}</HarmonieContext.Provider>;
}

export function useHarmonie(): Harmonie {
  const value = useContext(HarmonieContext);
  if (!value) throw new Error("useHarmonie outside HarmonieProvider");
  return value;
}
