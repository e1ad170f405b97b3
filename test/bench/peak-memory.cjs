/* global process */
// Preloaded into a bundled action's process (NODE_OPTIONS=--require) by the many-services bench: its peak resident
// memory, printed as it exits, in KiB.
process.on('exit', () => {
  process.stderr.write(`bench-peak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
