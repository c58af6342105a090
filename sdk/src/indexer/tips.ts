/** Tips as indexed: `Tip` rows, in chain order, paged by position. */
import type { Address } from "viem";
import type { Tip as TipEntity, Tip_filter } from "../generated/subgraph.ts";
import { type Tip, type TipPosition, compareTips, tipId } from "../tip.ts";
import {
  type Page,
  type RawToken,
  type Row,
  TOKEN_FIELDS,
  accountId,
  address,
  big,
  pageSize,
  queryIndexer,
  toToken,
} from "./core.ts";

/** @deprecated The one tip type is `Tip` (same fields, plus `logIndex`). */
export type IndexedTip = Tip;

export const TIP_FIELDS = `id artist { id } from { id } streamId token { ${TOKEN_FIELDS} } amount message timestamp blockNumber logIndex transactionHash`;
export type RawTip = Row<
  TipEntity,
  "streamId" | "amount" | "message" | "timestamp" | "blockNumber" | "logIndex" | "transactionHash",
  { artist: { id: string }; from: { id: string }; token: RawToken }
>;
export const toTip = (raw: RawTip): Tip => ({
  id: tipId(raw.transactionHash, big(raw.logIndex)),
  transactionHash: raw.transactionHash,
  blockNumber: big(raw.blockNumber),
  logIndex: Number(raw.logIndex),
  artist: address(raw.artist.id),
  from: address(raw.from.id),
  streamId: big(raw.streamId),
  token: toToken(raw.token),
  amount: big(raw.amount),
  message: raw.message,
  timestamp: big(raw.timestamp),
});

export interface TipsParams {
  /** Any graph-node filter over tips, e.g. `{ artist: "0x…", token: "0x…" }` (addresses lowercase). */
  where?: Omit<Tip_filter, "or" | "and">;
  /** Default 20, at most 999. */
  first?: number;
  /** The previous page's `cursor`: continue after that tip. */
  after?: TipPosition | null;
  /** Default `newest` first. */
  order?: "newest" | "oldest";
}

/**
 * A page of tips in chain order (block, then log index), newest first by default, with any typed
 * filter. The cursor is a position, so a page may end inside a block and the next one continues in it
 * without a duplicate or a gap (graph-node orders rows of one block by id, not by log position: the
 * block a page ends in is read again by log index).
 *
 * @example
 * let page = await getTips(indexerUrl, { where: { artist: artist.toLowerCase() }, first: 20 });
 * while (page.hasNextPage) page = await getTips(indexerUrl, { where, first: 20, after: page.cursor });
 */
export async function getTips(url: string, params: TipsParams = {}): Promise<Page<Tip, TipPosition>> {
  const first = pageSize(params.first, 20);
  const newest = (params.order ?? "newest") === "newest";
  const direction = newest ? "desc" : "asc";
  const beyond = newest ? "_lt" : "_gt";
  const base = params.where ?? {};
  const after = params.after;
  // graph-node refuses a column filter beside `or`: each branch repeats the caller's filter.
  const where = after
    ? {
        or: [
          { ...base, [`blockNumber${beyond}`]: String(after.blockNumber) },
          { ...base, blockNumber: String(after.blockNumber), [`logIndex${beyond}`]: String(after.logIndex) },
        ],
      }
    : base;
  const query = (orderBy: "blockNumber" | "logIndex") => `query Tips($where: Tip_filter, $first: Int) {
    tips(where: $where, first: $first, orderBy: ${orderBy}, orderDirection: ${direction}) { ${TIP_FIELDS} }
  }`;
  const inOrder = (a: Tip, b: Tip) => (newest ? compareTips(b, a) : compareTips(a, b));
  const rows = (await queryIndexer<{ tips: RawTip[] }>(url, query("blockNumber"), { where, first: first + 1 })).tips
    .map(toTip)
    .sort(inOrder);
  if (rows.length <= first) return { items: rows, hasNextPage: false, cursor: rows.at(-1) ?? null };

  // The look-ahead row's block may be cut anywhere: keep the blocks before it, read it by log index.
  const edge = rows[first]!.blockNumber;
  const whole = rows.filter((tip) => tip.blockNumber !== edge);
  const inEdge: Record<string, unknown> = { ...base, blockNumber: String(edge) };
  if (after && after.blockNumber === edge) inEdge[`logIndex${beyond}`] = String(after.logIndex);
  const edgeRows = (
    await queryIndexer<{ tips: RawTip[] }>(url, query("logIndex"), { where: inEdge, first: first + 1 - whole.length })
  ).tips
    .map(toTip)
    .sort(inOrder);
  const items = [...whole, ...edgeRows].slice(0, first);
  return { items, hasNextPage: true, cursor: items.at(-1) ?? null };
}

/**
 * The latest tips, newest first: all of them, or one artist's. For more than one page, `getTips`.
 *
 * @example
 * const tips = await getLatestTips(indexerUrl, { artist, first: 20 });
 */
export async function getLatestTips(
  url: string,
  params: { artist?: Address; first?: number; after?: TipPosition | null } = {},
): Promise<Tip[]> {
  const where = params.artist ? { artist: accountId(params.artist) } : {};
  return (await getTips(url, { where, first: params.first, after: params.after })).items;
}

/**
 * The tips a fan sent, newest first, a page at a time: a fan's history across artists.
 *
 * @example
 * const { items, hasNextPage, cursor } = await getSentTips(indexerUrl, { fan: account, first: 20 });
 */
export function getSentTips(
  url: string,
  params: { fan: Address; first?: number; after?: TipPosition | null },
): Promise<Page<Tip, TipPosition>> {
  return getTips(url, { where: { from: accountId(params.fan) }, first: params.first, after: params.after });
}

/**
 * A live session's tips in the order they happened, optionally only those after a block (for polling).
 *
 * @example
 * const tips = await getStreamTips(indexerUrl, { streamId: 3n, afterBlock: lastSeenBlock });
 */
export async function getStreamTips(
  url: string,
  params: { streamId: bigint; afterBlock?: bigint; first?: number },
): Promise<Tip[]> {
  const where = {
    streamId: String(params.streamId),
    ...(params.afterBlock === undefined ? {} : { blockNumber_gt: String(params.afterBlock) }),
  };
  return (await getTips(url, { where, first: params.first ?? 100, order: "oldest" })).items;
}
