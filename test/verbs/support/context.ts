import { pino } from 'pino';
import type { ActionContext } from '../../../src/core/action.js';
import { catalog } from '../../actions/context.js';

export { catalog };

/** An action context for one verb with just the ports it declares, as the pipeline would build it. */
export function verbContext<Ports>(ports: Ports, env = 'prod'): ActionContext<Ports> {
  return {
    requestId: 'req-1',
    actor: { id: 'U1', name: 'alice', platform: 'slack' },
    conversation: { platform: 'slack', id: 'C1', name: '#victor-incidents' },
    env,
    catalog,
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    ports,
  };
}

export const noProgress = async () => {};
