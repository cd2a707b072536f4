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

/** A column of a table: its header, and how its cells line up (numbers read best right-aligned). */
export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
}

/**
 * Rows of plain-text cells under column headers (history, jobs, audit, events,
 * help's arguments). Cells hold no markup: every renderer shows them literally —
 * Teams as a Table element, Slack as a table block, the console as aligned columns.
 */
export interface Table {
  columns: TableColumn[];
  /** One cell per column. */
  rows: string[][];
  /**
   * Which rows matter when a renderer has to cut some to fit its platform:
   * `last` for lists sorted oldest first (rollout history, events), else `first`.
   */
  keep?: 'first' | 'last';
}

export interface Message {
  title: string;
  severity?: Severity;
  fields?: Field[];
  text?: string;
  table?: Table;
  /** Preformatted lines (log tails, exports); renderers show them monospaced and literally, line by line. */
  code?: string;
  progress?: Progress;
  actions?: MessageAction[];
  footer?: string;
}
