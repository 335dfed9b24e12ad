import { z } from 'zod';
import { MAX_DESCRIPTION_CHARS, MAX_HOMEPAGE_CHARS, MAX_README_BYTES } from './package-edit-limits';
import { MAX_TAGS, TAG_RE } from './parse-tags';

/** "" and null both mean "none" for optional text fields. */
const emptyToNull = (v: string | null) => (v === '' ? null : v);

/**
 * What Update may change. `description: null` (or "") and `tags: null` hand the field back to
 * the manifests of later publishes; a value set here wins over them.
 */
export const ZPackageEdits = z
  .strictObject({
    description: z.string().trim().max(MAX_DESCRIPTION_CHARS, `description: at most ${MAX_DESCRIPTION_CHARS} characters`).nullable().transform(emptyToNull).optional(),
    tags: z
      .array(z.string().trim().toLowerCase().regex(TAG_RE, 'tags are 1–32 lowercase letters, digits, ".", "_", "+" or "-", starting with a letter or digit'))
      .max(MAX_TAGS, `at most ${MAX_TAGS} tags`)
      .nullable()
      .optional(),
    homepage: z
      .union([z.literal(''), z.url({ protocol: /^https?$/, message: 'homepage must be an http:// or https:// URL' }).max(MAX_HOMEPAGE_CHARS)])
      .nullable()
      .transform(emptyToNull)
      .optional(),
    readme: z
      .string()
      .refine((s) => new TextEncoder().encode(s).length <= MAX_README_BYTES, `readme: at most ${MAX_README_BYTES / 1024} KiB of Markdown`)
      .nullable()
      .transform(emptyToNull)
      .optional(),
  })
  .refine((e) => Object.values(e).some((v) => v !== undefined), 'send at least one of description, tags, homepage, readme');

export type PackageEdits = z.input<typeof ZPackageEdits>;
