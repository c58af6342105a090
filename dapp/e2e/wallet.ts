/**
 * A test wallet for the browser: an EIP-1193 provider announced over EIP-6963 (so RainbowKit lists
 * it as installed) that forwards every request to the Hardhat node, whose dev accounts are unlocked.
 * Returns the source of an init script for `page.addInitScript`.
 */
interface WalletOptions {
  rpcUrl: string;
  account: string;
  /** The Hardhat node's chain. */
  chainId: number;
  /** Start on another chain (e.g. Core mainnet, 1116), as a wallet last used elsewhere would. */
  startChainId?: number;
}

export function walletScript(options: WalletOptions): string {
  const install = ({ rpcUrl, account, chainId, startChainId }: WalletOptions) => {
    // The chain the wallet is on; only the node's own chain can carry transactions.
    let current = startChainId ?? chainId;
    // Prompts the user would have confirmed: transactions and signatures.
    let confirmations = 0;
    let declineSwitch = false;
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
    let id = 0;
    async function forward(method: string, params: unknown) {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params ?? [] }),
      });
      const body = await response.json();
      if (body.error)
        throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
      return body.result;
    }
    const provider = {
      isHarmonieTestWallet: true,
      async request({ method, params }: { method: string; params?: unknown[] }) {
        switch (method) {
          // No accountsChanged here: RainbowKit's injected connector would take over the connection.
          case "eth_requestAccounts":
            localStorage.setItem("testwallet:connected", "1");
            return [account];
          // Like a real wallet: no accounts until this site was allowed (remembered across reloads).
          case "eth_accounts":
            return localStorage.getItem("testwallet:connected") ? [account] : [];
          case "eth_chainId":
            return `0x${current.toString(16)}`;
          case "net_version":
            return String(current);
          case "wallet_switchEthereumChain": {
            if (declineSwitch) {
              declineSwitch = false; // what a user does pressing "Cancel" in the wallet's prompt
              throw Object.assign(new Error("User rejected the request."), { code: 4001 });
            }
            const wanted = Number.parseInt((params?.[0] as { chainId: string }).chainId, 16);
            if (wanted !== chainId) throw Object.assign(new Error("Unrecognized chain"), { code: 4902 });
            if (current !== wanted) {
              current = wanted;
              for (const listener of listeners.get("chainChanged") ?? []) listener(`0x${wanted.toString(16)}`);
            }
            return null;
          }
          case "eth_sendTransaction":
            if (current !== chainId)
              throw Object.assign(new Error(`Test wallet: no node for chain ${current}`), { code: 4901 });
            confirmations++; // a real wallet would show its confirmation prompt here
            return forward(method, params);
          case "personal_sign":
          case "eth_signTypedData_v4":
            confirmations++;
            return forward(method, params);
          case "wallet_requestPermissions":
            return [{ parentCapability: "eth_accounts" }];
          case "wallet_getPermissions":
            return [{ parentCapability: "eth_accounts" }];
          default:
            return forward(method, params);
        }
      },
      on(event: string, listener: (...args: unknown[]) => void) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
        return provider;
      },
      removeListener(event: string, listener: (...args: unknown[]) => void) {
        listeners.get(event)?.delete(listener);
        return provider;
      },
    };
    // What a user does in the wallet's own UI: pick another network (emits chainChanged like MetaMask).
    Object.assign(window, {
      testWallet: {
        chainId: () => current,
        confirmations: () => confirmations,
        declineNextSwitch() {
          declineSwitch = true;
        },
        userSwitchesTo(id: number) {
          current = id;
          for (const listener of listeners.get("chainChanged") ?? []) listener(`0x${id.toString(16)}`);
        },
      },
    });
    const icon =
      "data:image/svg+xml;base64," +
      btoa(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#2b6cb0"/><text x="16" y="22" font-size="16" text-anchor="middle" fill="#fff">T</text></svg>',
      );
    const announce = () =>
      window.dispatchEvent(
        new CustomEvent("eip6963:announceProvider", {
          detail: Object.freeze({
            info: {
              uuid: "7c5c6e39-5f3c-4a52-9d0e-2d2b8f3f0a11",
              name: "Test Wallet",
              icon,
              rdns: "org.harmonie.testwallet",
            },
            provider,
          }),
        }),
      );
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  };
  return `(${install.toString()})(${JSON.stringify(options)});`;
}
