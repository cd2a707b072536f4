import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The real kubectl the fidelity tests compare with: on PATH (global setup fails the run without it). */
export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'kubectl');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}
