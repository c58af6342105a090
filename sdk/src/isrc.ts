import { InvalidIsrcError } from "./errors.ts";

/** An ISRC's four parts (ISO 3901). */
export interface Isrc {
  country: string;
  registrant: string;
  year: string;
  designation: string;
}

const PATTERN = /^([A-Z]{2})-?([A-Z0-9]{3})-?([0-9]{2})-?([0-9]{5})$/;

/**
 * Parses an ISRC in the plain (`USRC17607839`) or hyphenated (`US-RC1-76-07839`) form, any case —
 * the same rules the ContentRegistry enforces on the canonical form.
 *
 * @example
 * parseIsrc("us-rc1-76-07839"); // { country: "US", registrant: "RC1", year: "76", designation: "07839" }
 * @throws InvalidIsrcError
 */
export function parseIsrc(input: string): Isrc {
  const match = PATTERN.exec(input.trim().toUpperCase());
  if (!match) throw new InvalidIsrcError(input);
  const [, country, registrant, year, designation] = match;
  return { country, registrant, year, designation };
}

/** Whether `input` is a valid ISRC in either form. */
export function isValidIsrc(input: string): boolean {
  return PATTERN.test(input.trim().toUpperCase());
}

/**
 * Formats an ISRC canonically: plain uppercase for the contract, or hyphenated for people.
 *
 * @example
 * formatIsrc("US-RC1-76-07839"); // "USRC17607839"
 * formatIsrc("USRC17607839", { hyphens: true }); // "US-RC1-76-07839"
 */
export function formatIsrc(input: string | Isrc, options: { hyphens?: boolean } = {}): string {
  const { country, registrant, year, designation } = typeof input === "string" ? parseIsrc(input) : input;
  const parts = [country, registrant, year, designation];
  return options.hyphens ? parts.join("-") : parts.join("");
}

/**
 * The on-chain track id of an ISRC: its 12 ASCII bytes as a 96-bit number.
 *
 * @example
 * trackIdFromIsrc("US-RC1-76-07839"); // 0x555352433137363037383339n
 */
export function trackIdFromIsrc(input: string): bigint {
  const plain = formatIsrc(input);
  let id = 0n;
  for (const char of plain) id = (id << 8n) | BigInt(char.charCodeAt(0));
  return id;
}

/** The plain ISRC a track id stands for. */
export function isrcFromTrackId(trackId: bigint): string {
  let plain = "";
  for (let shift = 88n; shift >= 0n; shift -= 8n) plain += String.fromCharCode(Number((trackId >> shift) & 0xffn));
  if (!isValidIsrc(plain)) throw new InvalidIsrcError(`track id ${trackId}`);
  return plain;
}

/** The ERC-1155 token id of a licence offer: `trackId << 32 | offerId`. */
export function licenseTokenId(trackId: bigint, offerId: number | bigint): bigint {
  return (trackId << 32n) | BigInt(offerId);
}
