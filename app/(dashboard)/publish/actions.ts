'use server';

import { action } from '@/lib/server/action';
import { publishUpload } from '@/lib/server/uploads/publish-upload';
import { ZPublishUploadInput } from '@/lib/server/uploads/upload-metadata';

/** Publish a finished resumable upload (the bytes came through /api/v1/uploads, never through here). */
export const publishUploadAction = action({
  permission: 'Publish',
  input: ZPublishUploadInput,
  package: (i) => i.name,
  audit: { action: 'version.publish', target: (i) => `${i.name}@${i.version}` },
  run: (i, ctx) => publishUpload(ctx.engine, ctx.actor, i),
});
