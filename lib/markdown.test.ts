import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    expect(renderMarkdown('**bold** and [site](https://example.com)')).toContain('<strong>bold</strong>');
  });
  it('never passes raw HTML or script through', () => {
    const out = renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> text <b onclick="x">hi</b>');
    expect(out).not.toMatch(/<script|<img|<b /i);
    expect(out).toContain('&lt;script&gt;');
  });
  it('neutralises javascript: links', () => {
    const out = renderMarkdown('[click](javascript:alert(1))');
    expect(out).not.toContain('javascript:');
    expect(out).toContain('href="#"');
  });
});
