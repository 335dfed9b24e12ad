/** The hex part of a "sha256:<hex>" digest. */
export function digestHex(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice('sha256:'.length) : digest;
}

/** First 12 hex characters, enough to tell versions apart at a glance. */
export function shortHex(hex: string): string {
  return digestHex(hex).slice(0, 12);
}
