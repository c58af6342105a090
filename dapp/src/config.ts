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
  /**
   * A selective forwarding unit taking the signalling service's session tokens: the artist publishes
   * to it once and fans beyond the room's mesh (8) watch through it. Without it a full room refuses.
   */
  sfuUrl?: string;
  /**
   * The Livepeer access-control service (`harmonie serve livepeer-gate`). Fans of Livepeer sessions
   * sign in to it for their access key; when its `/health` says `studio: true` (it holds a Studio API
   * key), artists can go live for a big audience through Livepeer, with no key in the browser.
   */
  livepeerGateUrl?: string;
  /** Livepeer Studio's API base for (keyless) playback info; `https://livepeer.studio/api` by default. */
  livepeerApiUrl?: string;
  /** A WalletConnect (Reown) project id: with it the connect dialog offers WalletConnect for phone wallets. */
  walletConnectProjectId?: string;
  /**
   * Off unless set: a fiat estimate beside tip amounts, from a CoinGecko-compatible price API
   * (`GET {priceApiUrl}/simple/price`, e.g. `https://api.coingecko.com/api/v3`), which visitors'
   * browsers then ask directly. `currency` is a CoinGecko `vs_currency` (`usd`, `eur`…); `coinIds`
   * names each payment token's coin by symbol (default: CORE `coredaoorg`, USDC `usd-coin`, USDT `tether`).
   */
  fiat?: { priceApiUrl: string; currency: string; coinIds?: Record<string, string> };
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
    // Same request as index.html's preload, so that response is used (hosts serve it `no-cache`).
    const response = await fetch("/config.json");
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

/**
 * Every page starts by querying the indexer and reading IPFS: open those connections while the app
 * code starts rather than after it. `crossorigin` matches the CORS fetches that will use them.
 */
export function preconnect(config: RuntimeConfig): RuntimeConfig {
  for (const origin of new Set([config.indexerUrl, config.ipfsGatewayUrl].map((url) => new URL(url).origin))) {
    if (origin === location.origin) continue;
    const link = Object.assign(document.createElement("link"), { rel: "preconnect", href: origin, crossOrigin: "" });
    document.head.append(link);
  }
  return config;
}
