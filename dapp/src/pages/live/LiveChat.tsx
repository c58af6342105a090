import { type FormEvent, useEffect, useRef, useState } from "react";
import { shortAddress } from "../../lib/format.ts";
import { cleanText } from "../../lib/text.tsx";

/** Longest chat message the rooms carry (the SDK's MAX_CHAT_CHARS). */
const MAX_CHAT_CHARS = 500;

export interface ChatLine {
  key: number;
  from: string;
  text: string;
  mine: boolean;
}

let nextKey = 0;
export const chatLine = (from: string, text: string, mine = false): ChatLine => ({
  key: nextKey++,
  from,
  text,
  mine,
});

/** Live chat over the room's data channels. Messages are user content: rendered as text only. */
export function LiveChat({
  lines,
  artist,
  onSend,
  disabledReason,
}: {
  lines: ChatLine[];
  artist: string;
  onSend: (text: string) => void;
  /** Why chat is unavailable (not in the room yet …); undefined when it works. */
  disabledReason?: string;
}) {
  const [text, setText] = useState("");
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [lines.length]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || disabledReason) return;
    onSend(trimmed);
    setText("");
  }

  const who = (line: ChatLine) =>
    line.mine ? "You" : line.from.toLowerCase() === artist.toLowerCase() ? "Artist" : shortAddress(line.from);
  return (
    <section aria-labelledby="live-chat-heading" className="live-chat">
      <h2 id="live-chat-heading">Live chat</h2>
      {lines.length === 0 ? (
        <p className="muted">{disabledReason ?? "No messages yet. Say hello!"}</p>
      ) : (
        <ol className="chat-lines" role="log" aria-label="Chat messages" data-testid="chat" ref={list}>
          {lines.map((line) => (
            <li key={line.key} className={line.mine ? "chat-line chat-mine" : "chat-line"}>
              <span className={who(line) === "Artist" ? "chat-from chat-artist" : "chat-from"}>{who(line)}</span>{" "}
              <bdi className="chat-text">{cleanText(line.text)}</bdi>
            </li>
          ))}
        </ol>
      )}
      <form className="chat-form" onSubmit={submit}>
        <label className="sr-only" htmlFor="chat-input">
          Chat message
        </label>
        <input
          id="chat-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={MAX_CHAT_CHARS}
          placeholder={disabledReason ? "Join to chat" : "Say something…"}
          disabled={!!disabledReason}
          autoComplete="off"
        />
        <button type="submit" disabled={!!disabledReason || !text.trim()}>
          Send
        </button>
      </form>
    </section>
  );
}
