/**
 * The unit project's promise: a unit test answers from mocks and local servers, never from the network. With the
 * guard on, a connection to any host but loopback throws at once, naming the host, instead of hanging on a
 * timeout or passing only on a machine that happens to be online. test/support/unit-setup.ts puts it on.
 */
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1', 'localhost']);

export class NetworkAccessError extends Error {
  constructor(host: string, port: unknown) {
    super(`unit tests must not reach the network: ${host}:${port ?? ''}`);
    this.name = 'NetworkAccessError';
  }
}

function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase().replace(/^\[(.*)\]$/, '$1'));
}

interface Target {
  host?: string;
  port?: unknown;
  path?: string;
}

/**
 * The host and port of any of connect()'s call forms: (options[, cb]), (port[, host][, cb]), (path[, cb]), and
 * the normalised [options, cb] array net.connect hands to Socket.prototype.connect.
 */
function targetOf(args: unknown[]): Target {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') return first as Target;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  }
  if (typeof first === 'string') return { path: first };
  return {};
}

function refuseRemote(args: unknown[]): void {
  const target = targetOf(args);
  // A Unix socket or named pipe is local by definition (http's agent passes `path: null` for TCP); no host means
  // Node's default, localhost. A name under .invalid reaches nothing: its lookup fails here (refuseRemoteLookup).
  if (target.path) return;
  const host = target.host ?? 'localhost';
  if (!isLoopback(host) && !isInvalidName(host)) throw new NetworkAccessError(host, target.port);
}

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Replaces `owner[name]` with a version that checks its arguments first (throwing, or rejecting for a function
 * that returns a promise); returns the undo.
 */
function guard<T extends object>(
  owner: T,
  name: keyof T,
  check: (args: unknown[]) => void,
  returnsPromise = false,
  wrap: (original: AnyFunction) => AnyFunction = (original) => original,
): () => void {
  const saved = owner[name] as unknown as AnyFunction;
  const original = wrap(saved);
  const guarded = function (this: unknown, ...args: unknown[]) {
    if (!returnsPromise) check(args);
    else {
      try {
        check(args);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return original.apply(this, args);
  };
  (owner as Record<keyof T, unknown>)[name] = guarded;
  return () => {
    (owner as Record<keyof T, unknown>)[name] = saved;
  };
}

/**
 * RFC 6761: names under .invalid never resolve, and resolvers "SHOULD always return immediate negative responses"
 * for them. Tests use them for "a host that does not resolve"; the guard answers that itself, asking no resolver.
 */
function isInvalidName(host: string): boolean {
  return /(^|\.)invalid\.?$/i.test(host);
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });
}

/** dns.lookup(hostname, ...): loopback names and IP literals resolve, .invalid names do not; any other name is refused. */
function refuseRemoteLookup(args: unknown[]): void {
  const hostname = args[0];
  if (typeof hostname === 'string' && hostname !== '' && net.isIP(hostname) === 0 && !isLoopback(hostname) && !isInvalidName(hostname)) {
    throw new NetworkAccessError(hostname, 'dns');
  }
}

/** The callback dns.lookup: a .invalid name fails as getaddrinfo fails, on a later tick. */
function lookupWithoutResolver(original: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const [hostname] = args;
    const callback = args[args.length - 1];
    if (typeof hostname === 'string' && isInvalidName(hostname) && typeof callback === 'function') {
      process.nextTick(() => (callback as (error: Error) => void)(notFound(hostname)));
      return {};
    }
    return original.apply(this, args);
  };
}

/** The promise dns.lookup: a .invalid name rejects as getaddrinfo fails. */
function lookupPromiseWithoutResolver(original: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const [hostname] = args;
    if (typeof hostname === 'string' && isInvalidName(hostname)) return Promise.reject(notFound(hostname));
    return original.apply(this, args);
  };
}

/** Puts the guard on; the returned function takes it off again. */
export function installNetworkGuard(): () => void {
  const undo = [
    // Every TCP client ends here: net.connect, http and https agents, undici's fetch, tls.connect.
    guard(net.Socket.prototype, 'connect', refuseRemote),
    // Checked before a socket exists, so the error comes from the caller's own stack.
    guard(net, 'connect', refuseRemote),
    guard(net, 'createConnection', refuseRemote),
    guard(tls, 'connect', refuseRemote),
    guard(dns, 'lookup', refuseRemoteLookup, false, lookupWithoutResolver),
    guard(dns.promises, 'lookup', refuseRemoteLookup, true, lookupPromiseWithoutResolver),
  ];
  return () => {
    for (const step of undo.reverse()) step();
  };
}
