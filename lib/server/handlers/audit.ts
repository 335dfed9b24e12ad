import { Readable } from 'node:stream';
import { z } from 'zod';
import { auditCsv, listAudit } from '@/lib/engine/audit/list-audit';
import { ZAuditQuery } from '@/lib/validations/accounts';
import { streamResponse } from '../node-streams';
import { route } from '../route';

/** GET /api/v1/audit (`format=csv` streams every matching row) */
export const auditHandler = route({
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
