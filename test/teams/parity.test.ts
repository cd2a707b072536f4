import type { types } from '@slack/bolt';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeMrkdwn, renderBlocks, severityEmoji } from '../../src/platforms/slack/block-kit.js';
import { type AdaptiveCard, type CardElement, renderAdaptiveCard } from '../../src/platforms/teams/adaptive-card.js';
import type { TableCell } from '../../src/platforms/teams/adaptive-card-elements.js';
import type { Message } from '../../src/core/message.js';
import { everyCard } from '../fixtures/teams/messages.js';
import { cellText } from '../slack/support/block-kit-limits.js';

/** What a card says and offers, read back out of each platform's rendering. */
interface Meaning {
  title: string;
  facts: Array<[string, string]>;
  texts: string[];
  /** Header row first. */
  table: string[][];
  actions: Array<{ id: string; label: string; value: string | undefined }>;
}

function fromMrkdwn(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function slackMeaning(message: Message): Meaning {
  const { blocks } = renderBlocks(message);
  const header = blocks.find((b): b is types.HeaderBlock => b.type === 'header')!;
  const emoji = message.severity ? `${severityEmoji[message.severity]} ` : '';
  const facts: Array<[string, string]> = [];
  const texts: string[] = [];
  const table: string[][] = [];
  const actions: Meaning['actions'] = [];
  for (const block of blocks) {
    // Slack refuses an empty cell, so the renderer sends one space for it.
    if (block.type === 'table') table.push(...block.rows.map((row) => row.map((cell) => (cellText(cell) === ' ' ? '' : cellText(cell)))));
    if (block.type === 'section' && block.fields) {
      for (const field of block.fields) {
        const [label, ...value] = field.text.split('\n');
        facts.push([fromMrkdwn(label!.replace(/^\*|\*$/g, '')), fromMrkdwn(value.join('\n'))]);
      }
    }
    if (block.type === 'section' && block.text && !block.text.text.startsWith('```')) texts.push(fromMrkdwn(block.text.text));
    if (block.type === 'context') texts.push(...block.elements.map((e) => ('text' in e ? fromMrkdwn(e.text) : '')));
    if (block.type === 'actions') {
      for (const e of block.elements) if (e.type === 'button') actions.push({ id: e.action_id!, label: e.text.text, value: e.value });
    }
  }
  return { title: header.text.text.slice(emoji.length), facts, texts, table, actions };
}

function teamsMeaning(message: Message): Meaning {
  const card: AdaptiveCard = renderAdaptiveCard(message);
  const facts: Array<[string, string]> = [];
  const texts: string[] = [];
  const table: string[][] = [];
  // A TextRun shows spaces as no-break spaces where HTML would collapse them; Slack's cells keep plain ones.
  const literal = (cell: TableCell): string => cell.items.map((item) => (item.type === 'RichTextBlock' ? item.inlines.map((run) => run.text).join('') : '')).join('').replaceAll('\u00a0', ' ');
  const walk = (elements: CardElement[]): void => {
    for (const element of elements) {
      // The emphasis container holds the code block, which Slack shows in a fence (compared by the golden tests).
      if (element.type === 'Container' && element.style !== 'emphasis') walk(element.items);
      if (element.type === 'FactSet') facts.push(...element.facts.map((f): [string, string] => [f.title, f.value]));
      if (element.type === 'Table') table.push(...element.rows.map((row) => row.cells.map(literal)));
      // Teams gets one TextBlock per line (spacing None under the line before); Slack one section per paragraph.
      if (element.type === 'TextBlock' && element.style !== 'heading') {
        if (element.spacing === 'None' && texts.length > 0) texts[texts.length - 1] += `\n${element.text}`;
        else texts.push(element.text);
      }
    }
  };
  walk(card.body);
  const heading = JSON.stringify(card.body[0]).match(/"text":"([^"]*)"/)![1]!;
  const emoji = message.severity ? heading.split(' ')[0]! : '';
  const actions = (card.actions ?? []).map((a) => {
    const execute = a.type === 'Action.ShowCard' ? a.card.actions[0]! : a;
    return { id: execute.verb, label: a.title, value: execute.data.value === '' ? undefined : execute.data.value };
  });
  return { title: emoji ? heading.slice(emoji.length + 1) : heading, facts, texts, table, actions };
}

let cards: Record<string, Message>;
beforeAll(async () => {
  cards = await everyCard();
});

describe('Slack and Teams carry the same card', () => {
  it('with the same title, facts, text and buttons for every kind of card', () => {
    for (const [name, message] of Object.entries(cards)) {
      const slack = slackMeaning(message);
      const teams = teamsMeaning(message);
      expect({ name, ...teams }).toEqual({ name, ...slack });
    }
  });

  it('with every table cell of the model, header first, in order', () => {
    const tables = Object.values(cards).filter((message) => message.table);
    expect(tables.length).toBeGreaterThan(0);
    for (const message of tables) {
      const expected = [message.table!.columns.map((c) => c.header), ...message.table!.rows];
      expect(teamsMeaning(message).table).toEqual(expected);
      expect(slackMeaning(message).table).toEqual(expected);
    }
  });

  it('with every field label and value of the model, in order', () => {
    for (const message of Object.values(cards)) {
      const expected = (message.fields ?? []).map((f): [string, string] => [f.label, f.value]);
      expect(teamsMeaning(message).facts).toEqual(expected);
      expect(slackMeaning(message).facts).toEqual(expected);
    }
  });

  it('with the escaping only Slack needs undone', () => {
    expect(escapeMrkdwn('a < b & c')).not.toBe('a < b & c');
    const message: Message = { title: 'a < b & c', fields: [{ label: '<x>', value: 'y & z' }], text: 'p > q' };
    expect(teamsMeaning(message)).toEqual(slackMeaning(message));
  });
});
