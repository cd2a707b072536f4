/**
 * The platform-neutral message model. Handlers and actions decide content once;
 * the Block Kit, Adaptive Card and console renderers only translate it, so a card
 * means the same thing on every platform.
 */
export type Severity = 'info' | 'success' | 'warning' | 'critical';

export interface Field {
  label: string;
  value: string;
}

export interface Progress {
  done: number;
  total: number;
  label?: string;
}

export interface ConfirmDialog {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

export type ActionStyle = 'primary' | 'danger' | 'default';

/** A button. `value` is an opaque id resolved from Redis, never state itself. */
export interface MessageAction {
  id: string;
  label: string;
  style: ActionStyle;
  value?: string;
  confirm?: ConfirmDialog;
}

export interface Message {
  title: string;
  severity?: Severity;
  fields?: Field[];
  text?: string;
  /** Preformatted text (log tails, tables); renderers show it monospaced. */
  code?: string;
  progress?: Progress;
  actions?: MessageAction[];
  footer?: string;
}
