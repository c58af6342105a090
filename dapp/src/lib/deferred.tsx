/**
 * What waits for a page's first paint, and what waits for the visitor to scroll.
 *
 * Below-the-fold parts whose code and reads wait until the visitor gets near them: a placeholder holds
 * their place until it scrolls into view (or within `margin` of it), then the part renders (and its
 * lazy chunk loads). A page's first paint then carries none of it; what is in view loads at once.
 */
import { type ReactNode, useEffect, useRef, useState } from "react";

export function WhenVisible({
  children,
  placeholder,
  margin = "0px",
}: {
  children: ReactNode;
  placeholder: ReactNode;
  /** How far ahead of the viewport to start (CSS margin syntax, as IntersectionObserver's rootMargin). */
  margin?: string;
}) {
  const [near, setNear] = useState(() => typeof IntersectionObserver === "undefined");
  const place = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (near || !place.current) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      { rootMargin: margin },
    );
    observer.observe(place.current);
    return () => observer.disconnect();
  }, [near, margin]);
  return near ? children : <div ref={place}>{placeholder}</div>;
}

/**
 * False until `ready` (the page's largest element, e.g. its cover, is drawn), then true once the browser has
 * painted it and been idle (at most `timeout` ms later): code and reads started before then would compete
 * with that paint for the network, so the rest of the page (the wallet's parts, chain reads) starts after it.
 */
export function useAfterPaint(ready: boolean, timeout = 1_500): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    if (!ready || after) return;
    const idle = window.requestIdleCallback ?? ((callback: () => void) => window.setTimeout(callback, 200));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    let id: number | undefined;
    // The frame that draws it first, then the idle time after that frame.
    const frame = requestAnimationFrame(() => (id = idle(() => setAfter(true), { timeout })));
    return () => {
      cancelAnimationFrame(frame);
      if (id !== undefined) cancel(id);
    };
  }, [ready, after, timeout]);
  return after;
}

/** An image's `onLoad`/`onError` and whether either has fired: a picture is drawn (or never will be). */
export function useImageDone(src: string | undefined) {
  const [done, setDone] = useState<string>();
  const finish = () => setDone(src);
  return { done: !!src && done === src, onLoad: finish, onError: finish };
}
