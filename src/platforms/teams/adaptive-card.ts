import type { ConfirmDialog, Message, MessageAction, Severity } from '../../core/message.js';
import { progressText } from '../shared/progress-text.js';
import { count, truncate } from '../shared/truncate.js';
import type { CardElement, ContainerStyle, TextBlock, TextColor } from './adaptive-card-elements.js';
import { literalLines } from './adaptive-card-literal.js';
import { renderTable } from './adaptive-card-table.js';

export type { CardElement, TableElement, TextBlock } from './adaptive-card-elements.js';

/**
 * The Adaptive Card 1.5 renderer: the Message model as a card for Teams. Buttons
 * are Universal Actions (Action.Execute, verb = action id, data = {value}) so a
 * press arrives as an `adaptiveCard/action` invoke whose answer replaces the card.
 *
 * Adaptive Cards have no confirmation dialog. A dangerous button (style danger, or
 * one with `confirm`) is therefore an Action.ShowCard: pressing it unfolds the
 * question on the card itself, and only the Action.Execute inside that unfolded
 * card sends the press. Pressing the button again folds it away, which is "deny".
 *
 * Tables become Table elements and code one literal line each (adaptive-card-table.ts,
 * adaptive-card-literal.ts): Teams reads a TextBlock as Markdown, which would reflow
 * space-aligned columns and reformat log lines.
 */

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Teams refuses a bot message over about 100 KB; these keep a card well inside that.
 * Code costs ~110 bytes of JSON per line (one block each), hence a bound on lines too.
 */
const LIMITS = { text: 8000, textBlocks: 40, code: 12_000, codeLines: 150, fields: 40, factValue: 1000, actions: 6, title: 200, buttonTitle: 60 } as const;

const severityEmoji: Record<Severity, string> = { info: 'ℹ️', success: '✅', warning: '⚠️', critical: '🚨' };
const severityColor: Record<Severity, TextColor> = { info: 'Accent', success: 'Good', warning: 'Warning', critical: 'Attention' };
const severityStyle: Record<Severity, ContainerStyle> = { info: 'accent', success: 'good', warning: 'warning', critical: 'attention' };

export interface ExecuteAction {
  type: 'Action.Execute';
  id: string;
  title: string;
  verb: string;
  data: { value: string };
  style?: 'positive' | 'destructive';
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  id: string;
  title: string;
  style?: 'positive' | 'destructive';
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions: ExecuteAction[] };
}

export type CardAction = ExecuteAction | ShowCardAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  fallbackText: string;
  body: CardElement[];
  actions?: CardAction[];
  msteams: { width: 'Full' };
}

export function renderAdaptiveCard(message: Message): AdaptiveCard {
  const notes: string[] = [];
  const heading = message.severity ? `${severityEmoji[message.severity]} ${message.title}` : message.title;
  const title: TextBlock = { type: 'TextBlock', text: truncate(heading, LIMITS.title), wrap: true, style: 'heading', weight: 'Bolder', size: 'Medium' };
  if (message.severity) title.color = severityColor[message.severity];
  const body: CardElement[] = [
    message.severity ? { type: 'Container', style: severityStyle[message.severity], bleed: true, items: [title] } : title,
  ];

  if (message.text) body.push(...paragraphs(cut(message.text, LIMITS.text, 'text', notes)));

  if (message.fields?.length) {
    const shown = message.fields.slice(0, LIMITS.fields);
    body.push({ type: 'FactSet', facts: shown.map((f) => ({ title: f.label, value: truncate(f.value, LIMITS.factValue) })) });
    const hidden = message.fields.length - shown.length;
    if (hidden > 0) notes.push(`${count(hidden, 'more field')} not shown`);
  }

  if (message.table) body.push(renderTable(message.table, notes));

  if (message.code) {
    const lines = cut(message.code, LIMITS.code, 'output', notes).split('\n');
    if (lines.length > LIMITS.codeLines) notes.push(`${count(lines.length - LIMITS.codeLines, 'line')} of output not shown`);
    body.push({ type: 'Container', style: 'emphasis', items: literalLines(lines.slice(0, LIMITS.codeLines), { fontType: 'Monospace' }) });
  }

  if (message.progress) body.push({ type: 'TextBlock', text: progressText(message.progress), wrap: true, fontType: 'Monospace' });
  if (message.footer) body.push({ type: 'TextBlock', text: message.footer, wrap: true, isSubtle: true, size: 'Small' });

  const { actions, dropped } = renderActions(message.actions ?? []);
  if (dropped.length > 0) notes.push(`${count(dropped.length, 'button')} left out (${dropped.join('; ')})`);
  if (notes.length > 0) body.push({ type: 'TextBlock', text: `✂️ Shortened to fit Teams' limits: ${notes.join('; ')}.`, wrap: true, isSubtle: true, size: 'Small' });

  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: truncate([heading, message.text, message.footer].filter(Boolean).join('\n'), 1000),
    body,
    msteams: { width: 'Full' },
  };
  if (actions.length > 0) card.actions = actions;
  return card;
}

