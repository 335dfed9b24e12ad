'use client';

import Link from 'next/link';
import { SearchInput } from '@/components/forms/search-input';
import { PackageTable, PackageTableSkeleton } from '@/components/tables/package-table';
import { Button, buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { Pagination } from '@/components/ui/pagination';
import { useSearchPackages } from '@/lib/queries/use-search-packages';
import { useUrlSearch } from '@/lib/ui/use-url-search';

const PER_PAGE = 20;

/** Search box and result table; the query and page live in the URL (?q=&page=). */
export function PackageBrowser() {
  const { q, page, input, changeSearch, clearSearch, goToPage } = useUrlSearch('/packages');

  const { data, error, isPending, isFetching, isPlaceholderData } = useSearchPackages({ q, page, perPage: PER_PAGE });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <SearchInput
          aria-label="Search packages"
          placeholder="Search by name, description, author or tag"
          value={input}
          maxLength={200}
          onChange={(event) => changeSearch(event.target.value)}
          className="w-full max-w-lg"
        />
        {isFetching && isPlaceholderData && (
          <span role="status" className="text-sm text-slate-600">
            Searching…
          </span>
        )}
      </div>
      <Results
        q={q}
        page={page}
        data={data}
        error={error}
        isPending={isPending}
        onClearSearch={clearSearch}
        onPageChange={goToPage}
      />
    </div>
  );
}

type ResultsProps = {
  q: string;
  page: number;
  data: ReturnType<typeof useSearchPackages>['data'];
  error: Error | null;
  isPending: boolean;
  onClearSearch: () => void;
  onPageChange: (page: number) => void;
};

function Results({ q, page, data, error, isPending, onClearSearch, onPageChange }: ResultsProps) {
  if (isPending) return <PackageTableSkeleton />;
  if (error) return <ErrorState title="Could not load packages" error={error} />;
  if (!data) return null;

  if (data.total === 0 && !q) {
    return (
      <EmptyState
        title="No packages published yet"
        action={
          <Link href="/publish" className={buttonClasses('primary')}>
            Publish a package
          </Link>
        }
      >
        Upload a <code className="font-mono">.torshpkg</code> from the Publish page, or PUT it to{' '}
        <code className="font-mono">/api/v1/packages/NAME/VERSION</code> from a CI job.
      </EmptyState>
    );
  }
  if (data.total === 0) {
    return (
      <EmptyState title={`No packages match “${q}”`} action={<Button onClick={onClearSearch}>Clear search</Button>}>
        Try fewer or different words; search covers names, descriptions, authors and tags, and matches prefixes.
      </EmptyState>
    );
  }
  if (data.packages.length === 0) {
    return (
      <EmptyState title={`Page ${page} is past the last result`} action={<Button onClick={() => onPageChange(1)}>Go to the first page</Button>} />
    );
  }

  return (
    <div className="space-y-3">
      <PackageTable packages={data.packages} />
      <Pagination page={data.page} perPage={data.per_page} total={data.total} shown={data.packages.length} onPageChange={onPageChange} />
    </div>
  );
}
