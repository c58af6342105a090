/**
 * The player: one audio element, one queue, for the whole app. The element lives on <body>, outside
 * React, so that nothing React does to the tree (a route change, an error boundary, a remount) takes it
 * out of the document, which would pause it. Pages and the bottom bar read it with `usePlayer()`.
 *
 * Public tracks stream: the element's source is `/verified-audio/<cid>/<path>`, which the service
 * worker answers with bytes this page verified block by block (relay.ts). Exclusive tracks arrive
 * whole, decrypted on their track page (AES-GCM over the whole file: nothing to stream in chunks).
 */
import type { QueryClient } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import type { TrackMetadata } from "@harmonie/sdk/storage";
import { trackMetadataQuery } from "../lib/ipfs.ts";
import { canStream, failedStreams, readWholeFile, setGateway, streamUrl, unlock } from "./relay.ts";

/** A track in the queue: what the indexer lists for it, plus its decrypted audio once unlocked. */
export interface QueuedTrack {
  isrc: string;
  metadataCid: string;
  exclusive: boolean;
  /**
   * An exclusive track's key (from the key service, on its page): its audio then streams and decrypts
   * chunk by chunk like a public track's. Exclusive tracks without it are skipped.
   */
  unlocked?: { key: CryptoKey };
}

export type PlayerStatus = "idle" | "loading" | "playing" | "paused" | "error";

export interface PlayerState {
  queue: readonly QueuedTrack[];
  /** Index of the current track in `queue`, -1 before the first play. */
  current: number;
  metadata?: TrackMetadata;
  status: PlayerStatus;
  /** Why the track stopped, in plain words (status "error"). */
  error?: string;
  /** Said while loading when the audio cannot stream and loads whole first. */
  note?: string;
  position: number;
  duration: number;
  /** Seconds of audio the element holds from the start: seeking past it waits for the stream. */
  buffered: number;
}

let state: PlayerState = { queue: [], current: -1, status: "idle", position: 0, duration: 0, buffered: 0 };
const listeners = new Set<() => void>();
// The bar (loaded beside the first page) hands over the gateway and query cache; a play pressed
// before it arrives waits for them.
let configured: (setup: { gatewayUrl: string; queries: QueryClient }) => void;
const setup = new Promise<{ gatewayUrl: string; queries: QueryClient }>((resolve) => (configured = resolve));
let audio: HTMLAudioElement | undefined;
let objectUrl: string | undefined;
/** The file the element streams now, to match a failed stream to it. */
let streaming: string | undefined;
// Each load gets a number: a slow metadata read for a track already skipped must not start it.
let loads = 0;
/** Between pressing play and the first sound: the old track's pause is not the listener's. */
let starting = false;

