import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANONYMOUS, SYSTEM } from '../actor';
import { publishSample } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';
import { getPackage, searchPackages, setYanked, updatePackage } from '.';
import type { PackageEdits } from './package-edits';

type TestEngine = Awaited<ReturnType<typeof tempEngine>>;

const found = (engine: TestEngine, q: string) => searchPackages(engine, ANONYMOUS, { q }).packages.map((p) => p.name);

describe('update a package', () => {
  let engine: TestEngine;
  beforeEach(async () => {
    engine = await tempEngine();
    await publishSample(engine, 'resnet', '1.0.0', { description: 'manifest description', tags: ['vision'] });
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('edits description, tags, homepage and README; search finds the new text at once', () => {
    const view = updatePackage(engine, SYSTEM, 'resnet', {
      description: 'Residual networks for image classification',
      tags: ['Vision', 'cnn', 'cnn'],
      homepage: 'https://example.com/resnet',
      readme: '# ResNet\n\nTrained on **ImageNet** with quokkas.',
    });
    expect(view).toMatchObject({
      description: 'Residual networks for image classification',
      tags: ['vision', 'cnn'],
      homepage: 'https://example.com/resnet',
      readme: '# ResNet\n\nTrained on **ImageNet** with quokkas.',
      edited: { description: true, tags: true },
    });
    expect(found(engine, 'classification')).toEqual(['resnet']);
    expect(found(engine, 'cnn')).toEqual(['resnet']);
    expect(found(engine, 'quokkas')).toEqual(['resnet']); // the README is searchable
    expect(found(engine, 'manifest')).toEqual([]);
  });

  it('an edited description and tags win over later publishes; null hands them back to the manifest', async () => {
    updatePackage(engine, SYSTEM, 'resnet', { description: 'curated text', tags: ['curated'] });
    await publishSample(engine, 'resnet', '2.0.0', { description: 'newer manifest text', tags: ['newer'] });
    setYanked(engine, SYSTEM, { name: 'resnet', version: '2.0.0', yanked: true });
    expect(getPackage(engine, 'resnet')).toMatchObject({ description: 'curated text', tags: ['curated'], latest: '1.0.0' });
    expect(found(engine, 'curated')).toEqual(['resnet']);

    setYanked(engine, SYSTEM, { name: 'resnet', version: '2.0.0', yanked: false });
    updatePackage(engine, SYSTEM, 'resnet', { description: null, tags: null });
    expect(getPackage(engine, 'resnet')).toMatchObject({ description: 'newer manifest text', tags: ['newer'], edited: { description: false, tags: false } });
    expect(found(engine, 'curated')).toEqual([]);
  });

  it('fields left out stay as they are; "" clears homepage and README', () => {
    updatePackage(engine, SYSTEM, 'resnet', { homepage: 'http://intranet.example/resnet', readme: 'hello' });
    expect(updatePackage(engine, SYSTEM, 'resnet', { readme: '' })).toMatchObject({
      homepage: 'http://intranet.example/resnet',
      readme: null,
      description: 'manifest description',
      tags: ['vision'],
    });
    expect(updatePackage(engine, SYSTEM, 'resnet', { homepage: '' }).homepage).toBeNull();
  });

  it('refuses bad input with a clear error and changes nothing', () => {
    const before = getPackage(engine, 'resnet');
    const cases: [PackageEdits | Record<string, unknown>, RegExp][] = [
      [{}, /at least one of description, tags, homepage, readme/],
      [{ description: 'x'.repeat(2001) }, /at most 2000 characters/],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /at most 20 tags/],
      [{ tags: ['has space'] }, /tags are 1–32 lowercase/],
      [{ tags: ['-leading'] }, /tags are 1–32 lowercase/],
      [{ homepage: 'javascript:alert(1)' }, /http:\/\/ or https:\/\//],
      [{ homepage: 'ftp://example.com' }, /http:\/\/ or https:\/\//],
      [{ homepage: 'data:text/html,<script>alert(1)</script>' }, /http:\/\/ or https:\/\//],
      [{ readme: 'é'.repeat(128 * 1024 + 1) }, /at most 256 KiB/], // counted in UTF-8 bytes, not characters
      [{ description: 'ok', owner: 'mallory' }, /Unrecognized key/],
    ];
    for (const [edits, message] of cases) {
      expect(() => updatePackage(engine, SYSTEM, 'resnet', edits as PackageEdits), JSON.stringify(edits).slice(0, 60)).toThrowError(
        expect.objectContaining({ name: 'ZodError', message: expect.stringMatching(message) }),
      );
    }
    expect(() => updatePackage(engine, SYSTEM, 'nope', { description: 'x' })).toThrowError(expect.objectContaining({ code: 'PACKAGE_NOT_FOUND' }));
    expect(getPackage(engine, 'resnet')).toEqual(before);
  });

  it('accepts the limits exactly', () => {
    const view = updatePackage(engine, SYSTEM, 'resnet', {
      description: 'd'.repeat(2000),
      tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`),
      readme: 'r'.repeat(256 * 1024),
    });
    expect(view.description).toHaveLength(2000);
    expect(view.tags).toHaveLength(20);
    expect(view.readme).toHaveLength(256 * 1024);
  });
});
