/** An artist's supporters as indexed: who tipped them, how much per token, by handle. */
import { type Address, isAddressEqual, zeroAddress } from "viem";
import type { Account } from "../generated/subgraph.ts";
import type { Tip } from "../tip.ts";
import { type IndexedToken, type Row, accountId, address, queryIndexer } from "./core.ts";
import { getTips } from "./tips.ts";

export interface Supporter {
  fan: Address;
  /** The fan's handle; null without a profile. */
  handle: string | null;
  /** What the fan tipped the artist, per token, largest first (tokens can't be added up without a price). */
  totals: { token: IndexedToken; amount: bigint }[];
  tipCount: number;
  /** The fan's latest tip to the artist (unix seconds). */
  lastTipAt: bigint;
}

export interface TopSupporters {
  supporters: Supporter[];
  /** Tips read: the artist's latest `scan` at most. */
  tipsCounted: number;
  /** False when the artist has more tips than were read: the ranking covers the latest ones. */
  complete: boolean;
}

/**
 * An artist's top supporters over their latest tips (at most `scan`, default 1,000): each fan's total
 * per token, ranked by the total in `rankBy` (default CORE), then by tip count, with handles. The
 * subgraph keeps no per-fan aggregate, so the tips are read and summed here, a page of 999 at a time.
 *
 * @example
 * const { supporters } = await getTopSupporters(indexerUrl, { artist, first: 5 });
 * for (const s of supporters) console.log(s.handle ?? s.fan, s.totals.map((t) => t.amount));
 */
export async function getTopSupporters(
  url: string,
  params: { artist: Address; first?: number; rankBy?: Address; scan?: number },
): Promise<TopSupporters> {
  const scan = Math.max(1, params.scan ?? 1000);
  const tips: Tip[] = [];
  let page = await getTips(url, { where: { artist: accountId(params.artist) }, first: Math.min(scan, 999) });
  tips.push(...page.items);
  while (page.hasNextPage && tips.length < scan) {
    page = await getTips(url, {
      where: { artist: accountId(params.artist) },
      first: Math.min(scan - tips.length, 999),
      after: page.cursor,
    });
    tips.push(...page.items);
  }

  const byFan = new Map<
    string,
    Omit<Supporter, "handle" | "totals"> & { totals: Map<string, Supporter["totals"][0]> }
  >();
  for (const tip of tips) {
    const key = tip.from.toLowerCase();
    const fan = byFan.get(key) ?? { fan: tip.from, totals: new Map(), tipCount: 0, lastTipAt: 0n };
    const token = tip.token.address.toLowerCase();
    const total = fan.totals.get(token) ?? { token: tip.token, amount: 0n };
    total.amount += tip.amount;
    fan.totals.set(token, total);
    fan.tipCount += 1;
    if (tip.timestamp > fan.lastTipAt) fan.lastTipAt = tip.timestamp;
    byFan.set(key, fan);
  }
  const rankBy = params.rankBy ?? zeroAddress;
  const ranked = [...byFan.values()]
    .map((fan) => ({
      ...fan,
      totals: [...fan.totals.values()].sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1)),
    }))
    .map((fan) => ({ fan, key: fan.totals.find((t) => isAddressEqual(t.token.address, rankBy))?.amount ?? 0n }))
    .sort((a, b) => (a.key !== b.key ? (a.key > b.key ? -1 : 1) : b.fan.tipCount - a.fan.tipCount))
    .slice(0, Math.max(1, params.first ?? 10))
    .map(({ fan }) => fan);

  const handles = new Map<string, string | null>();
  if (ranked.length > 0) {
    const { accounts } = await queryIndexer<{ accounts: Row<Account, "id" | "handle">[] }>(
      url,
      `query SupporterHandles($ids: [ID!], $first: Int) { accounts(where: { id_in: $ids }, first: $first) { id handle } }`,
      { ids: ranked.map((fan) => accountId(fan.fan)), first: ranked.length },
    );
    for (const account of accounts) handles.set(account.id, account.handle);
  }
  return {
    supporters: ranked.map((fan) => ({
      fan: address(fan.fan),
      handle: handles.get(accountId(fan.fan)) ?? null,
      totals: fan.totals,
      tipCount: fan.tipCount,
      lastTipAt: fan.lastTipAt,
    })),
    tipsCounted: tips.length,
    complete: !page.hasNextPage,
  };
}
