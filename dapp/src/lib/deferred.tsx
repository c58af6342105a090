/**
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
