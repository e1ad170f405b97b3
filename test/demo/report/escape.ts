/** Text made safe to stand in HTML or SVG, as content or as a quoted attribute's value. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** `svg` as a link to the element with id `id` on the page; as it is when there is no such element. */
export function linked(id: string, svg: string): string {
  return id ? `<a href="#${escapeHtml(id)}">${svg}</a>` : svg;
}
