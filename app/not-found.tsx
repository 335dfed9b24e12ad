import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="max-w-md text-center">
        <p className="text-sm font-semibold text-indigo-600">404</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600">There is nothing at this address in ToRSh Package Hub.</p>
        <div className="mt-6 flex justify-center gap-2">
          <Link href="/" className={buttonClasses('primary')}>
            Go to Overview
          </Link>
          <Link href="/packages" className={buttonClasses('secondary')}>
            Browse packages
          </Link>
        </div>
      </div>
    </main>
  );
}
