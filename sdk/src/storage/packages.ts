/**
 * Track and profile packages: one UnixFS directory per track/profile, with a
 * validated JSON document naming the other files by relative path.
 *
 * Track package layout (directory CID = what goes on-chain):
 *
 * ```text
 * metadata.json          validated against schemas/track-metadata.schema.json
 * audio.<ext>            or audio.<ext>.enc for exclusive tracks (HCEA-2)
 * cover.<ext>
 * lyrics.txt | lyrics.lrc   optional
 * ```
 *
 * Profile package: `profile.json` (+ `avatar.<ext>`).
 */
import type { CID } from "multiformats/cid";
import type { StorageBackend, StorageReader } from "./backend.ts";
import type { CidOrPath } from "./cid.ts";
import { encryptTrackAudio } from "./encryption.ts";
import { HarmonieError, InvalidMetadataError } from "../errors.ts";
import {
  validateProfile,
  validateTrackMetadata,
  type AudioMimeType,
  type ImageMimeType,
  type ProfileMetadata,
  type TrackMetadata,
} from "./metadata.ts";
import type { AddOptions, FileContent, FileEntry } from "./unixfs.ts";
import { collect } from "./unixfs-read.ts";

/** A media file; `mimeType` may be omitted when `content` is a typed Blob/File. */
export interface MediaFile {
  content: FileContent;
  mimeType?: string;
}

export type TrackFields = Omit<TrackMetadata, "schemaVersion" | "files" | "exclusive">;

export interface TrackPackageInput {
  metadata: TrackFields;
  audio: MediaFile;
  cover: MediaFile;
  lyrics?: { text: string; format?: "plain" | "lrc" };
  /** Makes the track exclusive: the audio is stored encrypted (see encryption.ts). */
  encryption?: { key: CryptoKey; context?: string };
}

/** The files of a package, ready for `StorageBackend.add`, plus its document. */
export interface BuiltPackage<M> {
  metadata: M;
  entries: FileEntry[];
}

export interface AddedTrackPackage {
  /** Directory CID of the whole package. */
  cid: CID;
  metadata: TrackMetadata;
  files: { metadata: CID; audio: CID; cover: CID; lyrics?: CID };
}

const AUDIO_EXTENSIONS: Record<AudioMimeType, string> = {
  "audio/mpeg": "mp3",
  "audio/flac": "flac",
  "audio/wav": "wav",
  "audio/ogg": "ogg",
  "audio/aac": "aac",
  "audio/mp4": "m4a",
  "audio/webm": "webm",
};
const IMAGE_EXTENSIONS: Record<ImageMimeType, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/avif": "avif",
};

/**
 * Validates the metadata, encrypts exclusive audio, and lays out the files
 * of a track package. Nothing is stored yet.
 *
 * @throws {InvalidMetadataError} before any work when the metadata or a MIME type is invalid.
 * @example
 * ```ts
 * const { metadata, entries } = await buildTrackPackage({ metadata: fields, audio: { content: flacFile }, cover: { content: jpgFile } })
 * ```
 */
export async function buildTrackPackage(input: TrackPackageInput): Promise<BuiltPackage<TrackMetadata>> {
  const audioType = mimeTypeOf(input.audio, AUDIO_EXTENSIONS, "audio");
  const coverType = mimeTypeOf(input.cover, IMAGE_EXTENSIONS, "cover");
  const exclusive = input.encryption !== undefined;
  const audioPath = `audio.${AUDIO_EXTENSIONS[audioType]}${exclusive ? ".enc" : ""}`;
  const coverPath = `cover.${IMAGE_EXTENSIONS[coverType]}`;
  const lyricsPath = input.lyrics?.format === "lrc" ? "lyrics.lrc" : "lyrics.txt";

  const metadata = validateTrackMetadata({
    schemaVersion: 1,
    ...input.metadata,
    ...(exclusive ? { exclusive: true } : {}),
    files: {
      audio: {
        path: audioPath,
        mimeType: audioType,
        ...(exclusive
          ? { encryption: { algorithm: "AES-256-GCM", format: "HCEA-2", ...contextField(input.encryption?.context) } }
          : {}),
      },
      cover: { path: coverPath, mimeType: coverType },
      ...(input.lyrics === undefined
        ? {}
        : { lyrics: { path: lyricsPath, mimeType: input.lyrics.format === "lrc" ? "application/lrc" : "text/plain" } }),
    },
  });

  const audio =
    input.encryption === undefined
      ? input.audio.content
      : await encryptTrackAudio(await toBytesOrBlob(input.audio.content), input.encryption.key, {
          context: input.encryption.context,
        });

  const entries: FileEntry[] = [
    { path: "metadata.json", content: encodeJson(metadata) },
    { path: audioPath, content: audio },
    { path: coverPath, content: input.cover.content },
  ];
  if (input.lyrics !== undefined)
    entries.push({ path: lyricsPath, content: new TextEncoder().encode(input.lyrics.text) });
  return { metadata, entries };
}

/**
 * Builds and adds a track package; returns the directory CID and each file's CID.
 *
 * @example
 * ```ts
 * const track = await addTrackPackage(storage, {
 *   metadata: { title: 'Night Drive', artist: 'Nina', isrc: 'USRC17607839', durationSeconds: 214.5,
 *               genre: 'Synthwave', licence: { summary: 'Personal listening only' } },
 *   audio: { content: audioFile, mimeType: 'audio/flac' },
 *   cover: { content: coverFile, mimeType: 'image/jpeg' }
 * }, { onProgress: p => console.log(p.bytes) })
 * console.log(track.cid.toString(), track.files.audio.toString())
 * ```
 */
