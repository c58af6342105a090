// Generated from track-metadata.schema.json and profile.schema.json (the source of truth) by
// UPDATE_SCHEMAS=1 node --test src/storage/schemas.test.ts; that test fails when they differ.

/** The track metadata JSON Schema (`urn:harmonie:schema:track-metadata:1`). */
export const trackSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:harmonie:schema:track-metadata:1",
  title: "HarmonieCORE track metadata (metadata.json of a track package)",
  type: "object",
  additionalProperties: false,
  required: ["schemaVersion", "title", "artist", "durationSeconds", "genre", "licence", "files"],
  properties: {
    schemaVersion: {
      const: 1,
    },
    title: {
      type: "string",
      minLength: 1,
      maxLength: 200,
    },
    artist: {
      type: "string",
      minLength: 1,
      maxLength: 200,
    },
    isrc: {
      description: "International Standard Recording Code, 12 characters without hyphens, e.g. USRC17607839",
      type: "string",
      pattern: "^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$",
    },
    durationSeconds: {
      type: "number",
      exclusiveMinimum: 0,
      maximum: 86400,
    },
    genre: {
      type: "string",
      minLength: 1,
      maxLength: 64,
    },
    releaseDate: {
      type: "string",
      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    },
    explicit: {
      type: "boolean",
    },
    licence: {
      type: "object",
      additionalProperties: false,
      required: ["summary"],
      properties: {
        summary: {
          description: "Plain-language summary of what buyers may do",
          type: "string",
          minLength: 1,
          maxLength: 1000,
        },
        spdx: {
          description: "SPDX identifier when a standard licence applies, e.g. CC-BY-4.0",
          type: "string",
          pattern: "^[A-Za-z0-9.+-]+$",
        },
        url: {
          type: "string",
          pattern: "^(https|ipfs)://",
        },
      },
    },
    exclusive: {
      description: "True when the audio is encrypted and released only to holders",
      type: "boolean",
    },
    files: {
      description: "Relative paths of the package's files (filled in by the SDK)",
      type: "object",
      additionalProperties: false,
      required: ["audio", "cover"],
      properties: {
        audio: {
          $ref: "#/$defs/audioFile",
        },
        cover: {
          $ref: "#/$defs/imageFile",
        },
        lyrics: {
          type: "object",
          additionalProperties: false,
          required: ["path", "mimeType"],
          properties: {
            path: {
              $ref: "#/$defs/fileName",
            },
            mimeType: {
              enum: ["text/plain", "application/lrc"],
            },
          },
        },
      },
    },
  },
  $defs: {
    fileName: {
      type: "string",
      pattern: "^[A-Za-z0-9._-]{1,64}$",
    },
    imageFile: {
      type: "object",
      additionalProperties: false,
      required: ["path", "mimeType"],
      properties: {
        path: {
          $ref: "#/$defs/fileName",
        },
        mimeType: {
          enum: ["image/jpeg", "image/png", "image/webp", "image/avif"],
        },
      },
    },
    audioFile: {
      type: "object",
      additionalProperties: false,
      required: ["path", "mimeType"],
      properties: {
        path: {
          $ref: "#/$defs/fileName",
        },
        mimeType: {
          enum: ["audio/mpeg", "audio/flac", "audio/wav", "audio/ogg", "audio/aac", "audio/mp4", "audio/webm"],
        },
        encryption: {
          description: "Present when the stored audio is encrypted; mimeType then describes the plaintext",
          type: "object",
          additionalProperties: false,
          required: ["algorithm", "format"],
          properties: {
            algorithm: {
              const: "AES-256-GCM",
            },
            format: {
              description:
                "HCEA-2: chunked, streamable (what the SDK writes); HCEA-1: one GCM over the file (read only)",
              enum: ["HCEA-2", "HCEA-1"],
            },
            context: {
              type: "string",
              maxLength: 256,
            },
          },
        },
      },
    },
  },
} as const;

/** The profile JSON Schema (`urn:harmonie:schema:profile:1`). */
export const profileSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:harmonie:schema:profile:1",
  title: "HarmonieCORE artist/fan profile (profile.json of a profile package)",
  type: "object",
  additionalProperties: false,
  required: ["schemaVersion", "displayName"],
  properties: {
    schemaVersion: {
      const: 1,
    },
    displayName: {
      type: "string",
      minLength: 1,
      maxLength: 64,
    },
    bio: {
      type: "string",
      maxLength: 2000,
    },
    address: {
      description: "EVM address on Core Network",
      type: "string",
      pattern: "^0x[0-9a-fA-F]{40}$",
    },
    links: {
      type: "array",
      maxItems: 10,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["label", "url"],
        properties: {
          label: {
            type: "string",
            minLength: 1,
            maxLength: 40,
          },
          url: {
            type: "string",
            pattern: "^(https|ipfs)://",
            maxLength: 500,
          },
        },
      },
    },
    avatar: {
      description: "Relative path of the avatar image (filled in by the SDK)",
      type: "object",
      additionalProperties: false,
      required: ["path", "mimeType"],
      properties: {
        path: {
          type: "string",
          pattern: "^[A-Za-z0-9._-]{1,64}$",
        },
        mimeType: {
          enum: ["image/jpeg", "image/png", "image/webp", "image/avif"],
        },
      },
    },
  },
} as const;
