import type { Deployment } from "@harmonie/sdk";

/** Where this deployment of the dApp finds the protocol. Read at start-up, never baked into the build. */
export interface RuntimeConfig {
  chainId: number;
  rpcUrl?: string;
  /** Omit on Core mainnet/testnet2 to use the deployment the SDK ships. */
  deployment?: Deployment;
  indexerUrl: string;
  ipfsGatewayUrl: string;
  ipfsUploadUrl: string;
  keyServiceUrl?: string;
  /** Live rooms signalling service (`ws://…` / `wss://…`); without it, sessions run without video. */
  signallingUrl?: string;
}

declare global {
  interface Window {
    __HARMONIE__?: RuntimeConfig;
  }
}

const REMEMBERED = "harmonie:config";

/**
 * `window.__HARMONIE__` (injected at serve time) wins; otherwise /config.json. The last good config
 * is remembered so the app also starts offline (the service worker caches it too, but only once it
 * controls the page).
 */
export async function loadConfig(): Promise<RuntimeConfig> {
  if (window.__HARMONIE__) return window.__HARMONIE__;
  try {
    const response = await fetch("/config.json", { cache: "no-cache" });
    if (!response.ok) throw new Error(`config.json answered HTTP ${response.status}`);
    const config = (await response.json()) as RuntimeConfig;
    localStorage.setItem(REMEMBERED, JSON.stringify(config));
    return config;
  } catch (error) {
    const remembered = localStorage.getItem(REMEMBERED);
    if (remembered) return JSON.parse(remembered) as RuntimeConfig;
    throw error;
  }
}
