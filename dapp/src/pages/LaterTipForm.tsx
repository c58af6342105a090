import { Suspense, lazy } from "react";
import { WhenVisible } from "../lib/deferred.tsx";

const TipForm = lazy(() => import("./TipForm.tsx").then((m) => ({ default: m.TipForm })));

/**
 * An artist or track page's tip form: its code (with the wallet's parts) loads once the page's picture
 * is drawn (`ready`) and, with `whenVisible`, once the visitor scrolls near it. Until then a placeholder
 * of the form's height holds its place, so nothing below moves when it arrives.
 */
export function LaterTipForm({
  artist,
  ready,
  whenVisible = false,
}: {
  artist: `0x${string}`;
  ready: boolean;
  whenVisible?: boolean;
}) {
  const form = <TipForm artist={artist} />;
  return (
    <Suspense fallback={<TipFormPlaceholder />}>
      {!ready ? (
        <TipFormPlaceholder />
      ) : whenVisible ? (
        <WhenVisible placeholder={<TipFormPlaceholder />}>{form}</WhenVisible>
      ) : (
        form
      )}
    </Suspense>
  );
}

function TipFormPlaceholder() {
  return (
    // 576 px wide, the form is 36rem tall; 620 px on a 390 px phone.
    <section
      className="panel tip-form"
      aria-busy="true"
      style={{ minHeight: "max(36rem, calc(38.75rem - (100vw - 390px)))" }}
    >
      <p className="muted">Loading the tip form…</p>
    </section>
  );
}
