import { Readable } from 'node:stream';
import { z } from 'zod';
import { auditCsv, listAudit } from '@/lib/engine/audit/list-audit';
import { streamResponse } from '@/lib/server/node-streams';
import { route } from '@/lib/server/route';
import { ZAuditQuery } from '@/lib/validations/accounts';

export const dynamic = 'force-dynamic';

export const GET = route({
  permission: 'ViewAudit',
  params: z.object({}),
  query: ZAuditQuery,
  run: ({ query, ctx }) => {
    const { page, per_page, format, ...filter } = query;
    if (format === 'csv') {
      return streamResponse(Readable.from(auditCsv(ctx.engine, filter), { objectMode: false }), {
        headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="torsh-audit.csv"' },
      });
    }
    return Response.json({ page, per_page, ...listAudit(ctx.engine, filter, page, per_page) });
  },
});
