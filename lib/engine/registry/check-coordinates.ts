import { AppError } from '../errors';
import { isValidPackageName, isValidVersion } from '../format';

/** Validate a package name and version taken from a URL or form. */
export function checkCoordinates(name: string, version?: string): void {
  if (!isValidPackageName(name)) {
    throw new AppError(
      'INVALID_PACKAGE_NAME',
      `"${name}" is not a valid package name: use 1–64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  if (version !== undefined && !isValidVersion(version)) {
    throw new AppError('INVALID_VERSION', `"${version}" is not a valid semantic version (e.g. 1.0.0 or 2.1.0-rc.1)`);
  }
}
