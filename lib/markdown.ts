// Product descriptions are Markdown written by merchants and shown to buyers: rendered
// without raw HTML (escaped, never passed through) and with links limited to http(s) and mailto.
import { Marked, type Tokens } from 'marked';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const safeHref = (href: string) => (/^(https?:|mailto:)/i.test(href.trim()) ? href : '#');

const md = new Marked({ gfm: true, breaks: true, async: false });
md.use({
  renderer: {
    html: (token: Tokens.HTML | Tokens.Tag) => escape(token.text),
    link(this: { parser: { parseInline: (t: Tokens.Generic[]) => string } }, token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      return `<a href="${escape(safeHref(token.href))}" rel="nofollow noopener noreferrer" target="_blank">${text}</a>`;
    },
    image: (token: Tokens.Image) => escape(token.text),
  },
});

export function renderMarkdown(source: string): string {
  return md.parse(source) as string;
}
