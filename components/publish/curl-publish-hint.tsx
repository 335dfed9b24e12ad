'use client';

import { useSyncExternalStore } from 'react';
import { CommandSnippet } from '@/components/ui/command-snippet';

const subscribe = () => () => {};

/** The origin this page is served from; "http://HOST" while rendering on the server. */
function useOrigin(): string {
  return useSyncExternalStore(subscribe, () => window.location.origin, () => 'http://HOST');
}

export function CurlPublishHint() {
  const origin = useOrigin();
  return (
    <CommandSnippet
      command={`curl --fail-with-body -T model.torshpkg ${origin}/api/v1/packages/NAME/VERSION`}
      label="Copy command"
    />
  );
}
