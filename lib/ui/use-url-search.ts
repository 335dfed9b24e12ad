'use client';

import { useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

const DEBOUNCE_MS = 250;

/** A `?page=` value as a page number (1 for anything that is not a positive integer). */
export function toPage(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page > 0 ? page : 1;
}

/** `path?q=&page=`, leaving out defaults. */
export function searchHref(path: string, q: string, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/**
 * A debounced search box whose query and page live in the URL (`?q=&page=`). Native history
 * updates keep useSearchParams in sync without a server round trip.
 */
export function useUrlSearch(path: string) {
  const searchParams = useSearchParams();
  const q = searchParams.get('q') ?? '';
  const page = toPage(searchParams.get('page'));

  const [input, setInput] = useState(q);
  const [syncedQ, setSyncedQ] = useState(q);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // The URL changed from outside the box (a link, back/forward): show its query.
  if (q !== syncedQ) {
    setSyncedQ(q);
    if (q !== input.trim()) setInput(q);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  return {
    q,
    page,
    input,
    changeSearch(value: string) {
      setInput(value);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => window.history.replaceState(null, '', searchHref(path, value.trim(), 1)), DEBOUNCE_MS);
    },
    clearSearch() {
      clearTimeout(timer.current);
      setInput('');
      window.history.replaceState(null, '', searchHref(path, '', 1));
    },
    goToPage(next: number) {
      window.history.pushState(null, '', searchHref(path, q, next));
    },
  };
}
