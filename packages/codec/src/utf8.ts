/**
 * Decodes UTF-8 without losing invalid input: every byte that is not part of a well-formed
 * sequence becomes the lone surrogate U+DC80 + (byte − 0x80), like Python's "surrogateescape".
 * Valid text decodes exactly as usual; invalid text stays recognisably invalid (a lone surrogate
 * never comes out of valid UTF-8), so validators can refuse it as Go refuses invalid UTF-8,
 * instead of meeting an innocent U+FFFD. Node's decoder is used unless the input is invalid.
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  return text.includes('\ufffd') ? decodeEscaping(bytes, start, end) : text;
}

function decodeEscaping(b: Uint8Array, start: number, end: number): string {
  let out = '';
  let i = start;
  while (i < end) {
    const c = b[i]!;
    const [length, min] = c < 0x80 ? [1, 0] : c >= 0xc2 && c < 0xe0 ? [2, 0x80] : c >= 0xe0 && c < 0xf0 ? [3, 0x800] : c >= 0xf0 && c < 0xf5 ? [4, 0x10000] : [0, 0];
    let cp = length === 1 ? c : c & (0x7f >> length);
    let ok = length > 0 && i + length <= end;
    for (let k = 1; ok && k < length; k++) {
      const next = b[i + k]!;
      if ((next & 0xc0) !== 0x80) ok = false;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      out += String.fromCodePoint(cp);
      i += length;
    } else {
      out += String.fromCharCode(0xdc00 + c);
      i++;
    }
  }
  return out;
}
