import { uploadRoute } from '@/lib/server/uploads/upload-handler';

// Resumable uploads (tus 1.0). Under the origin server these requests never reach Next: its
// fast path hands node req/res to the same guard and tus server (lib/server/fast-routes.ts).
export const dynamic = 'force-dynamic';

export const POST = uploadRoute('POST');
export const PATCH = uploadRoute('PATCH');
export const HEAD = uploadRoute('HEAD');
export const DELETE = uploadRoute('DELETE');
export const OPTIONS = uploadRoute('OPTIONS');
