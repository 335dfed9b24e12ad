// Streaming authenticated encryption of packages: AES-256-GCM in segments, key from scrypt.
// Format, guarantees and limits: format.ts.
export { createDecryptStream, createEncryptStream } from './streams';
export { decryptFile, encryptFile, readEncryptedHeader } from './files';
export { DECRYPT_FAILED_MESSAGE, type EncryptOptions } from './segments';
export {
  DEFAULT_LOG2N,
  DEFAULT_SEGMENT_SIZE,
  FORMAT_VERSION,
  HEADER_LENGTH,
  LIMITS as ENCRYPTION_LIMITS,
  MAGIC as ENCRYPTION_MAGIC,
  isEncryptedPackage,
  type EncryptedHeaderInfo,
} from './format';
