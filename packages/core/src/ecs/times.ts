/** Milliseconds since the epoch of a timestamp in an ECS answer, 0 when absent, so that sorting and comparing need no checks. */
export function epochMs(value: Date | undefined): number {
  return value ? new Date(value).getTime() : 0;
}
