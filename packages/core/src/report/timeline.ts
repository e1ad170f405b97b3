export interface TimelineEntry {
  at: number;
  text: string;
}

/** "+12.3s  text" lines in seconds since `origin`, oldest first. */
export function renderTimeline(origin: number, entries: TimelineEntry[]): string[] {
  return [...entries].sort((a, b) => a.at - b.at).map((entry) => `+${((entry.at - origin) / 1000).toFixed(1).padStart(6)}s  ${entry.text}`);
}
