// Minimal WebAssembly binary rewriting: export a module's mutable globals, so
// that an instance's complete state (memory + mutable globals) can be saved
// after its start function and restored before each trigger. See
// `MappingRuntime` in host.ts.

/** Prefix of the exports added for mutable globals. */
export const GLOBAL_EXPORT_PREFIX = "__graph_runner_global_";

/** Reads a wasm binary: LEB128 integers and names. */
export class Reader {
  bytes: Uint8Array;
  pos: number;
  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }
  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error("unexpected end of wasm module");
    return this.bytes[this.pos++];
  }
  /** Unsigned LEB128 (values up to 2^53). */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
  }
  /** Skips a signed LEB128. */
  skipLeb(): void {
    while (this.byte() & 0x80);
  }
  skip(n: number): void {
    this.pos += n;
  }
  name(): string {
    const len = this.uleb();
    const s = Buffer.from(this.bytes.subarray(this.pos, this.pos + len)).toString("utf8");
    this.pos += len;
    return s;
  }
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function skipLimits(r: Reader): void {
  const flags = r.byte();
  r.uleb();
  if (flags & 1) r.uleb();
}

/** Skips a constant expression (global initialiser) up to and including its `end`. */
function skipConstExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return; // end
    if (op === 0x41 || op === 0x42)
      r.skipLeb(); // i32.const, i64.const
    else if (op === 0x43)
      r.skip(4); // f32.const
    else if (op === 0x44)
      r.skip(8); // f64.const
    else if (op === 0x23 || op === 0xd2)
      r.uleb(); // global.get, ref.func
    else if (op === 0xd0)
      r.byte(); // ref.null
    else if (op === 0xfd && r.uleb() === 0x0c)
      r.skip(16); // v128.const
    else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) throw new Error(`unsupported constant opcode ${op}`);
  }
}

/** Value types a JS WebAssembly.Global can hold for a mutable export. */
const NUMERIC = new Set([0x7f, 0x7e, 0x7d, 0x7c]); // i32 i64 f32 f64

/**
 * Returns the module with one added export per mutable global it defines (named
 * `__graph_runner_global_<index>`), and those names; null when that is not possible
 * (a global of a non-numeric type, or a parse problem), in which case callers keep
 * instantiating the module afresh.
 */
export function exportMutableGlobals(bytes: Uint8Array): { bytes: Uint8Array<ArrayBuffer>; globals: string[] } | null {
  try {
    const r = new Reader(bytes, 8);
    let importedGlobals = 0;
    const mutable: number[] = [];
    let exportSection: { start: number; end: number; payload: number } | null = null;
    let insertAt = -1; // where a new export section would go (after the global section)
    while (r.pos < bytes.length) {
      const start = r.pos;
      const id = r.byte();
      const size = r.uleb();
      const payload = r.pos;
      const end = payload + size;
      if (id === 2) {
        for (let n = r.uleb(); n > 0; n--) {
          r.name();
          r.name();
          const kind = r.byte();
          if (kind === 0) r.uleb();
          else if (kind === 1) {
            r.byte();
            skipLimits(r);
          } else if (kind === 2) skipLimits(r);
          else if (kind === 3) {
            r.byte();
            r.byte();
            importedGlobals++;
          } else if (kind === 4) {
            r.byte();
            r.uleb();
          } else return null;
        }
      } else if (id === 6) {
        const n = r.uleb();
        for (let i = 0; i < n; i++) {
          const type = r.byte();
          const mut = r.byte();
          skipConstExpr(r);
          if (mut) {
            if (!NUMERIC.has(type)) return null;
            mutable.push(importedGlobals + i);
          }
        }
      } else if (id === 7) {
        exportSection = { start, end, payload };
        for (let n = r.uleb(); n > 0; n--) {
          if (r.name().startsWith(GLOBAL_EXPORT_PREFIX)) return null;
          r.byte();
          r.uleb();
        }
      }
      if ((id !== 0 && id <= 6) || id === 13) insertAt = end; // sections before exports
      r.pos = end;
    }
    const names = mutable.map((i) => GLOBAL_EXPORT_PREFIX + i);
    const added: number[] = [];
    mutable.forEach((index, i) => {
      const name = Buffer.from(names[i], "utf8");
      added.push(...uleb(name.length), ...name, 0x03, ...uleb(index));
    });
    let count = 0;
    let entries: Uint8Array = new Uint8Array(0);
    if (exportSection) {
      const er = new Reader(bytes, exportSection.payload);
      count = er.uleb();
      entries = bytes.subarray(er.pos, exportSection.end);
    }
    const body = [...uleb(count + mutable.length), ...entries, ...added];
    const section = Uint8Array.from([7, ...uleb(body.length), ...body]);
    const [before, after] = exportSection
      ? [bytes.subarray(0, exportSection.start), bytes.subarray(exportSection.end)]
      : [bytes.subarray(0, insertAt), bytes.subarray(insertAt)];
    const out = new Uint8Array(before.length + section.length + after.length);
    out.set(before, 0);
    out.set(section, before.length);
    out.set(after, before.length + section.length);
    return { bytes: out, globals: names };
  } catch {
    return null;
  }
}
