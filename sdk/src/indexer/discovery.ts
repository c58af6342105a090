/**
 * Discovery as indexed: catalogue search (the subgraph's `catalogueSearch` full-text field over track
 * metadata, and handles), genres, artists trending by this week's tips, and the artist directory.
 * Track titles, artist names and genres come from each package's metadata.json, which the subgraph
 * reads from IPFS (a file data source): a track whose file the indexer has not read yet has them null.
 */
import type { Address } from "viem";
import type { Account, Artist, Track, TrackMetadata } from "../generated/subgraph.ts";
import { type Page, type Row, address, big, pageSize, queryIndexer } from "./core.ts";

/** A track as discovery lists it: its chain record and what its metadata.json says. */
export interface DiscoveryTrack {
  trackId: bigint;
  isrc: string;
  metadataCid: string;
  exclusive: boolean;
  artist: Address;
  artistHandle: string | null;
  /** From metadata.json (null until the indexer has read it, or if it does not say). */
  title: string | null;
  /** The artist's name as the package gives it. */
  artistName: string | null;
  /** As written, e.g. `Synthwave`. */
  genre: string | null;
  /** `genre` lowercased, spaces collapsed: what `genre` filters take. */
  genreKey: string | null;
  durationSeconds: number | null;
}

/** The selection every discovery track query makes (a `Track`). */
const DISCOVERY_TRACK_FIELDS =
  "id isrc metadataCid exclusive artist { id account { handle } } metadata { title artistName genre genreKey durationSeconds }";

type RawMetadata = Row<TrackMetadata, "title" | "artistName" | "genre" | "genreKey" | "durationSeconds">;
type RawDiscoveryTrack = Row<
  Track,
  "id" | "isrc" | "metadataCid" | "exclusive",
  { artist: { id: string; account: Row<Account, "handle"> }; metadata: RawMetadata | null }
>;

const toDiscoveryTrack = (t: RawDiscoveryTrack): DiscoveryTrack => ({
  trackId: big(t.id),
  isrc: t.isrc,
  metadataCid: t.metadataCid,
  exclusive: t.exclusive,
  artist: address(t.artist.id),
  artistHandle: t.artist.account.handle,
  title: t.metadata?.title ?? null,
  artistName: t.metadata?.artistName ?? null,
  genre: t.metadata?.genre ?? null,
  genreKey: t.metadata?.genreKey ?? null,
  durationSeconds: t.metadata?.durationSeconds ?? null,
});

/** The key `genre` filters match: lowercase, inner spaces collapsed (the subgraph's `genreKey`). */
export function genreKeyOf(genre: string): string {
  return genre.toLowerCase().split(" ").filter(Boolean).join(" ");
}

/**
 * What someone typed as a `to_tsquery` text: its words (letters and digits; at most 8), each a prefix,
 * all required (`night dri` → `night:* & dri:*`). Null when nothing searchable is left. Operators and
 * quotes are dropped, so no input makes the query fail.
 */
