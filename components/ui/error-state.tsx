type ErrorStateProps = { title: string; error: unknown };

/** A failed request, with the API's message and code. */
export function ErrorState({ title, error }: ErrorStateProps) {
  const message = error instanceof Error ? error.message : 'Unexpected error.';
  const code = errorCode(error);
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
      <p className="font-semibold">{title}</p>
      <p className="mt-1">
        {message}
        {code && (
          <>
            {' '}
            <code className="rounded bg-red-100 px-1 py-0.5 font-mono text-xs">{code}</code>
          </>
        )}
      </p>
    </div>
  );
}

/** The machine-readable code of an API or server-action error, if it has one. */
function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}
