/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven, one byte at a time.
 * The token checksum: it lets parsers and secret scanners reject typos and garbage
 * without touching storage. It is not a security control.
 */

/** @internal The 256-entry lookup table of the reflected IEEE polynomial. */
const CRC32_TABLE: Int32Array = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** The initial CRC register value (all ones). @internal */
export const CRC32_INIT = -1;

/**
 * Feeds the char codes of `text[start..end)` (each taken as one byte: callers pass ASCII)
 * into a running CRC register and returns the new register. Finish with {@link crc32Final}.
 *
 * @internal
 */
export function crc32UpdateAscii(crc: number, text: string, start: number, end: number): number {
  let c = crc;
  for (let i = start; i < end; i++) c = CRC32_TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return c;
}

/**
 * Turns a running CRC register into the final unsigned checksum.
 *
 * @internal
 */
export function crc32Final(crc: number): number {
  return (crc ^ -1) >>> 0;
}

/**
 * The CRC-32 (IEEE) of `data`, as an unsigned 32-bit integer. A string is read as UTF-8.
 *
 * @example
 * ```ts
 * crc32('123456789'); // 0xcbf43926
 * ```
 */
export function crc32(data: string | Uint8Array): number {
  const bytes = typeof data === 'string' ? asciiOrUtf8(data) : data;
  if (typeof bytes === 'string') return crc32Final(crc32UpdateAscii(CRC32_INIT, bytes, 0, bytes.length));
  let c = CRC32_INIT;
  for (let i = 0; i < bytes.length; i++) c = CRC32_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return crc32Final(c);
}

/** Returns `text` itself when it is pure ASCII, else its UTF-8 bytes. */
function asciiOrUtf8(text: string): string | Uint8Array {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return new TextEncoder().encode(text);
  }
  return text;
}
