import { ConfigurationError } from '../common/errors';

export interface RequestHeader {
  name: string;
  value: string;
}

/**
 * Reads the URLs to probe, one a line. Only absolute http and https URLs make sense for a health check; a
 * relative path or a typo in the scheme is a mistake in the workflow, reported before any request.
 */
export function parseHealthUrls(lines: string[], input = 'url'): string[] {
  if (lines.length === 0) throw new ConfigurationError(`Input '${input}' is required but was not given.`, input);
  return lines.map((line) => {
    // URL() would take "a b" as one URL with %20 in its path: two URLs on a line are a list written wrong.
    if (/\s/.test(line)) {
      throw new ConfigurationError(
        `Input '${input}' must hold absolute URLs such as https://example.com/health, one a line; "${line}" holds a space: put each URL on its own line.`,
        input,
      );
    }
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      throw new ConfigurationError(
        `Input '${input}' must hold absolute URLs such as https://example.com/health, one a line; "${line}" is not a URL.`,
        input,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigurationError(
        `Input '${input}' must hold http:// or https:// URLs; "${line}" uses ${url.protocol.replace(/:$/, '')}.`,
        input,
      );
    }
    if (!url.hostname) throw new ConfigurationError(`Input '${input}': "${line}" names no host.`, input);
    return url.href;
  });
}

/** `Name: value` lines, as curl takes them. A value may contain colons; a name follows RFC 9110's token rule. */
export function parseRequestHeaders(lines: string[], input = 'headers'): RequestHeader[] {
  return lines.map((line) => {
    const separator = line.indexOf(':');
    const name = separator > 0 ? line.slice(0, separator).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      // The line may carry a secret: show only what could be its name.
      throw new ConfigurationError(
        `Input '${input}' must hold "Name: value" lines such as "Authorization: Bearer ..."; a line starting "${line.slice(0, Math.max(0, Math.min(separator, 20)) || 8)}" has no valid header name before a colon.`,
        input,
      );
    }
    return { name, value: line.slice(separator + 1).trim() };
  });
}
