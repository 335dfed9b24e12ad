import { DataTable } from '@/components/tables/data-table';
import { TD } from '@/components/tables/table-styles';
import { RelativeTime } from '@/components/ui/relative-time';
import type { JobScheduleView } from '@/lib/queries/use-jobs';

/** Recurring jobs: their cron expression (UTC) and next and last run. */
export function JobScheduleTable({ schedules }: { schedules: JobScheduleView[] }) {
  return (
    <DataTable columns={['Schedule', 'Kind', 'Cron (UTC)', 'Next run', 'Last run']}>
      {schedules.map((s) => (
        <tr key={s.name} className="hover:bg-slate-50">
          <td className={`${TD} font-medium`}>
            {s.name}
            {!s.enabled && <span className="ml-2 text-xs text-amber-700">disabled</span>}
          </td>
          <td className={`${TD} font-mono text-xs`}>{s.kind}</td>
          <td className={`${TD} font-mono text-xs`}>{s.cron}</td>
          <td className={`${TD} text-xs whitespace-nowrap text-slate-600`}>
            <RelativeTime ms={s.next_run_at} />
          </td>
          <td className={`${TD} text-xs whitespace-nowrap text-slate-600`}>
            {s.last_run_at === null ? <span className="text-slate-400">never</span> : <RelativeTime ms={s.last_run_at} />}
            {s.last_job_id !== null && <span className="text-slate-500"> · job #{s.last_job_id}</span>}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
