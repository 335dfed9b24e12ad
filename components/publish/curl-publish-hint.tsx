'use client';

import { CommandSnippet } from '@/components/ui/command-snippet';
import { useOrigin } from '@/lib/ui/use-origin';

export function CurlPublishHint() {
  const origin = useOrigin();
  return (
    <CommandSnippet
      command={`curl --fail-with-body -H "Authorization: Bearer $TORSH_TOKEN" -T model.torshpkg ${origin}/api/v1/packages/NAME/VERSION`}
      label="Copy command"
    />
  );
}
