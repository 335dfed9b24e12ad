import { getVersionHandler, publishVersionHandler } from '@/lib/server/handlers/package-version';

export const dynamic = 'force-dynamic';

export const GET = getVersionHandler;
export const PUT = publishVersionHandler;
