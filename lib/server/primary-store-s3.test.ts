/** An origin whose primary blob store is an S3 bucket (s3rver on loopback): the primary-store suite. */
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createS3BlobStore } from '@/lib/engine/storage/s3-blob-store';
import { startS3rver } from '@/lib/engine/storage/test-support/s3rver';
import { describePrimaryStore } from './test-support/primary-store-suite';

describePrimaryStore('S3', {
  kind: 's3',
  prefix: 'origin',
  async start() {
    const s3 = await startS3rver();
    const client = new S3Client({ ...s3.storeOptions(), requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    return {
      blobs: (root) => createS3BlobStore({ ...s3.storeOptions(), prefix: 'origin', tempDir: path.join(path.dirname(root), 'tmp', 'blob-staging') }),
      async keys() {
        const out = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'origin/' }));
        return (out.Contents ?? []).map((o) => o.Key!);
      },
      async stop() {
        client.destroy();
        await s3.stop();
      },
    };
  },
});
