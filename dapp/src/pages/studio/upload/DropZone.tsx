/**
 * A file field that also takes a drop: the artist drags the audio or the cover onto it, or picks
 * it (keyboard included: the real input stays focusable). The format is checked at once, before
 * anything is uploaded, and a refused file is said in plain words and not kept.
 */
import { type DragEvent, type ReactNode, useEffect, useId, useState } from "react";
import { Name } from "../../../lib/text.tsx";
import { type FileKind, acceptAttribute, acceptedNames, checkFile, sizeOf } from "./formats.ts";

export interface Picked {
  file: File;
  mimeType: string;
}

export function DropZone({
  kind,
  label,
  picked,
  onPick,
  required,
  children,
}: {
  kind: FileKind;
  label: string;
  picked?: Picked;
  onPick: (picked: Picked | undefined) => void;
  required?: boolean;
  /** The preview of the picked file. */
  children?: ReactNode;
}) {
  const [over, setOver] = useState(false);
  const [refused, setRefused] = useState<string>();
  const hint = useId();
  function take(file: File | undefined) {
    setOver(false);
    if (!file) return;
    const check = checkFile(file, kind);
    if (check.ok) {
      setRefused(undefined);
      onPick({ file, mimeType: check.mimeType });
    } else {
      setRefused(check.message);
      onPick(undefined);
    }
  }
  const drop = (event: DragEvent) => {
    event.preventDefault();
    take(event.dataTransfer.files[0]);
  };
  return (
    <div
      className={`dropzone${over ? " dropzone-over" : ""}${picked ? " dropzone-picked" : ""}`}
      data-testid={`drop-${kind}`}
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => e.preventDefault()}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={drop}
    >
      <label className="dropzone-pick">
        <span className="dropzone-label">{label}</span>
        <input
          type="file"
          className="dropzone-input"
          accept={acceptAttribute(kind)}
          required={required && !picked}
          aria-describedby={hint}
          aria-invalid={!!refused}
          onChange={(e) => {
            take(e.target.files?.[0]);
            e.target.value = ""; // the same file can be picked again after a refusal
          }}
        />
        <span className="dropzone-cta" aria-hidden="true">
          {picked ? "Choose another file" : "Choose a file"}
        </span>
        <span className="muted dropzone-or">{picked ? "or drop another one here" : "or drop it here"}</span>
      </label>
      <p
        id={hint}
        className={refused ? "error" : "muted"}
        data-testid={`${kind}-check`}
        role={refused ? "alert" : undefined}
      >
        {refused ??
          (picked ? (
            <>
              ✓ <Name text={picked.file.name} /> · {sizeOf(picked.file.size)}
            </>
          ) : (
            `${acceptedNames(kind)}.`
          ))}
      </p>
      {picked && children}
    </div>
  );
}

/** An object URL for a picked file, revoked when it changes or the preview goes. */
export function useObjectUrl(file: File | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!file) return setUrl(undefined);
    const made = URL.createObjectURL(file);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [file]);
  return url;
}
