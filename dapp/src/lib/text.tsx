/**
 * User text (names, titles, handles, bios, messages) comes from anyone: a profile document, a track's
 * metadata, an event. It is shown so that it cannot break the page or lie about itself:
 * - isolated for bidirectional text (`<bdi>`, `dir="auto"`), so a right-to-left name doesn't reorder the
 *   words around it;
 * - without the invisible controls that reorder text (U+202E turns "gnp.exe" into "exe.png"), and
 *   flagged when it had any, or invisible characters, or letters of look-alike alphabets mixed in one word;
 * - wrapped anywhere and clamped (styles.css: `.page` wraps, `.clamp` cuts after a few lines).
 */
import { type CSSProperties, useLayoutEffect, useRef, useState } from "react";

/** Embeddings, overrides and isolates: they change the order characters are shown in. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** Characters that show nothing (zero-width space, word joiner, BOM, fillers). ZWJ and ZWNJ are kept: emoji and Persian need them. */
const INVISIBLE = /[\u200B\u2060-\u2064\uFEFF\u180E\u115F\u1160\u3164\uFFA0]/;
const SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];
const ASCII = /^[\x00-\x7f]*$/;

/** The text without direction controls: what its characters really are, in their real order. */
export function cleanText(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/** Why a piece of user text may not read as what it is, in plain words (empty when it is fine). */
export function textWarnings(text: string): string[] {
  // Plain ASCII has no controls, invisible characters or other alphabets: the Unicode-property
  // patterns below (costly to compile the first time, on a page's start-up) are not needed for it.
  if (ASCII.test(text)) return [];
  const warnings: string[] = [];
  if (new RegExp(BIDI_CONTROLS.source).test(text))
    warnings.push("It contained hidden characters that reverse or reorder text; it is shown without them.");
  if (INVISIBLE.test(text)) warnings.push("It contains invisible characters.");
  // "Nоva" with a Cyrillic о: one word mixing alphabets whose letters look alike.
  const mixed = text.split(/[\s\p{P}]+/u).some((word) => SCRIPTS.filter((script) => script.test(word)).length > 1);
  if (mixed) warnings.push("It mixes look-alike alphabets (e.g. Latin and Cyrillic) in one word.");
  return warnings;
}

/**
 * A name, title or handle inside running text or a heading: isolated (`<bdi>`), cleaned, cut to one
 * line (or `lines` lines) with the whole text on hover, and flagged (⚠) when it may not read as it is.
 */
export function Name({
  text,
  lines,
  className,
  flag = true,
}: {
  text: string;
  lines?: number;
  className?: string;
  /** Off where a `<TextNotice>` next to it says the same in a sentence. */
  flag?: boolean;
}) {
  const clean = cleanText(text);
  const warnings = textWarnings(text);
  const style = lines ? ({ "--lines": lines } as CSSProperties) : undefined;
  return (
    <>
      <bdi className={[lines ? "clamp" : "name", className].filter(Boolean).join(" ")} style={style} title={clean}>
        {clean}
      </bdi>
      {flag && warnings.length > 0 && <TextFlag warnings={warnings} />}
    </>
  );
}

/** A small ⚠ that says, to screen readers and on hover, why the text next to it deserves a second look. */
export function TextFlag({ warnings }: { warnings: string[] }) {
  const reason = warnings.join(" ");
  return (
    <span className="text-flag" title={reason} data-testid="text-flag">
      <span aria-hidden="true">⚠</span>
      <span className="sr-only">Careful: {reason}</span>
    </span>
  );
}

/** The reasons of `textWarnings` as a visible sentence about `what` ("This name"), or nothing. */
export function TextNotice({ text, what }: { text: string; what: string }) {
  const warnings = textWarnings(text);
  if (warnings.length === 0) return null;
  return (
    <p className="text-notice" data-testid="text-notice">
      ⚠ {what} may not read as it is. {warnings.join(" ")}
    </p>
  );
}

/** The first character as a person sees it (an emoji, not half of one), for an avatar's initial. */
export function initialOf(text: string): string {
  return Array.from(cleanText(text).trim())[0] ?? "?";
}

/**
 * A block of user text (bio, description, message): its own direction (`dir="auto"`), cleaned,
 * wrapped, and after `lines` lines cut with a "Show all" button.
 */
export function LongText({ text, lines = 6, className }: { text: string; lines?: number; className?: string }) {
  const clean = cleanText(text);
  const box = useRef<HTMLParagraphElement>(null);
  const [open, setOpen] = useState(false);
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element || open) return;
    const measure = () => setOverflows(element.scrollHeight > element.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [clean, open]);
  const style = open ? undefined : ({ "--lines": lines } as CSSProperties);
  return (
    <div className="long-text">
      <p
        ref={box}
        dir="auto"
        className={[className, open ? undefined : "clamp"].filter(Boolean).join(" ")}
        style={style}
      >
        {clean}
      </p>
      {(overflows || open) && (
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? "Show less" : "Show all"}
        </button>
      )}
    </div>
  );
}
