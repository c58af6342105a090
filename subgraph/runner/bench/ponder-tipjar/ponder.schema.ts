// The tipjar subgraph's Tip and Artist entities (test/fixtures/tipjar/schema.graphql).
import { onchainTable } from "ponder";

export const tip = onchainTable("tip", (t) => ({
  id: t.text().primaryKey(),
  from: t.hex().notNull(),
  artist: t.hex().notNull(),
  amount: t.bigint().notNull(),
  kind: t.text().notNull(),
  message: t.text().notNull(),
  data: t.hex().notNull(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  txFrom: t.hex().notNull(),
  gasUsed: t.bigint(),
}));

export const artist = onchainTable("artist", (t) => ({
  id: t.hex().primaryKey(),
  total: t.bigint().notNull(),
  tipCount: t.integer().notNull(),
  average: t.doublePrecision().notNull(),
  verified: t.boolean().notNull(),
}));
