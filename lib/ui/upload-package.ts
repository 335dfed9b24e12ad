import { ApiError, apiErrorFrom, NETWORK_ERROR } from '@/lib/queries/api-error';
import type { PublishResult } from '@/lib/queries/api-types';

export type UploadProgress = {
  loaded: number;
  total: number;
  /** Over the last few seconds; null until two samples exist. */
  bytesPerSecond: number | null;
};

export type UploadHandle = { result: Promise<PublishResult>; abort: () => void };

export const UPLOAD_CANCELLED = 'UPLOAD_CANCELLED';

const SPEED_WINDOW_MS = 3000;

const versionUrl = (name: string, version: string) => `/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;

/**
 * Versions are immutable: ask first, so a multi-GB upload is not sent only to be refused (the
 * server would answer 409 either way).
 */
async function assertNotPublished(name: string, version: string): Promise<void> {
  const res = await fetch(versionUrl(name, version), { headers: { Accept: 'application/json' } }).catch(() => null);
  if (res?.status === 200) {
    throw new ApiError(409, 'PACKAGE_VERSION_EXISTS', `${name}@${version} is already published; versions are immutable. Bump the version in MANIFEST.json.`);
  }
}

/**
 * PUTs a package with XMLHttpRequest: the browser streams the File from disk, and unlike fetch,
 * XHR reports upload progress.
 */
export function uploadPackage(
  { name, version, file }: { name: string; version: string; file: File },
  onProgress: (progress: UploadProgress) => void,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const samples: { at: number; loaded: number }[] = [];
  let aborted = false;

  const result = new Promise<PublishResult>((resolve, reject) => {
    xhr.upload.onprogress = (event) => {
      const at = performance.now();
      samples.push({ at, loaded: event.loaded });
      while (samples.length > 2 && at - samples[0].at > SPEED_WINDOW_MS) samples.shift();
      const first = samples[0];
      const elapsed = (at - first.at) / 1000;
      const total = event.lengthComputable ? event.total : file.size;
      onProgress({ loaded: event.loaded, total, bytesPerSecond: elapsed > 0 ? (event.loaded - first.loaded) / elapsed : null });
    };
    xhr.onload = () => {
      if (xhr.status !== 201 && xhr.status !== 200) {
        reject(apiErrorFrom(xhr.status, xhr.responseText));
        return;
      }
      try {
        resolve(JSON.parse(xhr.responseText) as PublishResult);
      } catch {
        reject(new ApiError(xhr.status, 'INVALID_RESPONSE', 'The server accepted the upload but its answer was not JSON.'));
      }
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, NETWORK_ERROR, 'The upload failed: the connection to the server was lost or refused. Check your network and try again.'),
      );
    xhr.onabort = () => reject(new ApiError(0, UPLOAD_CANCELLED, 'Upload cancelled.'));

    assertNotPublished(name, version).then(() => {
      if (aborted) {
        reject(new ApiError(0, UPLOAD_CANCELLED, 'Upload cancelled.'));
        return;
      }
      xhr.open('PUT', versionUrl(name, version));
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.send(file);
    }, reject);
  });

  return {
    result,
    abort: () => {
      aborted = true;
      xhr.abort();
    },
  };
}
