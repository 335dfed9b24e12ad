import { z } from 'zod';
import { AppError } from '@/lib/engine/errors';
import { ZPackageName, ZVersion } from '@/lib/validations/package';

/** Upload ids are the tus server's default: 16 random bytes, hex. */
export const UPLOAD_ID_RE = /^[0-9a-f]{32}$/;

export const ZUploadId = z.string().regex(UPLOAD_ID_RE, 'not an upload id');

/** What a client declares when it creates an upload (tus Upload-Metadata). */
export const ZUploadMetadata = z.object({
  filename: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\u0000-\u001f\u007f/\\]+$/, 'filename must be a plain file name'),
  name: ZPackageName,
  version: ZVersion,
});
export type UploadMetadata = z.infer<typeof ZUploadMetadata>;

/** The metadata stored with an upload: the client's, plus the uploader's user id (set by the server). */
export const ZStoredUploadMetadata = ZUploadMetadata.extend({ userId: z.string().regex(/^\d+$/) });
export type StoredUploadMetadata = z.infer<typeof ZStoredUploadMetadata>;

/**
 * Parse a tus `Upload-Metadata` header: comma-separated `key base64(value)` pairs. Malformed
 * headers are INVALID_INPUT; the values are validated by the caller's zod schema.
 */
export function parseUploadMetadata(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === null || header.trim() === '') return out;
  for (const pair of header.split(',')) {
    const [key, value, ...rest] = pair.trim().split(' ');
    if (!key || rest.length > 0 || Object.hasOwn(out, key)) {
      throw new AppError('INVALID_INPUT', 'Upload-Metadata must be comma-separated "key base64value" pairs with distinct keys');
    }
    if (value !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      throw new AppError('INVALID_INPUT', `Upload-Metadata: the value of "${key}" is not base64`);
    }
    out[key] = value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
  }
  return out;
}

/** The server action that publishes a finished upload. */
export const ZPublishUploadInput = z.object({ uploadId: ZUploadId, name: ZPackageName, version: ZVersion });
export type PublishUploadInput = z.infer<typeof ZPublishUploadInput>;
