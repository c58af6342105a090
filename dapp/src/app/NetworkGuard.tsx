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
      {error && <p>{switchFailure(error)}</p>}
    </div>
  );
}

/** A declined switch is the fan's choice, not a failure: say so and leave the button to try again. */
function switchFailure(error: Error & { code?: number }): string {
  if (error.code === 4001 || error.name === "UserRejectedRequestError")
    return "You declined the switch in your wallet. Press the button when you are ready.";
  // A wallet that doesn't know the chain (4902) or refuses for another reason: its first line.
  return ((error as { shortMessage?: string }).shortMessage ?? error.message).split("\n")[0]!;
}
