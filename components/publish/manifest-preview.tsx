import { FactList, type Fact } from '@/components/ui/fact-list';
import { ZipEntryTable } from '@/components/tables/zip-entry-table';
import { TABLE, TABLE_WRAPPER, TD, TH, THEAD } from '@/components/tables/table-styles';
import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';
import type { ManifestPreview as Preview } from '@/lib/ui/read-manifest';

type ManifestResource = { name: string; type: string; size: number | null };

/** The manifest's resources[], keeping what can be shown; the server validates the rest. */
function manifestResources(value: unknown): ManifestResource[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const record = item as Record<string, unknown>;
    if (typeof record.name !== 'string') return [];
    return [
      {
        name: record.name,
        type: typeof record.resource_type === 'string' ? record.resource_type : '—',
        size: typeof record.size === 'number' ? record.size : null,
      },
    ];
  });
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

type ManifestPreviewProps = { preview: Preview; fileSize: number; name: string; version: string };

export function ManifestPreview({ preview, fileSize, name, version }: ManifestPreviewProps) {
  const { manifest, entries } = preview;
  const resources = manifestResources(manifest.resources);
  const facts: Fact[] = [
    ['Format version', text(manifest.format_version) ?? '—'],
    ['Author', text(manifest.author) ?? '—'],
    ['License', text(manifest.license) ?? '—'],
    ['File size', formatBytes(fileSize)],
    ['Entries', formatCount(entries.length)],
  ];

  return (
    <section aria-label="Package preview" className="space-y-4">
      <div>
        <h2 className="font-mono text-lg font-semibold text-slate-900">
          {name}@{version}
        </h2>
        {text(manifest.description) && <p className="mt-1 text-sm text-slate-700">{text(manifest.description)}</p>}
      </div>
      <FactList facts={facts} className="sm:grid-cols-5" />
      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-900">Manifest resources ({resources.length})</h3>
        {resources.length === 0 ? (
          <p className="text-sm text-slate-600">
            The manifest lists no resources; the registry records a sha256 for every entry when it is published.
          </p>
        ) : (
          <div className={TABLE_WRAPPER}>
            <table className={TABLE}>
              <thead className={THEAD}>
                <tr>
                  <th scope="col" className={TH}>Name</th>
                  <th scope="col" className={TH}>Type</th>
                  <th scope="col" className={`${TH} text-right`}>Size</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {resources.map((resource) => (
                  <tr key={`${resource.type}/${resource.name}`}>
                    <td className={`${TD} font-mono text-xs break-all`}>{resource.name}</td>
                    <td className={`${TD} text-slate-600`}>{resource.type}</td>
                    <td className={`${TD} text-right tabular-nums`}>{resource.size === null ? '—' : formatBytes(resource.size)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-900">Archive entries ({formatCount(entries.length)})</h3>
        <ZipEntryTable entries={entries} />
      </div>
    </section>
  );
}