export function fullTextQuery(text: string): string | null {
  const words = (text.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8).map((w) => w.slice(0, 50));
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

/** The handle part of a query (`@Nova` → `nova`): the characters a handle may have; null if none. */
export function handleQuery(text: string): string | null {
  const handle = text.trim().replace(/^@/, "").toLowerCase().replace(/\s+/g, "_");
  return /^[a-z0-9_]+$/.test(handle) ? handle.slice(0, 32) : null;
}

/** An account whose handle matched a search. */
export interface HandleMatch {
  address: Address;
  handle: string;
  /** The profile document (display name, bio, avatar). */
  profileCid: string | null;
  isArtist: boolean;
  /** Null for an account that never acted as an artist. */
  followerCount: number | null;
  trackCount: number | null;
}

export interface CatalogueResults {
  /** Active tracks whose title, artist name or genre match, best match first. */
  tracks: DiscoveryTrack[];
  /** Accounts whose handle contains the query: handles starting with it first, artists before fans. */
  accounts: HandleMatch[];
}

/**
 * Searches the catalogue: tracks by title, artist name and genre (the subgraph's `catalogueSearch`
 * full-text field: English stemming, every word a prefix), and accounts by handle
 * (`handle_contains_nocase`). Frozen tracks are left out. An empty query finds nothing.
 *
 * graph-node returns full-text matches ranked ascending (best last); this asks for up to 100 and
 * puts the best first.
 *
 * @example
 * const { tracks, accounts } = await searchCatalogue(indexerUrl, { query: "night drive" });
 */
export async function searchCatalogue(
  url: string,
  params: { query: string; first?: number },
): Promise<CatalogueResults> {
  const first = pageSize(params.first, 20);
  const text = fullTextQuery(params.query);
  const handle = handleQuery(params.query);
  const [found, accounts] = await Promise.all([
    text
      ? queryIndexer<{
          catalogueSearch: (Row<TrackMetadata, "id"> &
            RawMetadata & { tracks: Omit<RawDiscoveryTrack, "metadata">[] })[];
        }>(
          url,
          `query Search($text: String!) {
            catalogueSearch(text: $text, first: 100) {
              id title artistName genre genreKey durationSeconds
              tracks(where: { status: ACTIVE }, first: 20, orderBy: registeredAt, orderDirection: desc) { id isrc metadataCid exclusive artist { id account { handle } } }
            }
          }`,
          { text },
        ).then((d) => d.catalogueSearch)
      : [],
    handle
      ? queryIndexer<{
          accounts: (Row<Account, "id" | "handle" | "profileCid" | "isArtist"> & {
            artist: Row<Artist, "followerCount" | "trackCount"> | null;
          })[];
        }>(
          url,
          `query Handles($handle: String!) {
            accounts(where: { handle_contains_nocase: $handle }, first: 100, orderBy: handle) { id handle profileCid isArtist artist { followerCount trackCount } }
          }`,
          { handle },
        ).then((d) => d.accounts)
      : [],
  ]);
  const tracks: DiscoveryTrack[] = [];
  const seen = new Set<string>();
  for (const metadata of [...found].reverse()) {
    for (const track of metadata.tracks) {
      if (seen.has(track.id)) continue;
      seen.add(track.id);
      tracks.push(toDiscoveryTrack({ ...track, metadata }));
    }
  }
  const rank = (a: (typeof accounts)[number]) => (a.handle!.startsWith(handle!) ? 0 : 2) + (a.isArtist ? 0 : 1);
  return {
    tracks: tracks.slice(0, first),
    accounts: accounts
      .filter((a) => a.handle !== null)
      .sort((a, b) => rank(a) - rank(b) || a.handle!.localeCompare(b.handle!))
      .slice(0, first)
      .map((a) => ({
        address: address(a.id),
        handle: a.handle!,
        profileCid: a.profileCid,
        isArtist: a.isArtist,
        followerCount: a.artist?.followerCount ?? null,
        trackCount: a.artist?.trackCount ?? null,
      })),
  };
}

/** A genre and how many active tracks have it. */
export interface Genre {
  /** What `getGenreTracks` and `getDiscover`'s `genre` take. */
  key: string;
  /** The spelling most of its tracks use. */
  name: string;
  trackCount: number;
}

/**
 * The genres of the active tracks, most tracks first. The subgraph cannot keep per-genre counts (the
 * genre is in metadata.json, written by a file data source that no chain handler can read), so they
 * are counted here over the newest `sample` tracks (default and at most 1,000: one query);
 * `partial` says more tracks exist.
 *
 * @example
 * const { genres } = await getGenres(indexerUrl);
 * // [{ key: "synthwave", name: "Synthwave", trackCount: 2 }, …]
 */
export async function getGenres(
  url: string,
  params: { sample?: number } = {},
): Promise<{ genres: Genre[]; partial: boolean }> {
  const sample = Math.min(Math.max(1, Math.floor(params.sample ?? 1000)), 999);
  const { tracks } = await queryIndexer<{ tracks: { metadata: Pick<RawMetadata, "genre" | "genreKey"> | null }[] }>(
    url,
    `query Genres($first: Int) {
      tracks(where: { status: ACTIVE, metadata_: { genreKey_not: null } }, first: $first, orderBy: registeredAt, orderDirection: desc) { metadata { genre genreKey } }
    }`,
    { first: sample + 1 },
  );
  const counts = new Map<string, { count: number; spellings: Map<string, number> }>();
  for (const { metadata } of tracks.slice(0, sample)) {
    if (!metadata?.genreKey || !metadata.genre) continue;
    const entry = counts.get(metadata.genreKey) ?? { count: 0, spellings: new Map() };
    entry.count += 1;
    entry.spellings.set(metadata.genre, (entry.spellings.get(metadata.genre) ?? 0) + 1);
    counts.set(metadata.genreKey, entry);
  }
  const genres = [...counts].map(([key, { count, spellings }]) => ({
    key,
    name: [...spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0],
    trackCount: count,
  }));
  genres.sort((a, b) => b.trackCount - a.trackCount || a.name.localeCompare(b.name));
  return { genres, partial: tracks.length > sample };
}

/**
 * Active tracks of one genre (its `key`, or any spelling of it), newest first, a page at a time
 * (`cursor`: how many to skip; graph-node allows up to 5,000).
 *
 * @example
 * const page = await getGenreTracks(indexerUrl, { genre: "Synthwave", first: 24 });
 */
export async function getGenreTracks(
  url: string,
  params: { genre: string; first?: number; after?: number | null },
): Promise<Page<DiscoveryTrack, number>> {
  const first = pageSize(params.first, 24);
  const skip = params.after ?? 0;
  const { tracks } = await queryIndexer<{ tracks: RawDiscoveryTrack[] }>(
    url,
    `query GenreTracks($genre: String!, $first: Int, $skip: Int) {
      tracks(where: { status: ACTIVE, metadata_: { genreKey: $genre } }, first: $first, skip: $skip, orderBy: registeredAt, orderDirection: desc) { ${DISCOVERY_TRACK_FIELDS} }
    }`,
    { genre: genreKeyOf(params.genre), first: first + 1, skip },
  );
  const items = tracks.slice(0, first).map(toDiscoveryTrack);
  return { items, hasNextPage: tracks.length > first, cursor: items.length ? skip + items.length : null };
}

/** An artist and what fans tipped them over the last days. */
export interface TrendingArtist {
  address: Address;
  handle: string | null;
  profileCid: string | null;
  /** CORE tipped over the period (gross). */
  tipVolume: bigint;
  /** Tips over the period, in any token. */
  tipCount: number;
  /** The artist's newest active track, if any. */
  latestTrack: DiscoveryTrack | null;
}

const DAY = 86_400;

/**
 * Artists ranked by the CORE tipped to them over the last `days` days (default 7: "this week"),
 * ties by the number of tips (any token), from the subgraph's daily stats. Days are UTC days; the
 * period is the `days` days ending with the day of `now` (unix seconds, default the clock's).
 *
 * @example
 * const { artists } = await getTrending(indexerUrl, { first: 6 });
 */
export async function getTrending(
  url: string,
  params: { first?: number; days?: number; now?: bigint } = {},
): Promise<{ fromDay: number; artists: TrendingArtist[] }> {
  const first = pageSize(params.first, 10);
  const now = Number(params.now ?? BigInt(Math.floor(Date.now() / 1000)));
  const fromDay = Math.floor(now / DAY) - Math.max(1, Math.floor(params.days ?? 7)) + 1;
  // graph-node names the collection `<entity>_collection` when the plural equals the singular.
  const { artistDailyStats_collection: days } = await queryIndexer<{
    artistDailyStats_collection: { artist: { id: string }; tipVolume: string; tipCount: number }[];
  }>(
    url,
    `query TrendingDays($fromDay: Int!) {
      artistDailyStats_collection(where: { day_gte: $fromDay, tipCount_gt: 0 }, first: 1000, orderBy: tipVolume, orderDirection: desc) { artist { id } tipVolume tipCount }
    }`,
    { fromDay },
  );
  const totals = new Map<string, { tipVolume: bigint; tipCount: number }>();
  for (const d of days) {
    const total = totals.get(d.artist.id) ?? { tipVolume: 0n, tipCount: 0 };
    total.tipVolume += big(d.tipVolume);
    total.tipCount += d.tipCount;
    totals.set(d.artist.id, total);
  }
  const ranked = [...totals]
    .sort(([, a], [, b]) =>
      a.tipVolume === b.tipVolume ? b.tipCount - a.tipCount : a.tipVolume > b.tipVolume ? -1 : 1,
    )
    .slice(0, first);
  if (!ranked.length) return { fromDay, artists: [] };
  const { artists } = await queryIndexer<{
    artists: {
      id: string;
      account: Row<Account, "handle" | "profileCid">;
      tracks: Omit<RawDiscoveryTrack, "artist">[];
    }[];
  }>(
    url,
    `query TrendingArtists($ids: [ID!]) {
      artists(where: { id_in: $ids }, first: 1000) {
        id account { handle profileCid }
        tracks(where: { status: ACTIVE }, first: 1, orderBy: registeredAt, orderDirection: desc) { id isrc metadataCid exclusive metadata { title artistName genre genreKey durationSeconds } }
      }
    }`,
    { ids: ranked.map(([id]) => id) },
  );
  const byId = new Map(artists.map((a) => [a.id, a]));
  return {
    fromDay,
    artists: ranked.map(([id, total]) => {
      const a = byId.get(id);
      const track = a?.tracks[0];
      const handle = a?.account.handle ?? null;
      return {
        address: address(id),
        handle,
        profileCid: a?.account.profileCid ?? null,
        tipVolume: total.tipVolume,
        tipCount: total.tipCount,
        latestTrack: track ? toDiscoveryTrack({ ...track, artist: { id, account: { handle } } }) : null,
      };
    }),
  };
}

/** An artist in the directory. */
export interface DirectoryArtist {
  address: Address;
  handle: string | null;
  profileCid: string | null;
  /** CORE tips received, all time (gross). */
  tipVolume: bigint;
  /** Tips received, any token. */
  tipCount: bigint;
  followerCount: number;
  trackCount: number;
  /** A session of theirs is live now. */
  live: boolean;
}

/** What the directory is ordered by, most first: CORE tips received, followers, or tracks. */
export type DirectoryOrder = "support" | "followers" | "tracks";
const DIRECTORY_ORDER: Record<DirectoryOrder, string> = {
  support: "tipVolume",
  followers: "followerCount",
  tracks: "trackCount",
};

/**
 * Accounts registered as artists, ordered by support (CORE tips received, the default), followers
 * or tracks, a page at a time (`cursor`: how many to skip; graph-node allows up to 5,000).
 *
 * @example
 * let page = await getArtistDirectory(indexerUrl, { first: 24 });
 * if (page.hasNextPage) page = await getArtistDirectory(indexerUrl, { first: 24, after: page.cursor });
 */
export async function getArtistDirectory(
  url: string,
  params: { orderBy?: DirectoryOrder; first?: number; after?: number | null } = {},
): Promise<Page<DirectoryArtist, number>> {
  const first = pageSize(params.first, 24);
  const skip = params.after ?? 0;
  const orderBy = DIRECTORY_ORDER[params.orderBy ?? "support"];
  const { artists } = await queryIndexer<{
    artists: (Row<Artist, "id" | "followerCount" | "trackCount"> & {
      tipVolume: string;
      tipCount: string;
      account: Row<Account, "handle" | "profileCid">;
      streams: { id: string }[];
    })[];
  }>(
    url,
    `query Directory($first: Int, $skip: Int) {
      artists(where: { account_: { isArtist: true } }, first: $first, skip: $skip, orderBy: ${orderBy}, orderDirection: desc) {
        id tipVolume tipCount followerCount trackCount account { handle profileCid } streams(where: { isLive: true }, first: 1) { id }
      }
    }`,
    { first: first + 1, skip },
  );
  const items = artists.slice(0, first).map((a) => ({
    address: address(a.id),
    handle: a.account.handle,
    profileCid: a.account.profileCid,
    tipVolume: big(a.tipVolume),
    tipCount: big(a.tipCount),
    followerCount: a.followerCount,
    trackCount: a.trackCount,
    live: a.streams.length > 0,
  }));
  return { items, hasNextPage: artists.length > first, cursor: items.length ? skip + items.length : null };
}
