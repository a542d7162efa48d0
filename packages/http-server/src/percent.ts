import { decodeUtf8 } from '@pyrometer/codec';

const HEX = /^[0-9a-fA-F]{2}$/;

/**
 * Percent-decodes `text` as Go's url.PathUnescape (or url.QueryUnescape with `plusAsSpace`):
 * `%XX` becomes the byte XX and the resulting bytes are read as UTF-8, invalid bytes kept as lone
 * surrogates (see @pyrometer/codec's `decodeUtf8`). Lone surrogates already in `text` stand for
 * raw bytes and are kept as those bytes. Returns undefined when a `%` is not followed by two hex
 * digits.
 */
export function percentDecode(text: string, plusAsSpace: boolean): string | undefined {
  if (!text.includes('%') && !(plusAsSpace && text.includes('+'))) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      const hex = text.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === 0x2b && plusAsSpace) bytes.push(0x20);
    else if (c < 0x80) bytes.push(c);
    else if (c >= 0xdc80 && c <= 0xdcff) bytes.push(c - 0xdc00);
    else {
      const char = String.fromCodePoint(text.codePointAt(i)!);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length - 1;
    }
  }
  return decodeUtf8(Uint8Array.from(bytes));
}

/** Characters Go's URL.EscapedPath leaves alone; everything else is written as %XX of its UTF-8 bytes. */
const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/;

/** A decoded path written back for a `Location` header. */
export function escapePath(path: string): string {
  let out = '';
  for (const char of path) {
    if (PATH_SAFE.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
