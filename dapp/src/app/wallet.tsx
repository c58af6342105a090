/**
 * Lazy wallet stack. wagmi + RainbowKit are most of the app's JavaScript, and Discover and Offline
 * need none of it, so it stays out of the entry chunk. It loads when a page needs a wallet
 * (`<RequireWallet>`), when the visitor reaches for the Connect button, or on idle if this browser
 * connected a wallet before (so it reconnects without a click).
 *
 * When it arrives, `<WalletProvider>` wraps the app in the wallet providers, which remounts the tree
 * below once. The query cache lives above, so pages redraw from cache; pages with forms only render
 * inside `<RequireWallet>`, i.e. after the kit is there, so no input is lost.
 */
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";

type Kit = typeof import("./WalletKit.tsx");

let kitImport: Promise<Kit> | undefined;
function importKit(): Promise<Kit> {
  kitImport ??= import("./WalletKit.tsx").catch((error: unknown) => {
    kitImport = undefined; // e.g. offline: let a later attempt retry
    throw error;
  });
  return kitImport;
}

interface WalletState {
  kit?: Kit;
  /** Loads the kit; `connect` also opens RainbowKit's dialog once it is there. */
  load(connect?: boolean): void;
  connectRequested: boolean;
  clearConnectRequest(): void;
}

const WalletContext = createContext<WalletState | null>(null);

function useWalletState(): WalletState {
  const value = useContext(WalletContext);
  if (!value) throw new Error("useWalletState outside WalletProvider");
  return value;
}

export function WalletProvider({ children }: { children: ReactNode }) {
  const [kit, setKit] = useState<Kit>();
  const [connectRequested, setConnectRequested] = useState(false);
  const load = useCallback((connect = false) => {
    if (connect) setConnectRequested(true);
    importKit().then(setKit, (error: unknown) => console.error("The wallet kit could not be loaded", error));
  }, []);
  const clearConnectRequest = useCallback(() => setConnectRequested(false), []);

  useEffect(() => {
    // wagmi remembers the last wallet used here: bring it back once the page is idle.
    if (!localStorage.getItem("wagmi.recentConnectorId")) return;
    const idle = window.requestIdleCallback ?? ((callback: () => void) => setTimeout(callback, 1000));
    idle(() => load());
  }, [load]);

  const value = useMemo(
    () => ({ kit, load, connectRequested, clearConnectRequest }),
    [kit, load, connectRequested, clearConnectRequest],
  );
  return (
    <WalletContext.Provider value={value}>
      {kit ? <kit.WalletProviders>{children}</kit.WalletProviders> : children}
    </WalletContext.Provider>
  );
}

/** Pages that read the chain or use the wallet (wagmi hooks) render once the kit is loaded. */
export function RequireWallet({ children }: { children: ReactNode }) {
  const { kit, load } = useWalletState();
  useEffect(() => {
    if (!kit) load();
  }, [kit, load]);
  return kit ? children : <p aria-live="polite">Loading…</p>;
}

/** RainbowKit's Connect button, or a look-alike until the kit is loaded. */
export function ConnectSlot() {
  const { kit, load, connectRequested, clearConnectRequest } = useWalletState();
  if (kit) return <kit.WalletButton openNow={connectRequested} onOpened={clearConnectRequest} />;
  return (
    <button
      type="button"
      className="connect-placeholder"
      // Hovering is a good hint a click follows: start the download early.
      onPointerEnter={() => load()}
      onClick={() => load(true)}
    >
      Connect Wallet
    </button>
  );
}

/** The wrong-network prompt needs wagmi; with no kit loaded there is no wallet to be on a wrong network. */
export function NetworkGuardSlot() {
  const { kit } = useWalletState();
  return kit ? <kit.NetworkGuard /> : null;
}
