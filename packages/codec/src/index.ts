export { CodecError, type CodecErrorCode } from './codec-error.js';
export { crc32c } from './crc32c.js';
export { ProtoReader, ProtoWriter, WireType } from './proto-wire.js';
export { snappyDecode, snappyEncode, snappyFramedDecode, snappyFramedEncode } from './snappy.js';
export { decodeUtf8 } from './utf8.js';
