/**
 * Typed queries over the HarmonieCORE subgraph, one file per domain: plain GraphQL over fetch,
 * identical against Core's graph-node and the local emulator (`npm run indexer`). Row types come from
 * the schema (`../generated/subgraph.ts`); numbers arrive as strings (BigInt, BigDecimal) and are
 * returned as `bigint`. Single lookups return undefined for what the indexer has not seen.
 */
export { type IndexedToken, type Page, queryIndexer } from "./core.ts";
export { type IndexedTip, type TipsParams, getLatestTips, getSentTips, getStreamTips, getTips } from "./tips.ts";
export * from "./artists.ts";
export * from "./tracks.ts";
export * from "./discovery.ts";
export * from "./live.ts";
export * from "./governance.ts";
export * from "./status.ts";
export { type Supporter, type TopSupporters, getTopSupporters } from "./supporters.ts";
