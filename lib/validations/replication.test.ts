import { describe, expect, it } from 'vitest';
import { ZNodeInput, ZPackageReplicationInput, ZReplicationConfigInput } from './replication';

const s3 = (extra: Record<string, unknown>) => ({ id: 'n1', region: 'eu', backend: { type: 's3', bucket: 'my-bucket', ...extra } });
const az = (container: string) => ({ id: 'n1', region: 'eu', backend: { type: 'azure', connection_string: 'AccountName=a;AccountKey=k', container } });

describe('ZNodeInput', () => {
  it('defaults priority and capacity, trims the endpoint', () => {
    expect(ZNodeInput.parse(s3({ endpoint: 'http://127.0.0.1:9000/' }))).toEqual({
      id: 'n1',
      region: 'eu',
      priority: 100,
      capacity_bytes: null,
      backend: { type: 's3', bucket: 'my-bucket', endpoint: 'http://127.0.0.1:9000' },
    });
  });

  it.each(['ab', 'a'.repeat(64), 'My-Bucket', '-bucket', 'bucket-', 'a..b', 'a.-b', '192.168.1.1', 'xn--bucket', 'b-s3alias'])('refuses the bucket name %j', (bucket) => {
    expect(ZNodeInput.safeParse(s3({ bucket })).success).toBe(false);
  });

  it.each(['abc', 'my.bucket-1', 'a'.repeat(63)])('accepts the bucket name %j', (bucket) => {
    expect(ZNodeInput.safeParse(s3({ bucket })).success).toBe(true);
  });

  it.each(['ab', 'a--b', '-abc', 'abc-', 'ABC', 'a_b', 'a'.repeat(64)])('refuses the container name %j', (container) => {
    expect(ZNodeInput.safeParse(az(container)).success).toBe(false);
  });

  it.each(['abc', 'a-b-c', '1ab', 'a'.repeat(63)])('accepts the container name %j', (container) => {
    expect(ZNodeInput.safeParse(az(container)).success).toBe(true);
  });

  it('wants both S3 credentials or neither, and a prefix without dot segments', () => {
    expect(ZNodeInput.safeParse(s3({ access_key_id: 'k' })).success).toBe(false);
    expect(ZNodeInput.safeParse(s3({ secret_access_key: 's' })).success).toBe(false);
    expect(ZNodeInput.safeParse(s3({ access_key_id: 'k', secret_access_key: 's' })).success).toBe(true);
    expect(ZNodeInput.safeParse(s3({ prefix: 'a/../b' })).success).toBe(false);
    expect(ZNodeInput.safeParse(s3({ prefix: 'team/a_b-1.x/' })).success).toBe(true);
  });

  it('does not echo a secret in its messages', () => {
    const r = ZNodeInput.safeParse({ ...s3({ access_key_id: 'k', secret_access_key: 'SECRET-VALUE', endpoint: 'http://u:SECRET-VALUE@h' }), extra: 'SECRET-VALUE' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues.map((i) => i.message))).not.toContain('SECRET-VALUE');
  });
});

describe('config inputs', () => {
  it('accepts any subset, refuses unknown keys and out-of-range values', () => {
    expect(ZReplicationConfigInput.parse({})).toEqual({});
    expect(ZReplicationConfigInput.parse({ replication_factor: 16 })).toEqual({ replication_factor: 16 });
    for (const bad of [{ replication_factor: 17 }, { replication_factor: 1.5 }, { sync_interval_secs: 86_401 }, { consistency: 'x' }, { conflict_strategy: 'coin' }, { x: 1 }]) {
      expect(ZReplicationConfigInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(ZPackageReplicationInput.parse({ consistency: null, replication_factor: 3 })).toEqual({ consistency: null, replication_factor: 3 });
    expect(ZPackageReplicationInput.safeParse({ replication_factor: -1 }).success).toBe(false);
  });
});
