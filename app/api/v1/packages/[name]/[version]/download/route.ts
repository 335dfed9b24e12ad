import { downloadHandler } from '@/lib/server/handlers/download';

export const dynamic = 'force-dynamic';

export const GET = downloadHandler;
export const HEAD = downloadHandler;