function update(change: Partial<PlayerState>) {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

/** Called by the bottom bar with the app's gateway and query cache (metadata reads are shared). */
export function configurePlayer(gatewayUrl: string, queries: QueryClient) {
  configured({ gatewayUrl, queries });
  setGateway(gatewayUrl);
  element();
}

function element(): HTMLAudioElement {
  if (audio) return audio;
  audio = document.createElement("audio");
  audio.preload = "auto";
  audio.dataset.testid = "player";
  document.body.append(audio);
  const times = () =>
    update({
      position: audio!.currentTime,
      duration: Number.isFinite(audio!.duration) ? audio!.duration : (state.metadata?.durationSeconds ?? 0),
      buffered: audio!.buffered.length ? audio!.buffered.end(audio!.buffered.length - 1) : 0,
    });
  audio.addEventListener("timeupdate", times);
  audio.addEventListener("durationchange", times);
  audio.addEventListener("progress", times);
  audio.addEventListener("playing", () => {
    starting = false;
    update({ status: "playing", note: undefined });
  });
  audio.addEventListener("waiting", () => state.status === "playing" && update({ status: "loading" }));
  audio.addEventListener("pause", () => !starting && state.status !== "error" && update({ status: "paused" }));
  audio.addEventListener("ended", () => (hasNext() ? next() : update({ status: "paused" })));
  audio.addEventListener("error", () => {
    if (state.status === "error" || !audio!.getAttribute("src")) return;
    stop("Playback stopped: this browser could not play the track's audio.");
  });
  failedStreams.on = (path, message) => {
    if (path === streaming) stop(message);
  };
  mediaSessionActions();
  return audio;
}

function stop(message: string) {
  starting = false;
  audio?.pause();
  update({ status: "error", error: message });
}

/** Plays `track` now; `after` (e.g. the rest of a list) becomes the queue behind it. */
export function play(track: QueuedTrack, after: QueuedTrack[] = []) {
  update({ queue: [track, ...after.filter((t) => t.isrc !== track.isrc)], current: -1 });
  void load(0);
}

/** Adds a track at the end of the queue (starting it if nothing plays). */
export function enqueue(track: QueuedTrack) {
  if (state.queue.some((t) => t.isrc === track.isrc)) return;
  update({ queue: [...state.queue, track] });
  if (state.current === -1) void load(0);
}

export function removeFromQueue(index: number) {
  if (index === state.current) return;
  const queue = state.queue.filter((_, i) => i !== index);
  update({ queue, current: index < state.current ? state.current - 1 : state.current });
}

export function playAt(index: number) {
  void load(index);
}

export function toggle() {
  const el = element();
  if (state.status === "error" || !el.getAttribute("src")) return void load(state.current);
  if (starting) {
    // Pausing a track still loading: it does not start when its bytes arrive, and Resume loads it
    // again rather than the previous track's source.
    starting = false;
    loads++;
    el.removeAttribute("src");
    el.load();
    return update({ status: "paused" });
  }
  if (el.paused) void el.play().catch(() => {});
  else el.pause();
}

/** Moves playback to `seconds` (within the track) and returns where it goes. */
export function seek(seconds: number): number {
  const to = Math.max(0, Math.min(seconds, state.duration || seconds));
  element().currentTime = to;
  return to;
}

function playable(index: number) {
  const track = state.queue[index];
  return !!track && (!track.exclusive || !!track.unlocked);
}

function hasNext() {
  return state.queue.some((_, i) => i > state.current && playable(i));
}

export function next() {
  const index = state.queue.findIndex((_, i) => i > state.current && playable(i));
  if (index !== -1) void load(index);
}

/** Back to the start of the track after its first seconds, else the previous track (as players do). */
export function previous() {
  if (state.position > 3) return void seek(0);
  const index = state.queue.findLastIndex((_, i) => i < state.current && playable(i));
  if (index !== -1) void load(index);
  else seek(0);
}

async function load(index: number) {
  const track = state.queue[index];
  if (!track) return;
  const el = element();
  const load = ++loads;
  starting = true;
  el.pause();
  update({
    current: index,
    metadata: undefined,
    status: "loading",
    error: undefined,
    note: undefined,
    position: 0,
    duration: 0,
    buffered: 0,
  });
  try {
    const { gatewayUrl, queries } = await setup;
    const metadata = await queries.fetchQuery(trackMetadataQuery(gatewayUrl, track.metadataCid));
    if (load !== loads) return;
    update({ metadata, duration: metadata.durationSeconds });
    const path = `${track.metadataCid}/${metadata.files.audio.path}`;
    const { mimeType } = metadata.files.audio;
    streaming = undefined;
    // An unlocked track's ciphertext is verified block by block, then decrypted chunk by chunk.
    if (track.unlocked) unlock(path, track.unlocked.key, metadata.files.audio.encryption?.context);
    if (canStream()) {
      streaming = path;
      el.src = streamUrl(path, mimeType);
    } else {
      // Without the service worker (its first visit, still installing) the audio verifies whole.
      update({ note: "Loading the whole track: streaming starts once the app has finished installing." });
      const audio = await readWholeFile(path);
      if (load !== loads) return;
      el.src = blob(audio, mimeType);
    }
    await el.play();
  } catch (error) {
    if (load !== loads || (error as Error)?.name === "AbortError") return;
    const { describeAudioError } = await import("./verified-audio.ts");
    stop(describeAudioError(error));
  }
}

function blob(bytes: Uint8Array, mimeType: string) {
  if (objectUrl) URL.revokeObjectURL(objectUrl);
  objectUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
  return objectUrl;
}

/** Lock-screen and media-key controls. */
function mediaSessionActions() {
  if (!("mediaSession" in navigator)) return;
  const session = navigator.mediaSession;
  const actions: [MediaSessionAction, MediaSessionActionHandler][] = [
    [
      "play",
      () =>
        void element()
          .play()
          .catch(() => {}),
    ],
    ["pause", () => element().pause()],
    ["previoustrack", previous],
    ["nexttrack", next],
    ["seekto", (details) => details.seekTime !== undefined && seek(details.seekTime)],
    ["seekbackward", (details) => seek(state.position - (details.seekOffset ?? 10))],
    ["seekforward", (details) => seek(state.position + (details.seekOffset ?? 10))],
  ];
  for (const [action, handler] of actions) {
    try {
      session.setActionHandler(action, handler);
    } catch {
      // An action this browser does not know: the others still work.
    }
  }
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function usePlayer(): PlayerState {
  return useSyncExternalStore(subscribe, () => state);
}
