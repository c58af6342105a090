/**
 * Every transaction goes through `useTx`: it tracks pending → confirmed | error, and `<TxStatus>`
 * announces it (aria-live), with an explorer link on networks that have one.
 */
import { getIndexerStatus } from "@harmonie/sdk";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { describeError } from "./errors.ts";
import { useHarmonie } from "./harmonie.tsx";

type TxState =
  | { status: "idle" }
  | { status: "pending"; label: string }
  | { status: "confirmed"; label: string; hash?: `0x${string}` }
  | { status: "error"; message: string };

export function useTx() {
  const [state, setState] = useState<TxState>({ status: "idle" });
  const queryClient = useQueryClient();
  const { indexerUrl } = useHarmonie();
  const run = useCallback(
    async <T,>(
      label: string,
      action: () => Promise<T>,
      options: { onConfirmed?: (result: T) => void } = {},
    ): Promise<T | undefined> => {
      setState({ status: "pending", label });
      try {
        const result = await action();
        const written = result as { hash?: `0x${string}`; receipt?: { blockNumber: bigint } } | undefined;
        setState({ status: "confirmed", label, hash: written?.hash });
        // What the page does the moment the chain confirms, before (or without) the indexer catching up.
        options.onConfirmed?.(result);
        // Chain state changed: refetch once the indexer has seen the block, so lists include it.
        if (written?.receipt) await waitForIndexer(indexerUrl, written.receipt.blockNumber);
        await queryClient.invalidateQueries();
        return result;
      } catch (error) {
        console.error(error);
        setState({ status: "error", message: describeError(error) });
        return undefined;
      }
    },
    [queryClient, indexerUrl],
  );
  return { state, run, busy: state.status === "pending" };
}

async function waitForIndexer(indexerUrl: string, block: bigint, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await getIndexerStatus(indexerUrl).catch(() => undefined);
    if (status && status.blockNumber >= block) return;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

export function TxStatus({ state }: { state: TxState }) {
  const { chain } = useHarmonie();
  const explorer = chain.blockExplorers?.default.url;
  return (
    <div className="tx" aria-live="polite">
      {state.status === "pending" && (
        <p className="tx-pending">
          <span className="spinner" aria-hidden="true" /> {state.label}: confirm in your wallet, then wait for the
          block…
        </p>
      )}
      {state.status === "confirmed" && (
        <p className="tx-ok" data-testid="tx-confirmed">
          ✓ {state.label}: confirmed.{" "}
          {state.hash && explorer && (
            <a href={`${explorer}/tx/${state.hash}`} target="_blank" rel="noreferrer">
              View on the Core explorer
            </a>
          )}
        </p>
      )}
      {state.status === "error" && (
        <p className="tx-error" role="alert">
          {state.message}
        </p>
      )}
    </div>
  );
}
