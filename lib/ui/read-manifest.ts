export type ZipEntryInfo = { path: string; size: number };

export type ManifestPreview = {
  manifest: Record<string, unknown>;
  /** File entries of the archive, directories left out. */
  entries: ZipEntryInfo[];
};

// A manifest lists metadata only; anything bigger is not worth decompressing in the browser.
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * Reads MANIFEST.json from a .torshpkg in the browser. zip.js reads the central directory from
 * the end of the Blob and then only the manifest's bytes, so a multi-GB file is never loaded whole.
 * Errors carry a message meant for the user: "not a ZIP", "no MANIFEST.json", "not valid JSON".
 */
export async function readManifest(file: Blob): Promise<ManifestPreview> {
  const { BlobReader, TextWriter, ZipReader } = await import('@zip.js/zip.js');
  const reader = new ZipReader(new BlobReader(file), { useWebWorkers: false });
  try {
    const entries = await reader.getEntries().catch(() => {
      throw new Error('This file is not a ZIP archive (or it is truncated), so it is not a .torshpkg package.');
    });
    const manifestEntry = entries.find((entry) => entry.filename === 'MANIFEST.json');
    if (!manifestEntry || manifestEntry.directory) {
      throw new Error('The archive has no MANIFEST.json at its root, so it is not a .torshpkg package.');
    }
    if (manifestEntry.uncompressedSize > MAX_MANIFEST_BYTES) {
      throw new Error(`MANIFEST.json is too large to be a manifest (over ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB).`);
    }
    const text = await manifestEntry.getData(new TextWriter()).catch((error: unknown) => {
      const detail = error instanceof Error ? ` (${error.message})` : '';
      throw new Error(`MANIFEST.json could not be extracted: the ZIP archive is damaged${detail}.`);
    });
    return {
      manifest: parseManifestJson(text),
      entries: entries
        .filter((entry) => !entry.directory)
        .map((entry) => ({ path: entry.filename, size: entry.uncompressedSize })),
    };
  } finally {
    await reader.close();
  }
}

function parseManifestJson(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? ` (${error.message})` : '';
    throw new Error(`MANIFEST.json is not valid JSON${detail}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('MANIFEST.json is not valid JSON for a manifest: it must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
