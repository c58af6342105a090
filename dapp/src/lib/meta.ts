/**
 * Each page names itself: the tab's `<title>` and the link-preview tags (Open Graph, Twitter) a share
 * sheet or a chat app reads, set from what the page shows.
 */
import { useEffect } from "react";
import { cleanText } from "./text.tsx";

const SITE = "HarmonieCORE";
const DEFAULT_DESCRIPTION = "Tip artists live, license tracks and govern the platform on Core Network.";

/** One line, without direction controls, cut at `max` characters: titles come from user text. */
function oneLine(text: string, max: number): string {
  const line = cleanText(text).replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function setMeta(attribute: "name" | "property", key: string, content: string) {
  let tag = document.head.querySelector<HTMLMetaElement>(`meta[${attribute}="${key}"]`);
  if (!tag) {
    tag = document.createElement("meta");
    tag.setAttribute(attribute, key);
    document.head.append(tag);
  }
  tag.content = content;
}

/** Sets the page's title ("Night Drive by Nova · HarmonieCORE") and its preview tags. */
export function usePageMeta(title: string | undefined, description?: string) {
  useEffect(() => {
    const name = title ? oneLine(title, 70) : "";
    const full = name ? `${name} · ${SITE}` : SITE;
    const summary = oneLine(description || DEFAULT_DESCRIPTION, 200);
    document.title = full;
    setMeta("name", "description", summary);
    setMeta("property", "og:title", name || SITE);
    setMeta("property", "og:description", summary);
    setMeta("property", "og:url", location.href);
    setMeta("name", "twitter:title", name || SITE);
    setMeta("name", "twitter:description", summary);
  }, [title, description]);
}
