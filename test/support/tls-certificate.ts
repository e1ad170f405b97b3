import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
  /** The certificate's file, for NODE_EXTRA_CA_CERTS: a child process then trusts it as it trusts a real CA. */
  certFile: string;
}

/** The host names test/support/proxy/test-cert.pem is for: the names only the test proxy resolves. */
export const CERTIFICATE_HOSTS = ['sandbox.proxy-only.test', 'registry.proxy-only.test', 'app.proxy-only.test'];

/**
 * A self-signed certificate for CERTIFICATE_HOSTS, kept in the repository (made once with openssl, valid until
 * 2126) so no test needs openssl on the machine. Its key protects nothing but these tests' local servers.
 */
export function testCertificate(): TestCertificate {
  const certFile = resolve('test/support/proxy/test-cert.pem');
  return { key: readFileSync(resolve('test/support/proxy/test-key.pem'), 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
