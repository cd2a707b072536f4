import type { AnyAction } from './action.js';
import { argSpec } from './arg-spec.js';

/** The verbs the bot understands. A verb is registered only once its action really works. */
export class ActionRegistry {
  private readonly actions = new Map<string, AnyAction>();

  constructor(actions: readonly AnyAction[] = []) {
    for (const action of actions) this.register(action);
  }

  register(action: AnyAction): void {
    if (this.actions.has(action.name)) throw new Error(`action '${action.name}' is registered twice`);
    if (action.risk !== 'read' && !action.plan) throw new Error(`action '${action.name}' changes things but has no plan()`);
    // Read now, so an args schema the grammar cannot use stops start-up rather than a command.
    argSpec(action);
    this.actions.set(action.name, action);
  }

  get(name: string): AnyAction | undefined {
    return this.actions.get(name);
  }

  /** Names in registration order, which is the order help lists them in. */
  names(): string[] {
    return [...this.actions.keys()];
  }

  all(): AnyAction[] {
    return [...this.actions.values()];
  }
}
