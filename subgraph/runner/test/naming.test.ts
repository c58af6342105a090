// Root query field names must be graph-node's exactly, or queries written for Core's graph-node fail here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { rootFieldNames } from "../src/graphql.ts";

test("collection fields are pluralised like graph-node's Inflector", () => {
  assert.deepEqual(rootFieldNames("Tip"), ["tip", "tips"]);
  assert.deepEqual(rootFieldNames("Category"), ["category", "categories"]);
  assert.deepEqual(rootFieldNames("TokenDayData"), ["tokenDayData", "tokenDayDatas"]);
  assert.deepEqual(rootFieldNames("Status"), ["status", "statuses"]);
  // A plural equal to the singular gets `_collection` (graph-node ≥ 0.35).
  assert.deepEqual(rootFieldNames("ArtistDailyStats"), ["artistDailyStats", "artistDailyStats_collection"]);
  assert.deepEqual(rootFieldNames("Stats"), ["stats", "stats_collection"]);
});
