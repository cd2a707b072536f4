import { randomBytes } from 'node:crypto';
import type { ActionStyle } from '../core/message.js';
import type { IncidentButton } from './incident.js';

/**
 * The buttons of a new incident's card: the catalog's suggested actions, then
 * Acknowledge and Resolve. Each carries an opaque random value that only the
 * lookups can turn back into the incident and kind (src/pipeline/alert.ts routes
 * the presses). Kept apart from the store, which holds state and mints nothing;
 * the lead may move this beside the route table (src/pipeline/buttons.ts).
 */
export function incidentButtons(actions: readonly { label: string; style: ActionStyle; command: string }[]): IncidentButton[] {
  return [
    ...actions.map((a) => mint('action', a.label, a.style, a.command)),
    mint('ack', 'Acknowledge', 'default'),
    mint('resolve', 'Resolve', 'default'),
  ];
}

/** The shape `mint` gives values: anything else is refused before Redis is asked. */
export function isButtonValue(value: string): boolean {
  return /^b[A-Za-z0-9_-]{16}$/.test(value);
}

function mint(kind: IncidentButton['kind'], label: string, style: ActionStyle, command?: string): IncidentButton {
  return { value: `b${randomBytes(12).toString('base64url')}`, kind, label, style, ...(command ? { command } : {}) };
}
