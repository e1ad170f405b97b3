// Kept in step with the root package.json by a unit test; it names the suite in every AWS call's user agent.
export const SUITE_VERSION = '0.1.0';
