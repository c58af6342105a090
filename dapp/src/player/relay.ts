/**
 * The page's half of progressive playback. The audio element asks for `/verified-audio/<cid>/<path>`
 * with a byte range; the service worker (public/audio-relay.js) passes the range here over a
 * MessagePort, and this page answers with the file's size, then its verified bytes from that offset.
 * Verification stays in the page with the SDK's code; the worker only shapes the HTTP response, so
 * the element streams and seeks as it would over the network. The SDK code loads on the first range.
 */
import type { VerifiedFile } from "./verified-audio.ts";

export const AUDIO_PREFIX = "/verified-audio/";

/** The element's source for a public track's audio file. */
export const streamUrl = (path: string, mimeType: string) =>
  `${AUDIO_PREFIX}${path}?type=${encodeURIComponent(mimeType)}`;

/** Only a page the service worker controls can stream; before that, audio verifies whole. */
export const canStream = () => !!navigator.serviceWorker?.controller;

/** Told when a stream stops on a bad block (the element only sees a network error). */
export const failedStreams: { on?: (path: string, message: string) => void } = {};

let gateway = "";
export const setGateway = (url: string) => (gateway = url);

const files = new Map<string, Promise<VerifiedFile>>();
const verified = () => import("./verified-audio.ts");

/** Exclusive tracks' keys by audio path: their ranges are answered with decrypted bytes. */
const keys = new Map<string, { key: CryptoKey; context?: string }>();

/** Streams `path` (an exclusive track's encrypted audio) decrypted with `key` from now on. */
export function unlock(path: string, key: CryptoKey, context: string | undefined) {
  if (keys.get(path)?.key === key) return;
  keys.set(path, { key, context });
  files.delete(path);
}

/** Resolved once per file: later ranges (seeks) skip the directory and root blocks. */
function file(path: string): Promise<VerifiedFile> {
  let opened = files.get(path);
  if (!opened) {
    const unlocked = keys.get(path);
    opened = verified().then(({ openGatewayFile, openUnlockedFile }) =>
      unlocked ? openUnlockedFile(gateway, path, unlocked.key, unlocked.context) : openGatewayFile(gateway, path),
    );
    opened.catch(() => files.delete(path));
    files.set(path, opened);
  }
  return opened;
}

/** The whole file, verified (and decrypted, if unlocked): for when nothing can stream it, and for saving. */
export async function readWholeFile(path: string): Promise<Uint8Array> {
  const { collect } = await verified();
  return collect((await file(path)).read(0));
}

interface RangeRequest {
  type: "harmonie:audio-range";
  path: string;
  start: number;
}

async function answer({ path, start }: RangeRequest, port: MessagePort) {
  const abort = new AbortController();
  // The element dropped this response (a seek, a new track): stop fetching its blocks.
  port.onmessage = ({ data }) => data?.cancel && abort.abort();
  try {
    const opened = await file(path);
    port.postMessage({ size: opened.size });
    for await (const chunk of opened.read(Math.min(start, opened.size), abort.signal)) {
      const bytes = chunk.slice();
      port.postMessage({ chunk: bytes.buffer }, [bytes.buffer]);
    }
    port.postMessage({ done: true });
  } catch (error) {
    if (abort.signal.aborted) return;
    port.postMessage({ error: "refused" });
    failedStreams.on?.(path, (await verified()).describeAudioError(error));
  }
}

navigator.serviceWorker?.addEventListener("message", (event: MessageEvent) => {
  const request = event.data as RangeRequest | undefined;
  if (request?.type === "harmonie:audio-range" && event.ports[0]) void answer(request, event.ports[0]);
});
// Messages from the worker queue until the page says it listens.
navigator.serviceWorker?.startMessages();
