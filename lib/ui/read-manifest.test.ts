import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { readManifest } from './read-manifest';

async function zipOf(files: Record<string, string>, directories: string[] = []): Promise<Blob> {
  const zip = new yazl.ZipFile();
  for (const dir of directories) zip.addEmptyDirectory(dir);
  for (const [path, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), path);
  zip.end();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  for await (const chunk of zip.outputStream) chunks.push(new Uint8Array(chunk as Buffer));
  return new Blob(chunks);
}

const MANIFEST = JSON.stringify({ name: 'demo', version: '1.0.0', format_version: '1.0.0' });

describe('readManifest', () => {
  it('returns the parsed manifest and the file entries, directories left out', async () => {
    const file = await zipOf({ 'MANIFEST.json': MANIFEST, 'models/model.bin': 'weights' }, ['models/']);
    const preview = await readManifest(file);
    expect(preview.manifest).toEqual({ name: 'demo', version: '1.0.0', format_version: '1.0.0' });
    expect(preview.entries).toEqual([
      { path: 'MANIFEST.json', size: MANIFEST.length },
      { path: 'models/model.bin', size: 7 },
    ]);
  });

  it.each([
    ['a file that is not a ZIP', () => Promise.resolve(new Blob(['plain text, no zip here'])), /not a ZIP/],
    ['an empty file', () => Promise.resolve(new Blob([])), /not a ZIP/],
    ['a ZIP without MANIFEST.json', () => zipOf({ 'models/model.bin': 'w' }), /no MANIFEST\.json/],
    ['a MANIFEST.json below the root only', () => zipOf({ 'sub/MANIFEST.json': MANIFEST }), /no MANIFEST\.json/],
    ['a manifest that is not JSON', () => zipOf({ 'MANIFEST.json': '{"name": ' }), /MANIFEST\.json is not valid JSON/],
    ['a manifest that is a JSON array', () => zipOf({ 'MANIFEST.json': '[]' }), /MANIFEST\.json is not valid JSON/],
  ])('rejects %s', async (_, file, message) => {
    await expect(readManifest(await file())).rejects.toThrow(message);
  });
});
