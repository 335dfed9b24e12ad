import * as tus from 'tus-js-client';
import { ApiError, apiErrorFrom, NETWORK_ERROR } from '@/lib/queries/api-error';

export type UploadProgress = {
  loaded: number;
  total: number;
  /** Over the last few seconds; null until two samples exist. */
  bytesPerSecond: number | null;
};

/** An upload of this file that an earlier page (or a server that has since restarted) left unfinished. */
export type UnfinishedUpload = { previous: tus.PreviousUpload; offset: number; size: number };

export type UploadController = {
  /** Stop sending; the server keeps what it has. */
  pause(): void;
  /** Continue from the server's offset. */
  resume(): void;
  /** Stop and delete the upload on the server. */
  cancel(): Promise<void>;
};

type Coordinates = { name: string; version: string };

export const UPLOADS_ENDPOINT = '/api/v1/uploads';

const MiB = 1024 * 1024;
/**
 * Large chunks keep the per-request cost (a round trip, the guard, an audit row) small against
 * the bytes; small files still get several chunks, so progress and pauses have some grain.
 */
const MAX_CHUNK = 64 * MiB;
const MIN_CHUNK = 1 * MiB;
const RETRY_DELAYS = [0, 1000, 3000, 5000];
const SPEED_WINDOW_MS = 3000;

export function chunkSizeFor(size: number): number {
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.ceil(size / 8)));
}

const versionUrl = (name: string, version: string) => `/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;

/**
 * Versions are immutable: ask first, so a multi-GB upload is not sent only to be refused (the
 * server would refuse to create the upload either way).
 */
export async function assertNotPublished(name: string, version: string): Promise<void> {
  const res = await fetch(versionUrl(name, version), { headers: { Accept: 'application/json' } }).catch(() => null);
  if (res?.status === 200) {
    throw new ApiError(409, 'PACKAGE_VERSION_EXISTS', `${name}@${version} is already published; versions are immutable. Bump the version in MANIFEST.json.`);
  }
}

function tusOptions(file: File, { name, version }: Coordinates): tus.UploadOptions {
  return {
    endpoint: UPLOADS_ENDPOINT,
    chunkSize: chunkSizeFor(file.size),
    retryDelays: RETRY_DELAYS,
    metadata: { filename: file.name.slice(-255), name, version },
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
  };
}

/** The server's answer to a failed tus request, as the registry's error shape where it has one. */
function toApiError(error: Error): ApiError {
  const res = error instanceof tus.DetailedError ? error.originalResponse : null;
  if (!res) {
    return new ApiError(0, NETWORK_ERROR, 'The upload was interrupted: the server could not be reached. It can be resumed once the connection is back.');
  }
  const parsed = apiErrorFrom(res.getStatus(), res.getBody());
  const text = res.getBody().trim();
  if (parsed.code.startsWith('HTTP_') && text !== '' && !text.startsWith('<')) {
    return new ApiError(parsed.status, parsed.code, `The upload server answered ${parsed.status}: ${text.slice(0, 200)}`);
  }
  return parsed;
}

/**
 * An unfinished upload of this file for name@version, with the server's offset (HEAD), if the
 * browser remembers one and the server still has it; forgets those the server no longer has.
 */
export async function findUnfinishedUpload(file: File, coords: Coordinates): Promise<UnfinishedUpload | null> {
  const probe = new tus.Upload(file, tusOptions(file, coords));
  const previous = (await probe.findPreviousUploads().catch(() => [])).sort((a, b) => b.creationTime.localeCompare(a.creationTime));
  for (const p of previous) {
    if (!p.uploadUrl || p.metadata.name !== coords.name || p.metadata.version !== coords.version) continue;
    const res = await fetch(p.uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' }, cache: 'no-store' }).catch(() => null);
    if (!res) continue;
    if (res.ok) {
      const offset = Number(res.headers.get('upload-offset'));
      const size = Number(res.headers.get('upload-length'));
      if (Number.isFinite(offset) && Number.isFinite(size) && size > 0) return { previous: p, offset, size };
    }
    if (res.status >= 400 && res.status < 500) await tus.defaultOptions.urlStorage.removeUpload(p.urlStorageKey).catch(() => {});
  }
  return null;
}

/**
 * Upload a package file with tus: resumable chunks that survive pauses, reloads (the upload URL
 * is remembered per file) and server restarts. Resumes `resumeFrom`, or the newest unfinished
 * upload of this file, when there is one. `onUploaded` receives the upload id to publish.
 */
export function startUpload(
  { file, name, version, resumeFrom }: Coordinates & { file: File; resumeFrom?: tus.PreviousUpload },
  callbacks: { onProgress: (progress: UploadProgress) => void; onUploaded: (uploadId: string) => void; onError: (error: ApiError) => void },
): UploadController {
  let samples: { at: number; loaded: number }[] = [];
  let stopped = false;
  const upload = new tus.Upload(file, {
    ...tusOptions(file, { name, version }),
    onProgress(loaded, total) {
      const at = performance.now();
      samples.push({ at, loaded });
      while (samples.length > 2 && at - samples[0].at > SPEED_WINDOW_MS) samples.shift();
      const first = samples[0];
      const elapsed = (at - first.at) / 1000;
      callbacks.onProgress({ loaded, total, bytesPerSecond: elapsed > 0 ? (loaded - first.loaded) / elapsed : null });
    },
    onSuccess() {
      callbacks.onUploaded(new URL(upload.url!, window.location.href).pathname.split('/').pop()!);
    },
    onError(error) {
      if (!stopped) callbacks.onError(toApiError(error));
    },
  });

  const ready = (async () => {
    let previous = resumeFrom;
    if (!previous) {
      const found = await upload.findPreviousUploads().catch(() => []);
      previous = found
        .filter((p) => p.uploadUrl && p.metadata.name === name && p.metadata.version === version)
        .sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
    }
    if (previous) upload.resumeFromPreviousUpload(previous);
  })();
  const go = () => void ready.then(() => (stopped ? undefined : upload.start()));
  go();

  return {
    pause() {
      stopped = true;
      samples = [];
      void upload.abort();
    },
    resume() {
      stopped = false;
      go();
    },
    async cancel() {
      stopped = true;
      await upload.abort(true).catch(() => {});
    },
  };
}
