/**
 * Writes the PWA icons (public/icons/*.png, icon.svg): a solid background with a note-like mark,
 * drawn pixel by pixel and encoded as PNG with node's zlib, so no image tool is needed.
 *   node scripts/icons.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const BG = [0x14, 0x12, 0x2b];
const FG = [0xf5, 0xb7, 0x2f];
const out = new URL("../public/icons/", import.meta.url);
mkdirSync(out, { recursive: true });

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

/** A note mark: a round head and a stem, scaled to the icon; `inset` keeps it in a maskable safe zone. */
function png(size: number, inset: number) {
  const rows: Buffer[] = [];
  const s = size * (1 - 2 * inset);
  const o = size * inset;
  const head = { x: o + s * 0.4, y: o + s * 0.68, r: s * 0.16 };
  const stem = { x0: o + s * 0.5, x1: o + s * 0.58, y0: o + s * 0.2, y1: o + s * 0.68 };
  const flag = { x0: o + s * 0.58, x1: o + s * 0.74, y0: o + s * 0.2, y1: o + s * 0.3 };
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const inHead = (x - head.x) ** 2 + (y - head.y) ** 2 <= head.r ** 2;
      const inStem = x >= stem.x0 && x <= stem.x1 && y >= stem.y0 && y <= stem.y1;
      const inFlag = x >= flag.x0 && x <= flag.x1 && y >= flag.y0 && y <= flag.y1;
      const [r, g, b] = inHead || inStem || inFlag ? FG : BG;
      row.writeUInt8(r, 1 + x * 3);
      row.writeUInt8(g, 2 + x * 3);
      row.writeUInt8(b, 3 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

writeFileSync(new URL("icon-192.png", out), png(192, 0.08));
writeFileSync(new URL("icon-512.png", out), png(512, 0.08));
writeFileSync(new URL("maskable-512.png", out), png(512, 0.2));
writeFileSync(
  new URL("icon.svg", out),
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="#14122b"/><circle cx="40" cy="68" r="16" fill="#f5b72f"/><rect x="50" y="20" width="8" height="48" fill="#f5b72f"/><rect x="58" y="20" width="16" height="10" fill="#f5b72f"/></svg>\n`,
);
console.log("icons written to public/icons/");
