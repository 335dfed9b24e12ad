import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** The origin this page is served from; "http://HOST" while rendering on the server. */
export function useOrigin(): string {
  return useSyncExternalStore(subscribe, () => window.location.origin, () => 'http://HOST');
}
