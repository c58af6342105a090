/**
 * Lazy wallet stack. wagmi + RainbowKit are most of the app's JavaScript, and no page needs them to
 * show its content: pages read the chain through a plain viem client (lib/wallet.ts). The kit loads
 * when a page needs the visitor's account before it can say anything (`<RequireWallet>`: Studio, DAO,
 * Collection, Live), when the visitor reaches for a wallet action (the Connect button, a tip form, a
 * buy button), or on idle if this browser connected a wallet before (so it reconnects without a click).
 * Artist and track pages, the deep links people share, render without it.
 *
 * When it arrives, the kit's providers mount beside the app, not around it (app/WalletKit.tsx): they
 * report the account and wallet client into `WalletContext`, and RainbowKit's button and the network
 * prompt are portalled into their slots in the layout. Nothing in the page remounts, so no input is lost.
 */
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { type WalletState, WalletContext, useWalletState } from "../lib/wallet-state.ts";
import type { KitAccount } from "./WalletKit.tsx";

type Kit = typeof import("./WalletKit.tsx");

let kitImport: Promise<Kit> | undefined;
function importKit(): Promise<Kit> {
  kitImport ??= import("./WalletKit.tsx").catch((error: unknown) => {
    kitImport = undefined; // e.g. offline: let a later attempt retry
    throw error;
  });
  return kitImport;
}

/** Where the kit's visible parts go: RainbowKit's button in the header, the network prompt below it. */
interface Slots {
  connect?: HTMLElement;
  guard?: HTMLElement;
}

interface SlotState {
  kit?: Kit;
  setSlot(name: keyof Slots, element: HTMLElement | null): void;
}

const SlotContext = createContext<SlotState>({ setSlot: () => {} });

export function WalletProvider({ children }: { children: ReactNode }) {
  const [kit, setKit] = useState<Kit>();
  // Undefined until the kit's first report: connected or not, it knows.
  const [account, setAccount] = useState<KitAccount>();
  const [connectRequested, setConnectRequested] = useState(false);
  const [slots, setSlots] = useState<Slots>({});
  const load = useCallback((connect = false) => {
    if (connect) setConnectRequested(true);
    importKit().then(setKit, (error: unknown) => console.error("The wallet kit could not be loaded", error));
  }, []);
  const clearConnectRequest = useCallback(() => setConnectRequested(false), []);
  const setSlot = useCallback(
    (name: keyof Slots, element: HTMLElement | null) =>
      setSlots((current) =>
        current[name] === (element ?? undefined) ? current : { ...current, [name]: element ?? undefined },
      ),
    [],
  );

  useEffect(() => {
    // wagmi remembers the last wallet used here: bring it back once the page is idle.
    if (!localStorage.getItem("wagmi.recentConnectorId")) return;
    const idle = window.requestIdleCallback ?? ((callback: () => void) => setTimeout(callback, 1000));
    idle(() => load());
  }, [load]);

  const value = useMemo<WalletState>(
    () => ({ address: account?.address, wallet: account?.wallet, ready: !!kit && !!account, load }),
    [kit, account, load],
  );
  const slotState = useMemo(() => ({ kit, setSlot }), [kit, setSlot]);
  return (
    <WalletContext.Provider value={value}>
      <SlotContext.Provider value={slotState}>{children}</SlotContext.Provider>
      {kit && (
        <kit.WalletRoot
          onAccount={setAccount}
          connectSlot={slots.connect}
          guardSlot={slots.guard}
          openNow={connectRequested}
          onOpened={clearConnectRequest}
        />
      )}
    </WalletContext.Provider>
  );
}

/** Pages that need the visitor's account before they can show anything render once the kit has reported it. */
export function RequireWallet({ children }: { children: ReactNode }) {
  const { ready, load } = useWalletState();
  useEffect(() => {
    if (!ready) load();
  }, [ready, load]);
  return ready ? children : <p aria-live="polite">Loading…</p>;
}

/** RainbowKit's Connect button goes here once the kit is loaded; a look-alike until then. */
export function ConnectSlot() {
  const { kit, setSlot } = useContext(SlotContext);
  const { load } = useWalletState();
  const ref = useCallback((element: HTMLDivElement | null) => setSlot("connect", element), [setSlot]);
  return (
    <>
      {!kit && (
        <button
          type="button"
          className="connect-placeholder"
          // Hovering is a good hint a click follows: start the download early.
          onPointerEnter={() => load()}
          onClick={() => load(true)}
        >
          Connect Wallet
        </button>
      )}
      <div className="slot" ref={ref} />
    </>
  );
}

/** The wrong-network prompt (it needs wagmi) goes here; with no kit loaded there is no wallet to be on a wrong network. */
export function NetworkGuardSlot() {
  const { setSlot } = useContext(SlotContext);
  const ref = useCallback((element: HTMLDivElement | null) => setSlot("guard", element), [setSlot]);
  return <div className="slot" ref={ref} />;
}
