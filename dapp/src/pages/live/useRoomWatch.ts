/** A fan in an artist's live room: joins on request, plays the media, chat both ways, live tip notices. */
import { getSessionPlaybackId } from "@harmonie/sdk";
import type { LiveWatch, TipNotice } from "@harmonie/sdk/streaming";
import { useCallback, useEffect, useRef, useState } from "react";
import { describeError } from "../../lib/errors.ts";
import { useHarmonie } from "../../lib/harmonie.tsx";
import { isRoomsPlayback, livepeerProvider, roomsProvider } from "../../lib/streaming.ts";
import { useReader, useWallet } from "../../lib/wallet.ts";
import { type ChatLine, chatLine } from "./LiveChat.tsx";

export type WatchState =
  | { status: "idle" }
  | { status: "joining" }
  | { status: "connecting" | "watching"; watch: LiveWatch }
  | { status: "ended"; reason: string }
  | { status: "error"; message: string; name: string };

/**
 * Watches a session however its artist broadcasts it, known from the playback id it was opened with
 * (read from the chain, so a session the indexer has not seen yet works too): a `rooms:` id joins the
 * room; any other id is a Livepeer playback, played over WebRTC — gated ones with the access key
 * of one sign-in to the deployment's Livepeer service.
 */
export function useRoomWatch(streamId: bigint, gatingTrackId: bigint, onTip: (tip: TipNotice) => void) {
  const harmonie = useHarmonie();
  const wallet = useWallet();
  const reader = useReader();
  const [state, setState] = useState<WatchState>({ status: "idle" });
  const [lines, setLines] = useState<ChatLine[]>([]);
  const current = useRef<LiveWatch | undefined>(undefined);
  const mounted = useRef(true);
  const tipHandler = useRef(onTip);
  tipHandler.current = onTip;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      void current.current?.leave();
      current.current = undefined;
    };
  }, []);

  const join = useCallback(async () => {
    if (!wallet) return;
    setState({ status: "joining" });
    try {
      const playbackId = await getSessionPlaybackId(reader, { deployment: harmonie.deployment, streamId });
      let watch: LiveWatch;
      if (playbackId && !isRoomsPlayback(playbackId)) {
        const gated = gatingTrackId !== 0n;
        const { provider, accessKey } = await livepeerProvider(harmonie, wallet, reader, { signIn: gated });
        watch = await provider.watch({ streamId, accessKey, play: true });
      } else {
        const provider = await roomsProvider(harmonie, wallet, reader);
        if (!provider) throw new Error("This deployment has no live video service.");
        // Signs in to the signalling service with the wallet (one signature), then the artist's offer arrives.
        watch = await provider.watch({ streamId });
      }
      if (!mounted.current) return void watch.leave();
      current.current = watch;
      watch.onChat((message) => setLines((all) => [...all, chatLine(message.from, message.text)]));
      watch.onTip((tip) => tipHandler.current(tip));
      setState({ status: "connecting", watch });
      void watch.ready.then(() =>
        setState((now) => (now.status === "connecting" && now.watch === watch ? { status: "watching", watch } : now)),
      );
    } catch (error) {
      console.error(error);
      if (mounted.current)
        setState({ status: "error", message: describeError(error), name: (error as Error)?.name ?? "Error" });
    }
  }, [wallet, reader, harmonie, streamId, gatingTrackId]);

  // The room ends when the artist ends the session (or the connection drops): the SDK closes the peer connection.
  const watch = state.status === "connecting" || state.status === "watching" ? state.watch : undefined;
  useEffect(() => {
    if (!watch) return;
    const timer = setInterval(() => {
      const connection = watch.connection?.connectionState;
      if (connection === "closed" || connection === "failed") {
        current.current = undefined;
        void watch.leave();
        setState({
          status: "ended",
          reason:
            connection === "failed" ? "The connection to the artist dropped." : "The artist ended the live video.",
        });
      }
    }, 500);
    return () => clearInterval(timer);
  }, [watch]);

  const send = useCallback(
    (text: string) => {
      if (!watch) return;
      try {
        watch.chat(text);
        setLines((all) => [...all, chatLine(wallet?.account.address ?? "", text, true)]);
      } catch (error) {
        setLines((all) => [...all, chatLine("", `Not sent: ${describeError(error)}`, true)]);
      }
    },
    [watch, wallet],
  );

  /** Ends the watch with a reason (e.g. the session was closed on chain while the video still ran). */
  const stop = useCallback((reason: string) => {
    const watching = current.current;
    current.current = undefined;
    void watching?.leave();
    setState((now) => (now.status === "connecting" || now.status === "watching" ? { status: "ended", reason } : now));
  }, []);

  return { state, join, stop, lines, send, canJoin: !!wallet };
}
