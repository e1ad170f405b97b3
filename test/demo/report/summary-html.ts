/**
 * A job summary as GitHub shows it: GitHub-flavoured markdown (tables, headings, code blocks, lists, links) rendered
 * by marked, and the HTML inside it kept only as far as GitHub's sanitizer keeps it: an allowed set of tags without
 * their attributes (but `open` on details; so no raw links), every other tag shown as text, links only to http(s), mail and anchors.
 */
import { Marked, type Tokens } from 'marked';
import { escapeHtml } from './escape';

const ALLOWED_TAGS = new Set([
  'b',
  'blockquote',
  'br',
  'code',
  'dd',
  'del',
  'details',
  'div',
  'dl',
  'dt',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'ins',
  'kbd',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'samp',
  'span',
  'strike',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'ul',
  'var',
]);
const SAFE_HREF = /^(https?:|mailto:|#)/i;

/** Raw HTML from the markdown: allowed tags bare, anything else as visible text. */
export function sanitizeHtml(html: string): string {
  return html.replace(
    /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^>]*)?)\/?>/g,
    (tag, slash: string, name: string | undefined, attributes: string) => {
      if (name === undefined) return ''; // a comment, which GitHub drops
      const lower = name.toLowerCase();
      if (!ALLOWED_TAGS.has(lower)) return escapeHtml(tag);
      const open = !slash && lower === 'details' && /(^|\s)open(\s|=|$)/i.test(attributes) ? ' open' : '';
      return `<${slash}${lower}${open}>`;
    },
  );
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return sanitizeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      if (!SAFE_HREF.test(href)) return text;
      const titled = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titled} rel="nofollow noopener noreferrer">${text}</a>`;
    },
    image({ text }: Tokens.Image) {
      // The page loads nothing from anywhere: an image shows as its alternative text.
      return escapeHtml(text);
    },
  },
});

export function summaryHtml(markdown: string): string {
  return marked.parse(markdown) as string;
}
