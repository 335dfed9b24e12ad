import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import Markdown from 'react-markdown';
import { describe, expect, it } from 'vitest';
import { README_MARKDOWN } from './readme-markdown';

const render = (source: string) => renderToStaticMarkup(createElement(Markdown, README_MARKDOWN, source));

describe('README rendering', () => {
  it('renders GitHub-flavoured Markdown', () => {
    const html = render('# ResNet\n\n**bold** and ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n```python\nprint(1)\n```');
    expect(html).toContain('<h1>ResNet</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('<table>');
    expect(html).toContain('type="checkbox"');
    expect(html).toContain('<code class="language-python">print(1)\n</code>');
  });

  it('drops raw HTML: no script, iframe, style or event handler reaches the page', () => {
    const html = render('hello <script>alert(1)</script> <img src=x onerror="alert(2)"> <iframe src="https://evil.example"></iframe> <b style="color:red">x</b>\n\n<div onclick="alert(3)">block</div>');
    expect(html).not.toMatch(/<script|<iframe|<img|onerror|onclick|<div|style=/i);
    expect(html).toContain('hello');
  });

  it('drops javascript:, vbscript: and data: URLs from links and images', () => {
    for (const url of ['javascript:alert(1)', 'JavaScript:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>', ' javascript:alert(1)']) {
      const html = render(`[click](${url}) ![img](${url}) <${url}>`);
      expect(html, url).not.toMatch(/(href|src)=/i); // the text may stay; no URL attribute does
      expect(html, url).toContain('>click</a>');
    }
  });

  it('gives links rel="noopener noreferrer nofollow" and keeps http(s) and relative URLs', () => {
    const html = render('[site](https://example.com/a?b=1) [rel](./docs/usage.md) <https://auto.example>');
    expect(html).toContain('<a href="https://example.com/a?b=1" rel="noopener noreferrer nofollow">site</a>');
    expect(html).toContain('<a href="./docs/usage.md" rel="noopener noreferrer nofollow">rel</a>');
    expect(html).toContain('<a href="https://auto.example" rel="noopener noreferrer nofollow">https://auto.example</a>');
  });
});
