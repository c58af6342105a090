import { InvalidIsrcError, InvalidRegistrantCodeError } from "./errors.ts";

/** An ISRC's four parts (ISO 3901). */
export interface Isrc {
  country: string;
  registrant: string;
  year: string;
  designation: string;
}

// The rule the ContentRegistry enforces (contracts/libraries/ISRC.sol), part by part. A registrant code
// is an ISRC's first two parts, so both patterns are built from these.
const COUNTRY = "([A-Z]{2})";
const REGISTRANT = "([A-Z0-9]{3})";
const PATTERN = new RegExp(`^${COUNTRY}-?${REGISTRANT}-?([0-9]{2})-?([0-9]{5})$`);
const CODE_PATTERN = new RegExp(`^${COUNTRY}-?${REGISTRANT}$`);

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

/**
 * Normalises a registrant code — the `CC-XXX` part of an ISRC that governance assigns to a label or
 * distributor — to the plain uppercase form the contract takes (`USRC1`), or hyphenated for people.
 *
 * @example
 * formatRegistrantCode("us-rc1"); // "USRC1"
 * formatRegistrantCode("USRC1", { hyphens: true }); // "US-RC1"
 * @throws InvalidRegistrantCodeError
 */
export function formatRegistrantCode(input: string, options: { hyphens?: boolean } = {}): string {
  const match = CODE_PATTERN.exec(input.trim().toUpperCase());
  if (!match) throw new InvalidRegistrantCodeError(input);
  return match.slice(1).join(options.hyphens ? "-" : "");
}

/** Whether `input` is a registrant code (`US-RC1` or `USRC1`, any case). */
export function isValidRegistrantCode(input: string): boolean {
  return CODE_PATTERN.test(input.trim().toUpperCase());
}

/**
 * The registrant code an ISRC falls under.
 *
 * @example
 * registrantCodeOf("US-RC1-76-07839"); // "USRC1"
 * @throws InvalidIsrcError
 */
export function registrantCodeOf(isrc: string): string {
  const { country, registrant } = parseIsrc(isrc);
  return country + registrant;
}
