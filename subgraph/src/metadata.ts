import { Bytes, dataSource, json, JSONValue, JSONValueKind, TypedMap } from "@graphprotocol/graph-ts";
import { TrackMetadata } from "../generated/schema";

// The TrackMetadata file data source: a track package's metadata.json from IPFS. Anyone writes these
// files, so nothing here may abort: the JSON is parsed with try_fromBytes, every field's kind is checked
// before it is read, and numbers are read as f64 (a JSON number is always one; toI64 aborts on `3.5`).
// A file that is not a JSON object leaves no entity (Track.metadata then resolves to null).
//
// As graph-node runs it: against an empty store (its own writes only), in its own causality region.

/** Longest text kept per field: a title or name is shown, searched and ranked, never a document. */
const MAX_TEXT = 200;
/** Longest duration kept: a day. */
const MAX_DURATION = 86_400.0;

export function handleTrackMetadata(content: Bytes): void {
  let parsed = json.try_fromBytes(content);
  if (parsed.isError) return;
  let value = parsed.value;
  if (value.kind != JSONValueKind.OBJECT) return;
  let fields = value.toObject();

  let metadata = new TrackMetadata(dataSource.stringParam());
  metadata.title = text(fields, "title");
  metadata.artistName = text(fields, "artist");
  let genre = text(fields, "genre");
  metadata.genre = genre;
  if (genre !== null) metadata.genreKey = genreKey(genre);
  metadata.isrc = text(fields, "isrc");
  let duration = fields.get("durationSeconds");
  if (duration !== null && duration.kind == JSONValueKind.NUMBER) {
    let seconds = duration.toF64();
    // NaN fails both comparisons.
    if (seconds >= 0.0 && seconds <= MAX_DURATION) metadata.durationSeconds = <i32>Math.round(seconds);
  }
  metadata.save();
}

/** A string field, trimmed and cut to MAX_TEXT characters; null if missing, not a string or empty. */
function text(fields: TypedMap<string, JSONValue>, key: string): string | null {
  let value = fields.get(key);
  if (value === null || value.kind != JSONValueKind.STRING) return null;
  let s = value.toString().trim();
  if (s.length == 0) return null;
  return s.length > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
}

/** Lowercase, inner whitespace runs collapsed to one space: "Afro  Folk" and "afro folk" are one genre. */
export function genreKey(genre: string): string {
  let words = genre.toLowerCase().split(" ");
  let kept = new Array<string>();
  for (let i = 0; i < words.length; i++) {
    let word = words[i].trim();
    if (word.length > 0) kept.push(word);
  }
  return kept.join(" ");
}
