/**
 * Typed errors of the storage module.
 *
 * Every error has a stable `name` (set explicitly, so minifiers cannot mangle
 * it) that callers can switch on, and a message that says what to do next.
 */

/**
 * Base class of every error thrown by the HarmonieCORE SDK.
 *
 * @example
 * ```ts
 * try { await storage.cat(cid) } catch (err) {
 *   if (err instanceof HarmonieError) console.error(err.name, err.message)
 * }
 * ```
 */
export class HarmonieError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HarmonieError";
  }
}

/** A string could not be parsed as a CID or an `/ipfs/<cid>/path`. */
export class InvalidCidError extends HarmonieError {
  readonly input: string;
  constructor(input: string, options?: { cause?: unknown }) {
    super(
      `"${truncate(input)}" is not a valid CID or /ipfs/<cid>[/path]. Pass a CIDv0 (Qm…) or CIDv1 (bafy…/bafk…) string, optionally followed by a path.`,
      options,
    );
    this.name = "InvalidCidError";
    this.input = input;
  }
}

/** A request or argument is malformed (bad file path, empty input, bad parameter). */
export class InvalidInputError extends HarmonieError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InvalidInputError";
  }
}

/** Track or profile metadata failed JSON Schema validation. */
export class InvalidMetadataError extends HarmonieError {
  /** One entry per failed rule, e.g. `"/isrc: must match pattern …"`. */
  readonly issues: readonly string[];
  constructor(what: string, issues: readonly string[]) {
    super(`${what} is invalid; fix these fields and try again: ${issues.join("; ")}`);
    this.name = "InvalidMetadataError";
    this.issues = issues;
  }
}

/** Bytes received for a CID do not hash to that CID (tampered or corrupt data). */
export class ContentVerificationError extends HarmonieError {
  readonly cid: string;
  constructor(cid: string, reason: string) {
    super(
      `Block ${cid} failed verification: ${reason}. The source served wrong bytes; do not use it, retry with another gateway or node.`,
    );
    this.name = "ContentVerificationError";
    this.cid = cid;
  }
}

/** A storage backend (Kubo node, pinning service, gateway, disk) failed. */
export class StorageBackendError extends HarmonieError {
  readonly backend: string;
  /** HTTP status when the backend answered over HTTP. */
  readonly status: number | undefined;
  constructor(backend: string, message: string, options?: { status?: number; cause?: unknown }) {
    super(`${backend}: ${message}`, options);
    this.name = "StorageBackendError";
    this.backend = backend;
    this.status = options?.status;
  }
}

/** An upload exceeds the size limit of the service receiving it. */
export class UploadTooLargeError extends HarmonieError {
  readonly limitBytes: number;
  constructor(limitBytes: number, actualBytes?: number) {
    const actual = actualBytes === undefined ? "The upload" : `The upload (${actualBytes} bytes)`;
    super(
      `${actual} exceeds the limit of ${limitBytes} bytes. Compress the file or raise the service's maxUploadBytes.`,
    );
    this.name = "UploadTooLargeError";
    this.limitBytes = limitBytes;
  }
}

/** The requested CID or path is not available from this source. */
export class NotFoundError extends HarmonieError {
  readonly target: string;
  constructor(target: string, hint = "Check the CID, or add/pin the content on this backend first.") {
    super(`${target} was not found. ${hint}`);
    this.name = "NotFoundError";
    this.target = target;
  }
}

/** Encrypted audio could not be decrypted: wrong key, wrong context, or tampered bytes. */
export class DecryptionError extends HarmonieError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DecryptionError";
  }
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
