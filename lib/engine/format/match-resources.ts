import { AppError } from '../errors';
import type { ResourceInfo } from './manifest-schema';
import { folderForType, toResourceType, type ResourceType } from './resource-type';

export type ListedResource = { name: string; type: ResourceType | null; sha256: string };

/**
 * Finds the archive entry of each manifest resource. A resource name is either the path within
 * its type folder ("model.bin" of type Model → models/model.bin) or the full path.
 */
export function matchResources(resources: ResourceInfo[], paths: ReadonlySet<string>): Map<string, ListedResource[]> {
  const byPath = new Map<string, ListedResource[]>();
  for (const resource of resources) {
    const type = toResourceType(resource.resource_type);
    const candidates = type ? [`${folderForType(type)}/${resource.name}`, resource.name] : [resource.name];
    const path = candidates.find((p) => paths.has(p));
    const sha256 = (resource.sha256 ?? '').toLowerCase();
    if (path === undefined) {
      if (sha256 === '') continue;
      throw new AppError(
        'RESOURCE_MISSING',
        `MANIFEST.json lists resource ${JSON.stringify(resource.name)} (${resource.resource_type}) with a sha256, ` +
          `but the package has no entry ${candidates.map((c) => JSON.stringify(c)).join(' or ')}`,
      );
    }
    const listed = byPath.get(path) ?? [];
    listed.push({ name: resource.name, type, sha256 });
    byPath.set(path, listed);
  }
  return byPath;
}
