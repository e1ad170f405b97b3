import type { KeyValue } from './inputs';

const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/**
 * Values in KEY=VALUE inputs that are credentials: those whose name says so, and the password of a URL
 * (postgres://user:password@host/db). A container that prints them then shows *** in the job log.
 * Other values stay readable: masking "1" or "true" would blank them out of every log line.
 */
export function secretValues(pairs: KeyValue[]): string[] {
  const secrets: string[] = [];
  for (const { name, value } of pairs) {
    if (value === '') continue;
    if (SECRET_NAME.test(name)) secrets.push(value);
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@\s]+)@/i.exec(value)?.[1];
    if (password) secrets.push(password, decodeURIComponentSafe(password));
  }
  return [...new Set(secrets)];
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
