/**
 * What is wrong with an ISRC as it is being typed, part by part, in plain words. The rules are the
 * SDK's (`isValidIsrc`, the ContentRegistry's own): each part is tried in place of the same part of a
 * valid ISRC, so this file knows the parts' lengths and characters only from what the SDK accepts.
 */
import { type Isrc, formatIsrc, isValidIsrc, parseIsrc } from "@harmonie/sdk";

/** The SDK's documented example; any valid ISRC would do. */
const SAMPLE = parseIsrc("US-RC1-76-07839");
const PARTS = ["country", "registrant", "year", "designation"] as const;
type Part = (typeof PARTS)[number];

/** Each part as an artist would understand it. */
export const PART_WORDS: Record<Part, { name: string; means: string }> = {
  country: { name: "country code", means: "where the code was issued, like US, FR or NG" },
  registrant: { name: "registrant code", means: "who issued it: your distributor, label or ISRC agency" },
  year: { name: "year", means: "the last two digits of the year it was issued" },
  designation: { name: "recording number", means: "this recording's own number" },
};

const accepts = (part: Part, value: string) => isValidIsrc(formatIsrc({ ...SAMPLE, [part]: value }));

/** "letters", "digits" or "letters or digits": what the SDK accepts in a part. */
function charactersOf(part: Part): string {
  const length = SAMPLE[part].length;
  const letters = accepts(part, "A".repeat(length));
  const digits = accepts(part, "0".repeat(length));
  return letters && digits ? "letters or digits" : letters ? "letters" : "digits";
}

/** An ISRC's length without hyphens (12). */
export const ISRC_LENGTH = formatIsrc(SAMPLE).length;

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

export type IsrcCheck =
  | { state: "empty" }
  | { state: "valid"; isrc: string; parts: Isrc }
  | { state: "incomplete" | "invalid"; message: string };

/**
 * Checks an ISRC typed with or without hyphens or spaces. Valid means the SDK parses it; `isrc` is
 * then its canonical form (what the contract takes).
 */
export function checkIsrc(input: string): IsrcCheck {
  // Copied from a label sheet or a distributor's page as "ISRC: US-RC1-76-07839".
  const typed = input
    .trim()
    .toUpperCase()
    .replace(/^ISRC[:\s]+/, "");
  if (typed === "") return { state: "empty" };
  // People copy ISRCs with hyphens or spaces between the parts (US-RC1-76-07839, US RC1 76 07839).
  const compact = typed.replace(/[\s-]+/g, "");
  if (isValidIsrc(compact)) return { state: "valid", isrc: formatIsrc(compact), parts: parseIsrc(compact) };
  const stray = /[^A-Z0-9]/.exec(compact);
  if (stray)
    return {
      state: "invalid",
      message: `Not a valid ISRC: “${stray[0]}” cannot be part of one. An ISRC has only letters and digits (hyphens between the parts are fine).`,
    };
  let offset = 0;
  for (const part of PARTS) {
    const length = SAMPLE[part].length;
    const chunk = compact.slice(offset, offset + length);
    if (chunk === "") break;
    // A part being typed is tried with the rest of the sample's part after it.
    if (!accepts(part, chunk + SAMPLE[part].slice(chunk.length))) {
      const where =
        offset === 0
          ? `it starts with the ${length}-character ${PART_WORDS[part].name}`
          : `characters ${offset + 1} to ${offset + length} are the ${PART_WORDS[part].name}`;
      return {
        state: "invalid",
        message: `Not a valid ISRC: ${where} (${PART_WORDS[part].means}), ${charactersOf(part)} only — “${chunk}” is not one.`,
      };
    }
    offset += length;
  }
  if (compact.length > ISRC_LENGTH)
    return {
      state: "invalid",
      message: `Not a valid ISRC: it is too long. An ISRC has ${ISRC_LENGTH} characters; this has ${compact.length}.`,
    };
  const next = nextPart(compact.length);
  return {
    state: "incomplete",
    message: `Not a valid ISRC yet: ${compact.length} of its ${ISRC_LENGTH} characters. Next: the ${PART_WORDS[next].name} (${count(SAMPLE[next].length, "character")}, ${charactersOf(next)}).`,
  };
}

function nextPart(typed: number): Part {
  let offset = 0;
  for (const part of PARTS) {
    offset += SAMPLE[part].length;
    if (typed < offset) return part;
  }
  return PARTS[PARTS.length - 1]!;
}

/** The parts of a valid ISRC with what each means, for showing it back to the artist. */
export function isrcParts(parts: Isrc) {
  return PARTS.map((part) => ({ part, value: parts[part], ...PART_WORDS[part] }));
}
