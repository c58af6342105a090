/**
 * The audio and cover formats a track package may carry, from the SDK's track metadata schema (the
 * protocol's list), checked the moment a file is picked or dropped and said in plain words.
 */
import { trackSchema } from "@harmonie/sdk/storage";

export type FileKind = "audio" | "cover";

const ACCEPTED: Record<FileKind, readonly string[]> = {
  audio: trackSchema.$defs.audioFile.properties.mimeType.enum,
  cover: trackSchema.$defs.imageFile.properties.mimeType.enum,
};

/** What artists call each format; any other accepted type is named by its subtype. */
const NAMES: Record<string, string> = {
  "audio/mpeg": "MP3",
  "audio/flac": "FLAC",
  "audio/wav": "WAV",
  "audio/ogg": "Ogg",
  "audio/aac": "AAC",
  "audio/mp4": "M4A",
  "audio/webm": "WebM",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/webp": "WebP",
  "image/avif": "AVIF",
};

/**
 * Other names browsers and systems give the same formats (a .wav is `audio/x-wav` on many Linux
 * systems, an .m4a `audio/x-m4a` on Windows and macOS): used only when what they stand for is accepted.
 */
const ALIASES: Record<string, string> = {
  "audio/mp3": "audio/mpeg",
  "audio/x-mp3": "audio/mpeg",
  "audio/x-mpeg": "audio/mpeg",
  "audio/x-flac": "audio/flac",
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "audio/vnd.wave": "audio/wav",
  "audio/x-pn-wav": "audio/wav",
  "audio/x-aac": "audio/aac",
  "audio/aacp": "audio/aac",
  "audio/x-m4a": "audio/mp4",
  "audio/m4a": "audio/mp4",
  "audio/vorbis": "audio/ogg",
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
};

/**
 * When the browser gives no type at all (some systems know no MIME type for .flac or .m4a), the
 * file's extension is matched against the accepted types' own names: `flac` is `audio/flac`, `mp3`
 * is MP3 (`audio/mpeg`), `m4a` is M4A (`audio/mp4`); `jpg` is JPEG's usual extension.
 */
function typeFromExtension(kind: FileKind, extension: string | undefined): string | undefined {
  if (!extension) return undefined;
  const wanted = extension === "jpg" ? "jpeg" : extension;
  return ACCEPTED[kind].find((type) => type.split("/")[1] === wanted || nameOf(type).toLowerCase() === wanted);
}

const nameOf = (type: string) => NAMES[type] ?? type.split("/")[1]!.toUpperCase();

/** "MP3, FLAC, WAV, Ogg, AAC, M4A and WebM". */
export function acceptedNames(kind: FileKind): string {
  const names = ACCEPTED[kind].map(nameOf);
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names.join("");
}

/** For `<input accept>`: the accepted types and what they are also called. */
export function acceptAttribute(kind: FileKind): string {
  const aliases = Object.keys(ALIASES).filter((alias) => ACCEPTED[kind].includes(ALIASES[alias]!));
  return [...ACCEPTED[kind], ...aliases].join(",");
}

export type FileCheck = { ok: true; mimeType: string } | { ok: false; message: string };

/** Whether the protocol takes this file as `kind`, with the MIME type to store it under. */
export function checkFile(file: File, kind: FileKind): FileCheck {
  const declared = file.type.toLowerCase().split(";")[0]!.trim();
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(file.name)?.[1]?.toLowerCase();
  const type = ACCEPTED[kind].includes(declared)
    ? declared
    : declared === ""
      ? typeFromExtension(kind, extension)
      : ALIASES[declared];
  if (type && ACCEPTED[kind].includes(type)) {
    if (file.size === 0) return { ok: false, message: "This file is empty." };
    return { ok: true, mimeType: type };
  }
  const what = extension ? `This is an .${extension} file` : "This file's format is not recognised";
  const wanted = kind === "audio" ? "audio" : "cover images";
  const hint =
    kind === "audio"
      ? "Export or convert it to one of these (WAV or FLAC keep the full quality)."
      : "Save it as one of these from any image editor.";
  return {
    ok: false,
    message: `${what}. HarmonieCORE accepts ${wanted} in ${acceptedNames(kind)}. ${hint}`,
  };
}

/** "24 kB", "3.4 MB": file sizes as people read them. */
export function sizeOf(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 100) / 10} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
