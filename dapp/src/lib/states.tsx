/**
 * The states every read has besides its data, said in plain words: loading, failed (which service,
 * never a raw error or an internal URL, with a retry), not found (a page of its own) and unknown.
 */
import { ContractError } from "@harmonie/sdk";
import { describeError, serviceFailure } from "./errors.ts";
export { NotFound } from "./not-found.tsx";

/** Why something could not be loaded, as the end of a sentence ("… because <this>"). */
export function describeLoadError(error: unknown): string {
  const service = serviceFailure(error);
  if (service) return service;
  if (error instanceof ContractError) return describeError(error).replace(/\.$/, "");
  return "something went wrong while loading it";
}

/** "<what> can't be shown right now: <why>." and a Try again button. */
export function LoadError({ what, error, retry }: { what: string; error: unknown; retry?: () => void }) {
  return (
    <div className="load-error" role="alert" data-testid="load-error">
      <p>
        {what} can't be shown right now: {describeLoadError(error)}.
      </p>
      {retry && (
        <button type="button" className="secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ what }: { what?: string }) {
  return (
    <p aria-live="polite" className="muted">
      <span className="spinner" aria-hidden="true" /> Loading{what ? ` ${what}` : ""}…
    </p>
  );
}

/** A figure the page cannot know right now (its source is down): shown as unknown, never as 0. */
export function Unknown({ why = "unavailable right now" }: { why?: string }) {
  return (
    <span className="unknown" title={why}>
      unknown<span className="sr-only"> ({why})</span>
    </span>
  );
}
