export { readPackage, type PackageContents, type PackageEntry, type ReadPackageOptions } from './read-package';
export { writePackage, type PackageFileInput, type WritePackageInput } from './write-package';
export {
  FORMAT_VERSION,
  PACKAGE_NAME_RE,
  ZManifest,
  isValidPackageName,
  isValidVersion,
  type Manifest,
  type ManifestInput,
} from './manifest-schema';
export { parseManifest } from './parse-manifest';
export { RESOURCE_TYPES, type ResourceType } from './resource-type';