function renderActions(actions: readonly MessageAction[]): { actions: CardAction[]; dropped: string[] } {
  const rendered: CardAction[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    // An id cannot be shortened without pointing at another handler: such a button is left out.
    if (action.id.length === 0 || seen.has(action.id)) {
      dropped.push(`${action.label}: invalid or duplicate action id`);
      continue;
    }
    // Teams shows at most six buttons in a row; more would be hidden behind "…" on some clients.
    if (rendered.length === LIMITS.actions) {
      dropped.push(`${action.label}: too many buttons`);
      continue;
    }
    seen.add(action.id);
    rendered.push(renderAction(action));
  }
  return { actions: rendered, dropped };
}

function renderAction(action: MessageAction): CardAction {
  const execute: ExecuteAction = {
    type: 'Action.Execute',
    id: action.id,
    title: truncate(action.label, LIMITS.buttonTitle),
    verb: action.id,
    data: { value: action.value ?? '' },
  };
  if (action.style === 'primary') execute.style = 'positive';
  if (action.style === 'danger') execute.style = 'destructive';
  const dialog: ConfirmDialog | undefined =
    action.confirm ?? (action.style === 'danger' ? { title: 'Are you sure?', text: `${action.label}?`, confirm: action.label, deny: 'Back' } : undefined);
  if (!dialog) return execute;
  return {
    type: 'Action.ShowCard',
    id: `${action.id}.ask`,
    title: execute.title,
    ...(execute.style ? { style: execute.style } : {}),
    card: {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: dialog.title, wrap: true, weight: 'Bolder' },
        { type: 'TextBlock', text: dialog.text, wrap: true },
        { type: 'TextBlock', text: `${dialog.deny}: press “${execute.title}” again to fold this away.`, wrap: true, isSubtle: true, size: 'Small' },
      ],
      actions: [{ ...execute, title: truncate(dialog.confirm, LIMITS.buttonTitle) }],
    },
  };
}

/**
 * Text as Markdown TextBlocks, one per line (up to a bound): Teams joins single newlines
 * inside a TextBlock into one paragraph. A line after a blank one keeps the normal spacing
 * (a paragraph break); the others sit right under the line before.
 */
function paragraphs(text: string): TextBlock[] {
  const blocks: TextBlock[] = [];
  let gap = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      gap = true;
      continue;
    }
    // Past the bound, lines join the last block as Markdown paragraphs (a blank line), which also break.
    if (blocks.length === LIMITS.textBlocks) {
      blocks.at(-1)!.text += `\n\n${line}`;
      continue;
    }
    blocks.push({ type: 'TextBlock', text: line, wrap: true, ...(blocks.length > 0 && !gap ? { spacing: 'None' as const } : {}) });
    gap = false;
  }
  return blocks;
}

/** The card as a Teams message attachment. */
export function cardAttachment(message: Message): { contentType: typeof CARD_CONTENT_TYPE; content: AdaptiveCard } {
  return { contentType: CARD_CONTENT_TYPE, content: renderAdaptiveCard(message) };
}

/** Shortens `text` to `max`, noting how much of `what` was left out. */
function cut(text: string, max: number, what: string, notes: string[]): string {
  if (text.length <= max) return text;
  const shortened = truncate(text, max);
  notes.push(`${count(text.length - (shortened.length - 1), 'character')} of ${what} not shown`);
  return shortened;
}


