/**
 * Imported by the service worker (vite.config.ts, workbox.importScripts). Answers the audio
 * element's `/verified-audio/<cid>/<path>?type=<mime>` requests with bytes the page verified block
 * by block (src/player/relay.ts): the worker checks nothing itself and never reads the gateway, so
 * nothing reaches the element that the page's SDK code has not hashed against its CID.
 */
const AUDIO_PREFIX = "/verified-audio/";

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(AUDIO_PREFIX)) return;
  event.respondWith(relay(event, url));
});

async function relay(event, url) {
  const client = await self.clients.get(event.clientId);
  if (!client) return new Response("No page to verify the audio.", { status: 503 });
  const start = Number(/^bytes=(\d+)-/.exec(event.request.headers.get("range") ?? "")?.[1] ?? 0);
  const { port1: port, port2 } = new MessageChannel();
  const head = new Promise((resolve) => (port.onmessage = ({ data }) => resolve(data)));
  const path = decodeURIComponent(url.pathname.slice(AUDIO_PREFIX.length));
  client.postMessage({ type: "harmonie:audio-range", path, start }, [port2]);
  const { size, error } = await head;
  if (error) return new Response("The audio failed verification.", { status: 502 });
  if (start >= size && size > 0) {
    port.postMessage({ cancel: true });
    return new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
  }
  const body = new ReadableStream({
    // Set before the next message task runs: the head's continuation is a microtask.
    start(controller) {
      port.onmessage = ({ data }) => {
        if (data.chunk) controller.enqueue(new Uint8Array(data.chunk));
        else if (data.done) controller.close();
        else if (data.error) controller.error(new Error("The audio failed verification."));
      };
    },
    cancel() {
      port.postMessage({ cancel: true });
    },
  });
  return new Response(body, {
    status: 206,
    headers: {
      "content-type": url.searchParams.get("type") ?? "application/octet-stream",
      "content-length": String(size - start),
      "content-range": `bytes ${start}-${size - 1}/${size}`,
      "accept-ranges": "bytes",
      "cache-control": "no-store",
    },
  });
}
