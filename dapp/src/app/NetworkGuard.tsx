import { useAccount, useSwitchChain } from "wagmi";
import { useHarmonie } from "../lib/harmonie.tsx";

/** A connected wallet on another chain gets a clear prompt before anything fails. */
export function NetworkGuard() {
  const { chain } = useHarmonie();
  const { isConnected, chainId } = useAccount();
  const { switchChain, isPending, error } = useSwitchChain();
  if (!isConnected || chainId === chain.id) return null;
  return (
    <div className="banner" role="alert">
      <p>
        Your wallet is on another network{chainId ? ` (chain ${chainId})` : ""}. HarmonieCORE runs on{" "}
        <strong>{chain.name}</strong> here.
      </p>
      <button type="button" onClick={() => switchChain({ chainId: chain.id })} disabled={isPending}>
        {isPending ? "Switching…" : `Switch to ${chain.name}`}
      </button>
      {error && <p>{error.message.split("\n")[0]}</p>}
    </div>
  );
}
