export const RESOURCE_TYPES = [
  'Model',
  'Source',
  'Data',
  'Config',
  'Documentation',
  'License',
  'Binary',
  'Text',
  'Metadata',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

const FOLDER_TYPES: Record<string, ResourceType> = {
  models: 'Model',
  src: 'Source',
  data: 'Data',
  config: 'Config',
  docs: 'Documentation',
};

const RESOURCES_FOLDER = 'resources';
const RESOURCES_FOLDER_TYPES: readonly ResourceType[] = ['License', 'Binary', 'Text', 'Metadata'];

/** Matches a manifest's resource_type string to a ResourceType, ignoring case ("model" → Model). */
export function toResourceType(value: string): ResourceType | null {
  const lower = value.toLowerCase();
  return RESOURCE_TYPES.find((t) => t.toLowerCase() === lower) ?? null;
}

/** The folder resources of this type live in. */
export function folderForType(type: ResourceType): string {
  if (RESOURCES_FOLDER_TYPES.includes(type)) return RESOURCES_FOLDER;
  return Object.keys(FOLDER_TYPES).find((folder) => FOLDER_TYPES[folder] === type)!;
}

/** Type of a file under resources/ that the manifest does not describe, guessed from its name. */
export function guessResourcesType(fileName: string): ResourceType {
  const lower = fileName.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (base.startsWith('license')) return 'License';
  if (/\.(txt|md)$/.test(base)) return 'Text';
  if (/\.(json|ya?ml)$/.test(base)) return 'Metadata';
  return 'Binary';
}

/**
 * Type and resource name (path within its type folder) of an archive path. Files at the root
 * or in unknown folders have type null and keep their full path as name.
 */
export function classifyPath(
  path: string,
  listedType?: ResourceType | null,
): { type: ResourceType | null; name: string } {
  const slash = path.indexOf('/');
  if (slash < 0) return { type: null, name: path };
  const folder = path.slice(0, slash);
  const name = path.slice(slash + 1);
  if (folder === RESOURCES_FOLDER) {
    const type = listedType && RESOURCES_FOLDER_TYPES.includes(listedType) ? listedType : guessResourcesType(name);
    return { type, name };
  }
  const type = FOLDER_TYPES[folder];
  return type ? { type, name } : { type: null, name: path };
}
