import semver from 'semver';
import { z } from 'zod';

/** The format this registry writes; it reads any 1.x. */
export const FORMAT_VERSION = '1.0.0';
export const SUPPORTED_FORMAT_MAJOR = 1;

export const PACKAGE_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function isValidPackageName(name: string): boolean {
  return PACKAGE_NAME_RE.test(name);
}

/**
 * A semver 2.0 version written exactly in canonical form: no coercion, no leading "v" or "=",
 * no surrounding spaces (semver.parse would accept those). Build metadata is allowed.
 */
export function isValidVersion(version: string): boolean {
  const parsed = semver.parse(version);
  if (parsed === null) return false;
  const build = parsed.build.length > 0 ? `+${parsed.build.join('.')}` : '';
  return parsed.version + build === version;
}

// The crate serialises Option::None as null, so optional strings are nullish.
const ZOptionalString = z.string().nullish();

export const ZModuleInfo = z.looseObject({
  name: z.string().min(1),
  class_name: z.string(),
  version: z.string(),
  dependencies: z.array(z.string()).default([]),
  has_source: z.boolean().default(false),
});

export const ZResourceInfo = z.looseObject({
  name: z.string().min(1),
  // The crate stores the type as a free string; folder mapping is done in resource-type.ts.
  resource_type: z.string(),
  size: z.number().int().nonnegative(),
  // Crate-written manifests carry no checksums: absent, null or "" all mean "not listed".
  sha256: z
    .string()
    .regex(/^([0-9a-fA-F]{64})?$/, 'must be 64 hex characters or empty')
    .nullish(),
  compression: ZOptionalString,
});

export const ZPackageSignature = z.looseObject({
  algorithm: z.string(),
  key_id: z.string(),
  signature: z.string(),
  signed_at: z.string(),
});

export const ZManifest = z.looseObject({
  name: z.string().refine(isValidPackageName, 'is not a valid package name'),
  version: z.string().refine(isValidVersion, 'is not a semantic version'),
  format_version: z.string().refine((v) => semver.valid(v) === v, 'is not a semantic version'),
  created_at: z.iso.datetime({ offset: true, message: 'must be an RFC 3339 timestamp' }),
  author: ZOptionalString,
  description: ZOptionalString,
  license: ZOptionalString,
  modules: z.array(ZModuleInfo).default([]),
  resources: z.array(ZResourceInfo).default([]),
  dependencies: z.record(z.string(), z.string()).default({}),
  metadata: z.record(z.string(), z.string()).default({}),
  signature: ZPackageSignature.nullish(),
});

export type Manifest = z.infer<typeof ZManifest>;
export type ManifestInput = z.input<typeof ZManifest>;
export type ResourceInfo = z.infer<typeof ZResourceInfo>;
