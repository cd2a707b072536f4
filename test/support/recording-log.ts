import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

export type LogLine = Record<string, unknown> & { msg?: string };

/** A real pino logger whose output the test keeps: `raw` as written (to check a secret is not in it), `lines()` parsed. */
export function recordingLog(level: pino.Level = 'info'): { log: Logger; raw: string[]; lines(): LogLine[] } {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ level }, sink), raw, lines: () => raw.map((line) => JSON.parse(line) as LogLine) };
}
