/**
 * Track and profile metadata documents, validated against the JSON Schemas
 * in ./schemas (the JSON files are the source of truth, carried `as const` in ./schemas/index.ts; the types
 * below mirror them).
 */
import { Validator, type OutputUnit, type Schema } from "@cfworker/json-schema";
import { InvalidMetadataError } from "../errors.ts";
import { profileSchema, trackSchema } from "./schemas/index.ts";

export { profileSchema, trackSchema };

export type AudioMimeType =
  "audio/mpeg" | "audio/flac" | "audio/wav" | "audio/ogg" | "audio/aac" | "audio/mp4" | "audio/webm";
export type ImageMimeType = "image/jpeg" | "image/png" | "image/webp" | "image/avif";

/** `metadata.json` of a track package (schema `urn:harmonie:schema:track-metadata:1`). */
export interface TrackMetadata {
  schemaVersion: 1;
  title: string;
  artist: string;
  /** 12 characters, no hyphens, e.g. `USRC17607839`. */
  isrc?: string;
  durationSeconds: number;
  genre: string;
  /** `YYYY-MM-DD`. */
  releaseDate?: string;
  explicit?: boolean;
  licence: { summary: string; spdx?: string; url?: string };
  exclusive?: boolean;
  files: {
    audio: {
      path: string;
      mimeType: AudioMimeType;
      encryption?: { algorithm: "AES-256-GCM"; format: "HCEA-2" | "HCEA-1"; context?: string };
    };
    cover: { path: string; mimeType: ImageMimeType };
    lyrics?: { path: string; mimeType: "text/plain" | "application/lrc" };
  };
}

/** `profile.json` of a profile package (schema `urn:harmonie:schema:profile:1`). */
export interface ProfileMetadata {
  schemaVersion: 1;
  displayName: string;
  bio?: string;
  address?: `0x${string}`;
  links?: Array<{ label: string; url: string }>;
  avatar?: { path: string; mimeType: ImageMimeType };
}

// Created on first use so importing the module stays side-effect free.
let trackValidator: Validator | undefined;
let profileValidator: Validator | undefined;

/**
 * Validates a track metadata document.
 *
 * @throws {InvalidMetadataError} listing every violated rule.
 * @example
 * ```ts
 * const metadata = validateTrackMetadata(JSON.parse(text))
 * ```
 */
export function validateTrackMetadata(value: unknown): TrackMetadata {
  trackValidator ??= new Validator(trackSchema as unknown as Schema, "2020-12", false);
  check(trackValidator, value, "Track metadata");
  return value as TrackMetadata;
}

/**
 * Validates a profile document.
 *
 * @throws {InvalidMetadataError} listing every violated rule.
 * @example
 * ```ts
 * validateProfile({ schemaVersion: 1, displayName: 'Nina' })
 * ```
 */
export function validateProfile(value: unknown): ProfileMetadata {
  profileValidator ??= new Validator(profileSchema as unknown as Schema, "2020-12", false);
  check(profileValidator, value, "Profile");
  return value as ProfileMetadata;
}

const HINTS: Record<string, string> = {
  "/isrc": "use the 12-character ISRC without hyphens, e.g. USRC17607839",
  "/releaseDate": "use YYYY-MM-DD",
  "/address": "use a 0x-prefixed 20-byte hex address",
  "/licence/url": "use an https:// or ipfs:// URL",
};

function check(validator: Validator, value: unknown, what: string): void {
  const result = validator.validate(value);
  if (result.valid) return;
  const issues = result.errors.filter(isLeaf).map(describe);
  throw new InvalidMetadataError(what, issues.length > 0 ? issues : ["document does not match the schema"]);
}

// Container keywords only repeat that a child failed; the child says why.
const CONTAINER_KEYWORDS = new Set(["properties", "$ref", "items", "prefixItems", "allOf", "false"]);

function isLeaf(unit: OutputUnit): boolean {
  return !CONTAINER_KEYWORDS.has(unit.keyword);
}

function describe(unit: OutputUnit): string {
  const location = unit.instanceLocation.replace(/^#/, "") || "/";
  if (unit.keyword === "additionalProperties") {
    const property = /"([^"]+)"/.exec(unit.error)?.[1] ?? "?";
    return `${location === "/" ? "" : location}/${property}: unknown field, remove it`;
  }
  const hint = HINTS[location.replace(/\/\d+/g, "")];
  return `${location}: ${unit.error.replace(/\.$/, "")}${hint === undefined ? "" : ` (${hint})`}`;
}
