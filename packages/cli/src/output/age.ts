/** kubectl's short age: 45s, 12m, 3h, 5d (and 3h20m / 2m30s while small). */
export function formatAge(since: string | Date | undefined, now: Date = new Date()): string {
  if (since === undefined) return "<unknown>";
  const start = since instanceof Date ? since : new Date(since);
  if (Number.isNaN(start.getTime())) return "<unknown>";
  const seconds = Math.max(0, Math.floor((now.getTime() - start.getTime()) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 ? `${minutes}m${seconds % 60}s` : `${minutes}m`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
