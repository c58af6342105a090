import { CID } from "multiformats/cid";
import { InvalidCidError } from "../errors.ts";

/** A CID plus an optional UnixFS path below it (`''` for the CID itself). */
export interface IpfsPath {
  cid: CID;
  /** Slash-separated path segments below `cid`, without leading slash. */
  path: string;
}

/** Anything the storage API accepts where content is addressed. */
export type CidOrPath = CID | string;

/**
 * Parses a CID, `<cid>/path`, `/ipfs/<cid>/path` or `ipfs://<cid>/path`.
 *
 * @throws {InvalidCidError} when the CID part is not a valid CID.
 * @example
 * ```ts
 * const { cid, path } = parseIpfsPath('/ipfs/bafybei…/metadata.json')
 * ```
 */
export function parseIpfsPath(input: CidOrPath): IpfsPath {
  const asCid = CID.asCID(input);
  if (asCid != null) return { cid: asCid, path: "" };
  if (typeof input !== "string") throw new InvalidCidError(String(input));

  const trimmed = input
    .trim()
    .replace(/^ipfs:\/\//, "")
    .replace(/^\/?ipfs\//, "");
  const [first = "", ...rest] = trimmed.split("/");
  let cid: CID;
  try {
    cid = CID.parse(first);
  } catch (err) {
    throw new InvalidCidError(input, { cause: err });
  }
  const path = rest.filter((segment) => segment !== "").join("/");
  return { cid, path };
}

/**
 * Parses a bare CID (no path allowed).
 *
 * @example
 * ```ts
 * const cid = toCid('bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4')
 * ```
 */
export function toCid(input: CidOrPath): CID {
  const { cid, path } = parseIpfsPath(input);
  if (path !== "") throw new InvalidCidError(String(input));
  return cid;
}

/** Formats an IpfsPath as `<cid>[/path]`, the form the UnixFS exporter walks. */
export function formatIpfsPath({ cid, path }: IpfsPath): string {
  return path === "" ? cid.toString() : `${cid.toString()}/${path}`;
}
