import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AppError } from '../errors';

// yauzl 3 fields and functions missing from @types/yauzl (written for yauzl 2).
export type ZipEntry = yauzl.Entry & { fileNameRaw: Buffer };
type LocalFileHeader = { fileName: Buffer; fileDataStart: number };
type Yauzl3ZipFile = yauzl.ZipFile & {
  readLocalFileHeader(entry: ZipEntry, cb: (err: Error | null, header: LocalFileHeader) => void): void;
};
type Yauzl3 = typeof yauzl & {
  getFileNameLowLevel(flags: number, raw: Buffer, extraFields: ZipEntry['extraFields'], strict: boolean): string;
};

export type ZipReader = {
  entryCount: number;
  fileSize: number;
  entries(): AsyncGenerator<ZipEntry>;
  /** Name from the local file header, which other unzip tools may trust over the central directory. */
  localFileName(entry: ZipEntry): Promise<Buffer>;
  openStream(entry: ZipEntry): Promise<Readable>;
  close(): void;
};

function isSystemError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

export function corrupt(detail: string, cause?: unknown): AppError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new AppError('PACKAGE_CORRUPT', `package is corrupt: ${detail}${reason}`);
}

/**
 * The entry name exactly as stored, decoded without yauzl's rewriting (with decodeStrings it
 * turns backslashes into '/' and throws plain Errors for unsafe paths; we want our own codes).
 */
export function entryFileName(entry: ZipEntry): string {
  return (yauzl as Yauzl3).getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

export function openZip(filePath: string): Promise<ZipReader> {
  return new Promise((resolve, reject) => {
    const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: false };
    yauzl.open(filePath, options, (err, zip) => {
      if (err) {
        // A missing or unreadable file is an I/O problem, not a bad upload.
        if (isSystemError(err)) return reject(err);
        return reject(new AppError('PACKAGE_NOT_ZIP', `package is not a ZIP archive: ${err.message}`));
      }
      // yauzl emits late 'error' events (e.g. fd close); without a listener they would crash the process.
      zip.on('error', () => {});
      resolve(wrap(zip as Yauzl3ZipFile));
    });
  });
}

function wrap(zip: Yauzl3ZipFile): ZipReader {
  async function* entries(): AsyncGenerator<ZipEntry> {
    for (;;) {
      const entry = await new Promise<ZipEntry | null>((resolve, reject) => {
        const done = () => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          zip.off('error', onError);
        };
        const onEntry = (e: ZipEntry) => (done(), resolve(e));
        const onEnd = () => (done(), resolve(null));
        const onError = (err: Error) => {
          done();
          if (/encryption/.test(err.message)) {
            reject(new AppError('ENTRY_ENCRYPTED', `package has an encrypted entry (${err.message}); encrypted entries are not accepted`));
          } else {
            reject(corrupt('cannot read the central directory', err));
          }
        };
        zip.on('entry', onEntry);
        zip.once('end', onEnd);
        zip.on('error', onError);
        zip.readEntry();
      });
      if (entry === null) return;
      yield entry;
    }
  }

  return {
    entryCount: zip.entryCount,
    fileSize: zip.fileSize,
    entries,
    localFileName: (entry) =>
      new Promise((resolve, reject) => {
        zip.readLocalFileHeader(entry, (err, header) => {
          if (err) return reject(corrupt(`bad local header for entry ${JSON.stringify(entryFileName(entry))}`, err));
          resolve(header.fileName);
        });
      }),
    openStream: (entry) =>
      new Promise((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(corrupt(`cannot read entry ${JSON.stringify(entryFileName(entry))}`, err));
          resolve(stream);
        });
      }),
    close: () => zip.close(),
  };
}
