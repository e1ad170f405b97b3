// proxy-from-env ships no types; its one export, as its README documents it.
declare module 'proxy-from-env' {
  /** The proxy URL for the URL from the *_PROXY and NO_PROXY variables, '' when none applies. */
  export function getProxyForUrl(url: string | URL): string;
}
