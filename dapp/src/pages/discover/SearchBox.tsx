import { useState } from "react";
import { useNavigate } from "react-router";

/** The catalogue search: tracks (title, artist name, genre) and handles; opens /search?q=…. */
export function SearchBox({ initial = "", autoFocus }: { initial?: string; autoFocus?: boolean }) {
  const [text, setText] = useState(initial);
  const navigate = useNavigate();
  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(event) => {
        event.preventDefault();
        const q = text.trim();
        if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
      }}
    >
      <label htmlFor="catalogue-search" className="sr-only">
        Search tracks, artists and handles
      </label>
      <input
        id="catalogue-search"
        type="search"
        name="q"
        value={text}
        placeholder="Song, artist, genre, @handle"
        maxLength={200}
        autoComplete="off"
        autoFocus={autoFocus}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit">Search</button>
    </form>
  );
}