export async function addTrackPackage(
  backend: StorageBackend,
  input: TrackPackageInput,
  options?: AddOptions,
): Promise<AddedTrackPackage> {
  const { metadata, entries } = await buildTrackPackage(input);
  const added = await backend.add(entries, options);
  const cidOf = (path: string): CID => {
    const found = added.files.find((file) => file.path === path);
    if (found === undefined) throw new HarmonieError(`${backend.name} did not report a CID for ${path}.`);
    return found.cid;
  };
  return {
    cid: added.cid,
    metadata,
    files: {
      metadata: cidOf("metadata.json"),
      audio: cidOf(metadata.files.audio.path),
      cover: cidOf(metadata.files.cover.path),
      ...(metadata.files.lyrics === undefined ? {} : { lyrics: cidOf(metadata.files.lyrics.path) }),
    },
  };
}

/**
 * Reads and validates `metadata.json` of a track package.
 *
 * @example
 * ```ts
 * const metadata = await readTrackMetadata(storage, trackCid)
 * const audio = storage.cat(`${trackCid}/${metadata.files.audio.path}`)
 * ```
 */
export async function readTrackMetadata(reader: StorageReader, packageCid: CidOrPath): Promise<TrackMetadata> {
  return validateTrackMetadata(await readJson(reader, `${String(packageCid)}/metadata.json`, "Track metadata"));
}

export interface ProfilePackageInput {
  profile: Omit<ProfileMetadata, "schemaVersion" | "avatar">;
  avatar?: MediaFile;
}

export interface AddedProfilePackage {
  cid: CID;
  profile: ProfileMetadata;
  files: { profile: CID; avatar?: CID };
}

/**
 * Validates a profile and lays out `profile.json` (+ avatar).
 *
 * @example
 * ```ts
 * const { entries } = buildProfilePackage({ profile: { displayName: 'Nina', bio: 'Synths.' } })
 * ```
 */
export function buildProfilePackage(input: ProfilePackageInput): BuiltPackage<ProfileMetadata> {
  const avatarType = input.avatar === undefined ? undefined : mimeTypeOf(input.avatar, IMAGE_EXTENSIONS, "avatar");
  const avatarPath = avatarType === undefined ? undefined : `avatar.${IMAGE_EXTENSIONS[avatarType]}`;
  const profile = validateProfile({
    schemaVersion: 1,
    ...input.profile,
    ...(avatarType === undefined ? {} : { avatar: { path: avatarPath, mimeType: avatarType } }),
  });
  const entries: FileEntry[] = [{ path: "profile.json", content: encodeJson(profile) }];
  if (input.avatar !== undefined && avatarPath !== undefined)
    entries.push({ path: avatarPath, content: input.avatar.content });
  return { metadata: profile, entries };
}

/**
 * Builds and adds a profile package.
 *
 * @example
 * ```ts
 * const { cid } = await addProfilePackage(storage, { profile: { displayName: 'Nina' }, avatar: { content: png, mimeType: 'image/png' } })
 * ```
 */
export async function addProfilePackage(
  backend: StorageBackend,
  input: ProfilePackageInput,
  options?: AddOptions,
): Promise<AddedProfilePackage> {
  const { metadata, entries } = buildProfilePackage(input);
  const added = await backend.add(entries, options);
  const find = (path: string): CID | undefined => added.files.find((file) => file.path === path)?.cid;
  const profileCid = find("profile.json");
  if (profileCid === undefined) throw new HarmonieError(`${backend.name} did not report a CID for profile.json.`);
  const avatarCid = metadata.avatar === undefined ? undefined : find(metadata.avatar.path);
  return {
    cid: added.cid,
    profile: metadata,
    files: { profile: profileCid, ...(avatarCid === undefined ? {} : { avatar: avatarCid }) },
  };
}

/**
 * Reads and validates `profile.json` of a profile package.
 *
 * @example
 * ```ts
 * const profile = await readProfile(storage, profileCid)
 * ```
 */
export async function readProfile(reader: StorageReader, packageCid: CidOrPath): Promise<ProfileMetadata> {
  return validateProfile(await readJson(reader, `${String(packageCid)}/profile.json`, "Profile"));
}

async function readJson(reader: StorageReader, path: string, what: string): Promise<unknown> {
  const text = new TextDecoder().decode(await collect(reader.cat(path)));
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidMetadataError(what, [`${path} is not valid JSON`]);
  }
}

function mimeTypeOf<T extends string>(file: MediaFile, allowed: Record<T, string>, field: string): T {
  const blobType = typeof Blob !== "undefined" && file.content instanceof Blob ? file.content.type : "";
  const type = (file.mimeType ?? blobType).toLowerCase().split(";")[0]?.trim() ?? "";
  if (!(type in allowed)) {
    throw new InvalidMetadataError(`The ${field} file`, [
      `MIME type "${type}" is not accepted; use one of ${Object.keys(allowed).join(", ")}`,
    ]);
  }
  return type as T;
}

function contextField(context: string | undefined): { context?: string } {
  return context === undefined ? {} : { context };
}

function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

async function toBytesOrBlob(content: FileContent): Promise<Uint8Array | Blob> {
  if (content instanceof Uint8Array) return content;
  if (typeof Blob !== "undefined" && content instanceof Blob) return content;
  return collect(content as AsyncIterable<Uint8Array>);
}
