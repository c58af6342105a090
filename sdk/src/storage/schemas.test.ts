/**
 * The JSON Schemas in ./schemas/*.schema.json are the source of truth; ./schemas/index.ts carries the
 * same objects `as const` so the published `.d.ts` has no JSON import (which `module: node16` rejects).
 * After editing a schema: UPDATE_SCHEMAS=1 node --test src/storage/schemas.test.ts, then prettier.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { it } from "node:test";
import { profileSchema, trackSchema } from "./schemas/index.ts";

const json = (name: string): unknown => JSON.parse(readFileSync(new URL(`./schemas/${name}`, import.meta.url), "utf8"));

it("schemas/index.ts is the JSON schema files, unchanged", () => {
  const track = json("track-metadata.schema.json");
  const profile = json("profile.schema.json");
  if (process.env.UPDATE_SCHEMAS)
    writeFileSync(
      new URL("./schemas/index.ts", import.meta.url),
      [
        "// Generated from track-metadata.schema.json and profile.schema.json (the source of truth) by",
        "// UPDATE_SCHEMAS=1 node --test src/storage/schemas.test.ts; that test fails when they differ.",
        "",
        "/** The track metadata JSON Schema (`urn:harmonie:schema:track-metadata:1`). */",
        `export const trackSchema = ${JSON.stringify(track, null, 2)} as const;`,
        "",
        "/** The profile JSON Schema (`urn:harmonie:schema:profile:1`). */",
        `export const profileSchema = ${JSON.stringify(profile, null, 2)} as const;`,
        "",
      ].join("\n"),
    );
  assert.deepEqual(trackSchema, track, "track-metadata.schema.json changed: regenerate schemas/index.ts");
  assert.deepEqual(profileSchema, profile, "profile.schema.json changed: regenerate schemas/index.ts");
});
