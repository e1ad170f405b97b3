/**
 * The term form of CloudWatch Logs filter patterns: every term must appear, `"quoted phrases"` match
 * exactly, `?term` alternatives need one match, `-term` excludes (Filter pattern syntax, CloudWatch Logs
 * user guide). JSON and space-delimited patterns are not modelled.
 */
export function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
  const source = (pattern ?? '').trim();
  if (source === '') return () => true;
  const terms = [...source.matchAll(/([?-]?)(?:"([^"]*)"|(\S+))/g)].map((m) => ({ prefix: m[1], text: m[2] ?? m[3] }));
  const required = terms.filter((t) => t.prefix === '').map((t) => t.text);
  const anyOf = terms.filter((t) => t.prefix === '?').map((t) => t.text);
  const excluded = terms.filter((t) => t.prefix === '-').map((t) => t.text);
  return (message) =>
    required.every((t) => message.includes(t)) &&
    (anyOf.length === 0 || anyOf.some((t) => message.includes(t))) &&
    !excluded.some((t) => message.includes(t));
}
