import { createElement } from 'react';
import type { Components, Options } from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';

const components: Components = {
  // Links lead off the registry: no opener, no referrer, no endorsement.
  a: ({ node: _node, ...props }) => createElement('a', { ...props, rel: 'noopener noreferrer nofollow' }),
};

/**
 * How a package README is rendered: GitHub-flavoured Markdown, raw HTML dropped, the result
 * sanitised (GitHub's rules: no scripts, styles, event handlers or javascript: URLs).
 */
export const README_MARKDOWN: Readonly<Options> = {
  remarkPlugins: [remarkGfm],
  rehypePlugins: [rehypeSanitize],
  skipHtml: true,
  components,
};
