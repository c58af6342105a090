/** Its own module, without the SDK's error texts: the layout's catch-all route uses it from the entry chunk. */
import type { ReactNode } from "react";
import { Link } from "react-router";
import { usePageMeta } from "./meta.ts";

/** A page for a link that leads nowhere: what was asked for, why it may be missing, where to go. */
export function NotFound({ title, children }: { title: string; children?: ReactNode }) {
  usePageMeta(title, "This page does not exist on HarmonieCORE.");
  return (
    <section className="not-found" data-testid="not-found">
      <h1>{title}</h1>
      {children}
      <p>
        <Link to="/">Browse Discover</Link> for artists and tracks.
      </p>
    </section>
  );
}
