import Link from 'next/link';
import type { ReactNode } from 'react';

/** Sign-in and first-run setup: a centered card, no sidebar. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <Link href="/" className="mb-6 flex items-center gap-2 rounded-md text-lg font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
        <img src="/logo.svg" alt="" width={32} height={32} />
        <span>ToRSh Package Hub</span>
      </Link>
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">{children}</div>
    </main>
  );
}
