import { formatDuration, parseDuration } from '../../core/duration.js';
import { UserError } from '../../core/errors.js';

/** --since in seconds: the grammar hands durations over as seconds, a direct caller may pass the text. */
export function durationSeconds(since: string | number): number {
  if (typeof since === 'number') return since;
  const ms = parseDuration(since);
  if (ms === undefined || ms < 1000 || ms % 1000 !== 0) throw new UserError(`'${since}' is not a duration; use e.g. 30s, 10m, 2h`, 'bad_duration');
  return Math.floor(ms / 1000);
}

/** The grammar hands durations over in seconds; say them the way they were typed. */
export function describeSeconds(seconds: number): string {
  return formatDuration(seconds * 1000);
}
