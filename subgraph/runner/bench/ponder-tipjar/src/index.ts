// What the tipjar subgraph's handleTipped does: one Tip row, the artist's aggregate updated.
import { ponder } from "ponder:registry";
import { artist, tip } from "ponder:schema";

ponder.on("TipJar:Tipped", async ({ event, context }) => {
  const { from, artist: artistId, amount, message, data } = event.args;
  await context.db.insert(tip).values({
    id: `${event.transaction.hash}-${event.log.logIndex}`,
    from,
    artist: artistId,
    amount,
    kind: amount > 100n ? "LARGE" : "SMALL",
    message,
    data,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    txFrom: event.transaction.from,
    gasUsed: event.transactionReceipt?.gasUsed ?? null,
  });
  await context.db
    .insert(artist)
    .values({ id: artistId, total: amount, tipCount: 1, average: Number(amount), verified: false })
    .onConflictDoUpdate((row) => ({
      total: row.total + amount,
      tipCount: row.tipCount + 1,
      average: Number(row.total + amount) / (row.tipCount + 1),
    }));
});
