export const TAG_RE = /^[a-z0-9][a-z0-9._+-]{0,31}$/;
export const MAX_TAGS = 20;

/**
 * Package tags come from the manifest's string metadata: `tags` (or `keywords`), comma separated.
 * Normalised to lowercase, deduplicated; anything that is not a short slug is dropped.
 */
export function parseTags(metadata: Record<string, string> | undefined): string[] {
  const raw = metadata?.tags ?? metadata?.keywords ?? '';
  const seen = new Set<string>();
  for (const part of raw.split(',')) {
    const tag = part.trim().toLowerCase().replace(/\s+/g, '-');
    if (TAG_RE.test(tag)) seen.add(tag);
    if (seen.size === MAX_TAGS) break;
  }
  return [...seen];
}
