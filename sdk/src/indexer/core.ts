/**
 * What every indexer query shares: the request, its typed errors, the row types built from the
 * generated subgraph types, and the conversions from graph-node's strings. Plain GraphQL over fetch,
 * identical against Core's graph-node and the local emulator (`npm run indexer`).
 */
import type { Address } from "viem";
import { IndexerError } from "../errors.ts";
import type { PaymentToken } from "../generated/subgraph.ts";
import type { TipToken } from "../tip.ts";

/**
 * Runs one GraphQL query against a subgraph endpoint.
 *
 * @example
 * const data = await queryIndexer<{ tips: { id: string }[] }>(url, "{ tips(first: 5) { id } }");
 * @throws IndexerError on HTTP failures and GraphQL errors
 */
export async function queryIndexer<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch (cause) {
    throw new IndexerError(url, "unreachable", [], { cause });
  }
  const body = (await response.json().catch(() => undefined)) as
    { data?: T; errors?: { message: string }[] } | undefined;
  if (body?.errors?.length)
    throw new IndexerError(
      url,
      "the query failed",
      body.errors.map((e) => e.message),
    );
  if (!response.ok || !body?.data) throw new IndexerError(url, `HTTP ${response.status}`);
  return body.data;
}

/**
 * A row as a query selects it: the entity's `Fields`, with the `Nested` selections of relations in
 * place of their `{ id }`.
 */
export type Row<Entity, Fields extends keyof Entity, Nested = {}> = Pick<Entity, Exclude<Fields, keyof Nested>> &
  Nested;

/** The one place graph-node's decimal strings become numbers. */
export const big = (value: string): bigint => BigInt(value);
export const bigOrNull = (value: string | null | undefined): bigint | null => (value == null ? null : BigInt(value));
/** Entity ids of accounts are lowercase addresses. */
export const address = (id: string) => id as Address;
export const addressOrNull = (ref: { id: string } | null) => (ref ? address(ref.id) : null);
/** Ids are lowercase addresses: what `where` and `id` arguments need. */
export const accountId = (account: Address) => account.toLowerCase();

/** What an indexed amount is in: show it with `decimals`. */
export type IndexedToken = TipToken;

export const TOKEN_FIELDS = "id symbol decimals";
export type RawToken = Row<PaymentToken, "id" | "symbol" | "decimals">;
export const toToken = (raw: RawToken): IndexedToken => ({
  address: address(raw.id),
  symbol: raw.symbol,
  decimals: raw.decimals,
});

/**
 * One page of a list: `cursor` continues it (pass it as `after`), null when the page is empty.
 * `hasNextPage` is known, not guessed: each query asks for one row more than it returns.
 */
export interface Page<Item, Cursor> {
  items: Item[];
  hasNextPage: boolean;
  cursor: Cursor | null;
}

/** How many rows a page holds: `first`, at least 1 and at most graph-node's 1,000 minus the look-ahead row. */
export function pageSize(first: number | undefined, fallback: number): number {
  return Math.min(Math.max(1, Math.floor(first ?? fallback)), 999);
}

/**
 * A page of `collection` ordered by id (for rows without a chain order: licences, accounts), from
 * after `after`: `where: { id_gt }` with one row of look-ahead.
 */
export async function pageById<Raw extends { id: string }, Item>(
  url: string,
  query: { collection: string; filterType: string; fields: string; where: object },
  params: { first: number; after?: string | null },
  toItem: (raw: Raw) => Item,
): Promise<Page<Item, string>> {
  const where = params.after == null ? query.where : { ...query.where, id_gt: params.after };
  const data = await queryIndexer<Record<string, Raw[]>>(
    url,
    `query Page($where: ${query.filterType}, $first: Int) {
      ${query.collection}(where: $where, first: $first, orderBy: id, orderDirection: asc) { id ${query.fields} }
    }`,
    { where, first: params.first + 1 },
  );
  const rows = data[query.collection]!;
  const page = rows.slice(0, params.first);
  return { items: page.map(toItem), hasNextPage: rows.length > params.first, cursor: page.at(-1)?.id ?? null };
}
