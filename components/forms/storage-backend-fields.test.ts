import { describe, expect, it } from 'vitest';
import { backendFromForm } from './storage-backend-fields';

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
};

describe('backendFromForm', () => {
  it('posts only the chosen type’s fields, trimmed', () => {
    expect(backendFromForm('local', form({ path: ' /srv/x ', bucket: 'ignored' }))).toEqual({ type: 'local', path: '/srv/x' });
  });

  it('leaves empty optional S3 fields out and reads the path-style checkbox', () => {
    const s3 = backendFromForm('s3', form({ bucket: 'b', endpoint: '', s3_region: 'eu-west-1', force_path_style: 'on' }));
    expect(s3).toEqual({ type: 's3', bucket: 'b', region: 'eu-west-1', force_path_style: true, endpoint: undefined, access_key_id: undefined, secret_access_key: undefined, prefix: undefined });
    expect(backendFromForm('s3', form({ bucket: 'b' }))).toMatchObject({ force_path_style: false });
  });

  it('reads an Azure container', () => {
    expect(backendFromForm('azure', form({ connection_string: 'cs', container: 'c', prefix: 'p/' }))).toEqual({ type: 'azure', connection_string: 'cs', container: 'c', prefix: 'p/' });
  });
});
