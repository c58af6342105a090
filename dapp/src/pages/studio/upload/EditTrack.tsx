/**
 * Editing a published track: what the ContentRegistry lets an artist change is the metadata package
 * a track points at (`updateMetadata`), so the title, artist name, genre, licence terms and cover
 * change by uploading a new package and pointing the track at it. The recording stays: its ISRC
 * names it, and the same audio file (encrypted, for an exclusive track) goes into the new package
 * byte for byte. Offers are edited next to it (price, on or off sale, new offers).
 */
import { updateTrackMetadata } from "@harmonie/sdk";
import {
  type FileEntry,
  type TrackMetadata,
  createTrustlessGatewayReader,
  validateTrackMetadata,
} from "@harmonie/sdk/storage";
import { type FormEvent, useState } from "react";
import { useHarmonie } from "../../../lib/harmonie.tsx";
import { TxStatus, useTx } from "../../../lib/tx.tsx";
import { useWallet } from "../../../lib/wallet.ts";
import { DropZone, type Picked, useObjectUrl } from "./DropZone.tsx";
import { type PublishProgress, PublishSteps } from "./PublishSteps.tsx";
import { publishing } from "./transport.ts";

export function EditTrack({
  trackId,
  metadataCid,
  metadata,
  coverUrl,
  onDone,
}: {
  trackId: bigint;
  metadataCid: string;
  metadata: TrackMetadata;
  coverUrl?: string;
  /** Closes the form; `saved` once the change is on chain. */
  onDone: (saved: boolean) => void;
}) {
  const { config, deployment } = useHarmonie();
  const wallet = useWallet();
  const tx = useTx();
  const [fields, setFields] = useState({
    title: metadata.title,
    artist: metadata.artist,
    genre: metadata.genre,
    licence: metadata.licence.summary,
  });
  const [cover, setCover] = useState<Picked>();
  const [progress, setProgress] = useState<PublishProgress>();
  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [name]: e.target.value }));
  const trimmed = {
    title: fields.title.trim(),
    artist: fields.artist.trim(),
    genre: fields.genre.trim(),
    licence: fields.licence.trim(),
  };
  const changed =
    !!cover ||
    trimmed.title !== metadata.title ||
    trimmed.artist !== metadata.artist ||
    trimmed.genre !== metadata.genre ||
    trimmed.licence !== metadata.licence.summary;
  const complete = Object.values(trimmed).every((value) => value !== "");
  const newCoverUrl = useObjectUrl(cover?.file);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet || !changed || !complete) return;
    const update = (next: Partial<PublishProgress>) => setProgress((p) => ({ stage: "fetch", ...p, ...next }));
    setProgress({ stage: "fetch" });
    const done = await tx.run("Save changes", async () => {
      // The files the new package keeps, read back (and verified) from the current one.
      const reader = createTrustlessGatewayReader(config.ipfsGatewayUrl);
      const listing = await reader.list(metadataCid);
      const keep = [metadata.files.audio.path, ...(cover ? [] : [metadata.files.cover.path])];
      if (metadata.files.lyrics) keep.push(metadata.files.lyrics.path);
      const total = listing.filter((entry) => keep.includes(entry.name)).reduce((sum, entry) => sum + entry.size, 0);
      let read = 0;
      const kept: FileEntry[] = [];
      for (const path of keep) {
        const chunks: Uint8Array[] = [];
        for await (const chunk of reader.cat(`${metadataCid}/${path}`)) {
          chunks.push(chunk);
          read += chunk.byteLength;
          update({ fetched: { bytes: Math.min(read, total), total } });
        }
        kept.push({ path, content: new Blob(chunks as Uint8Array<ArrayBuffer>[]) });
      }
      // A new cover's file name only needs to differ from nothing else in the package.
      const coverFile = cover
        ? { path: `cover.${cover.mimeType.split("/")[1]}`, mimeType: cover.mimeType }
        : metadata.files.cover;
      const next = validateTrackMetadata({
        ...metadata,
        title: trimmed.title,
        artist: trimmed.artist,
        genre: trimmed.genre,
        licence: { ...metadata.licence, summary: trimmed.licence },
        files: { ...metadata.files, cover: coverFile },
      });
      const entries: FileEntry[] = [
        { path: "metadata.json", content: new TextEncoder().encode(`${JSON.stringify(next, null, 2)}\n`) },
        ...kept,
        ...(cover ? [{ path: coverFile.path, content: cover.file }] : []),
      ];
      const all = entries.reduce(
        (sum, entry) =>
          sum + (entry.content instanceof Blob ? entry.content.size : (entry.content as Uint8Array).byteLength),
        0,
      );
      update({ stage: "prepare" });
      const { storage, wallet: watched } = publishing(config.ipfsUploadUrl, wallet, update);
      const added = await storage.add(entries, {
        onProgress: (p) => update({ prepared: { bytes: Math.min(p.bytes, all), total: all } }),
      });
      update({ stage: "register", asked: false });
      const written = await updateTrackMetadata(watched, {
        deployment,
        trackId,
        metadataCid: added.cid.toString(),
      });
      update({ stage: "done", prompt: undefined });
      return written;
    });
    if (done) onDone(true);
    else setProgress((p) => p && { ...p, failed: true, prompt: undefined });
  }

  return (
    <form className="form track-edit" onSubmit={submit} aria-label="Edit track details" noValidate>
      <h4>Edit details</h4>
      <p className="muted">
        The recording and its ISRC stay the same; for another recording, publish a new track with its own ISRC.
      </p>
      <div className="two">
        <label>
          Title
          <input value={fields.title} onChange={set("title")} required maxLength={200} />
        </label>
        <label>
          Artist name
          <input value={fields.artist} onChange={set("artist")} required maxLength={200} />
        </label>
        <label>
          Genre
          <input value={fields.genre} onChange={set("genre")} required maxLength={64} />
        </label>
        <label>
          Licence terms (summary)
          <input value={fields.licence} onChange={set("licence")} required maxLength={500} />
        </label>
      </div>
      <div className="track-edit-cover">
        {(newCoverUrl ?? coverUrl) && (
          <img className="preview-cover" src={newCoverUrl ?? coverUrl} alt={cover ? "New cover" : "Current cover"} />
        )}
        <DropZone kind="cover" label="New cover (optional)" picked={cover} onPick={setCover} />
      </div>
      {!complete && <p className="error">Title, artist name, genre and licence terms cannot be empty.</p>}
      <div className="buttons">
        <button type="submit" disabled={!wallet || !changed || !complete || tx.busy}>
          Save changes
        </button>
        <button type="button" className="secondary" onClick={() => onDone(false)} disabled={tx.busy}>
          Cancel
        </button>
      </div>
      {progress && (
        <PublishSteps progress={progress} chainTitle="Point the track at the new details on Core" withFetch />
      )}
      {tx.state.status !== "pending" && <TxStatus state={tx.state} />}
    </form>
  );
}
