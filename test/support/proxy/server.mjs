// A real HTTP proxy in its own process for the e2e tests: TooTallNate's `proxy` (forwarding for http:, CONNECT
// tunnels for https:), printing one JSON line per request it is asked to carry, so a test can assert what went
// through it. Host names under .proxy-only.test resolve to 127.0.0.1 in this process only: a service the tests
// name so is reachable through the proxy and nowhere else (the runner's own DNS does not know the name).
//
//   node server.mjs [--credentials user:password]
//   stdout: {"listening":<port>} once, then {"method":"CONNECT","url":"host:443"} or {"method":"GET","url":"http://..."}
import { Buffer } from 'node:buffer';
import dns from 'node:dns';
import http from 'node:http';
import { createProxy } from 'proxy';

const ONLY_THROUGH_PROXY = /\.proxy-only\.test$/i;
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  if (typeof hostname === 'string' && ONLY_THROUGH_PROXY.test(hostname)) {
    const done = typeof options === 'function' ? options : callback;
    const all = typeof options === 'object' && options?.all;
    return process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
  }
  return lookup.call(this, hostname, options, callback);
};

const flag = process.argv.indexOf('--credentials');
const credentials = flag > 0 ? process.argv[flag + 1] : undefined;

const server = createProxy(http.createServer());
if (credentials) {
  // The proxy's own check of Proxy-Authorization; a request without it is answered 407, as a corporate proxy does.
  server.authenticate = (req) => req.headers['proxy-authorization'] === `Basic ${Buffer.from(credentials).toString('base64')}`;
}
const log = (req) =>
  process.stdout.write(`${JSON.stringify({ method: req.method, url: req.url, authorized: !!req.headers['proxy-authorization'] })}\n`);
server.prependListener('request', log);
server.prependListener('connect', log);
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ listening: server.address().port })}\n`));
process.on('SIGTERM', () => process.exit(0));
