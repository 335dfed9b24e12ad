import { z } from 'zod';
import { PACKAGE_NAME_RE, isValidVersion } from '@/lib/engine/format/manifest-schema';
import { isValidChannelName } from '@/lib/engine/registry/channel-name';
import { ZPackageEdits } from '@/lib/engine/registry/package-edits';

export const ZPackageName = z
  .string()
  .regex(PACKAGE_NAME_RE, 'package names are 1–64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
export const ZVersion = z.string().max(256).refine(isValidVersion, 'versions are semantic versions such as 1.0.0 or 2.1.0-rc.1');

export const ZPackageParams = z.object({ name: ZPackageName });
export const ZVersionParams = z.object({ name: ZPackageName, version: ZVersion });

/** Read routes: `{version}` is an exact version, `latest` or a channel name. */
export const ZVersionRef = z
  .string()
  .max(256)
  .refine((v) => isValidVersion(v) || v === 'latest' || isValidChannelName(v), 'a version (e.g. 1.0.0), "latest" or a channel name (e.g. production)');
export const ZVersionRefParams = z.object({ name: ZPackageName, version: ZVersionRef });

/** The engine checks channel names itself (INVALID_CHANNEL_NAME with the rule in its message). */
export const ZChannelName = z.string().min(1).max(64);
export const ZChannelParams = z.object({ name: ZPackageName, channel: ZChannelName });
export const ZChannelMoveInput = ZChannelParams.extend({ version: ZVersion });

export const ZPackageEditsInput = z.object({ name: ZPackageName, edits: ZPackageEdits });

export const ZYankInput = ZVersionParams.extend({ reason: z.string().trim().max(500).optional() });

/** `?page=&per_page=` of paginated lists. */
export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZSearchQuery = ZPageQuery.extend({ q: z.string().max(200).default('') });

/** X-Torsh-Signature: base64 of a 64-byte Ed25519 signature; X-Torsh-Key-Id: a short id. */
export const ZSignatureHeaders = z.object({
  signature: z
    .string()
    .regex(/^[A-Za-z0-9+/]{86}==$/, 'X-Torsh-Signature must be the base64 of a 64-byte Ed25519 signature'),
  keyId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'X-Torsh-Key-Id must be 1–128 characters of [A-Za-z0-9._:-]').nullable(),
});

export const ZEncryptedHeaders = z.object({
  flag: z.literal('1', { message: 'X-Torsh-Encrypted must be 1' }),
  description: z.string().max(500).optional(),
});
