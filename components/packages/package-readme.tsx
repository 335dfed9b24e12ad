'use client';

import Markdown from 'react-markdown';
import { Card } from '@/components/ui/card';
import { README_MARKDOWN } from '@/lib/ui/readme-markdown';

/** Tailwind's reset strips heading, list and code styles: give Markdown its shape back. */
const MARKDOWN_STYLES = [
  'space-y-3',
  '[&_h1]:text-xl [&_h1]:font-semibold [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold [&_h4]:font-semibold',
  '[&_ul]:list-disc [&_ul]:pl-5 [&_ol]:list-decimal [&_ol]:pl-5 [&_li]:mt-1',
  '[&_a]:text-indigo-700 [&_a]:underline',
  '[&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:font-mono [&_code]:text-xs',
  '[&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-slate-50 [&_pre]:p-3 [&_pre_code]:bg-transparent [&_pre_code]:p-0',
  '[&_blockquote]:border-l-4 [&_blockquote]:border-slate-200 [&_blockquote]:pl-3 [&_blockquote]:text-slate-600',
  '[&_table]:text-left [&_td]:border [&_td]:border-slate-200 [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:border-slate-200 [&_th]:px-2 [&_th]:py-1',
  '[&_hr]:border-slate-200',
].join(' ');

/** The package's README, rendered safely (lib/ui/readme-markdown.ts). */
export function PackageReadme({ readme, canEdit }: { readme: string | null; canEdit: boolean }) {
  if (!readme) {
    if (!canEdit) return null;
    return (
      <Card title="README">
        <p className="p-4 text-sm text-slate-600">No README yet. Use Edit to write one in Markdown.</p>
      </Card>
    );
  }
  return (
    <Card title="README">
      <div className={`p-4 text-sm leading-relaxed break-words text-slate-800 ${MARKDOWN_STYLES}`}>
        <Markdown {...README_MARKDOWN}>{readme}</Markdown>
      </div>
    </Card>
  );
}
