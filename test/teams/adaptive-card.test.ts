import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ExecuteAction, renderAdaptiveCard, type ShowCardAction } from '../../src/platforms/teams/adaptive-card.js';
import type { Message } from '../../src/core/message.js';
import { everyCard } from '../fixtures/teams/messages.js';
import { expectGolden } from '../support/golden.js';
import { adaptiveCardProblems } from './support/adaptive-cards.js';

const goldenDir = fileURLToPath(new URL('../fixtures/teams/', import.meta.url));
let cards: Record<string, Message>;
beforeAll(async () => {
  cards = await everyCard();
});

describe('Adaptive Card renderer', () => {
  it('renders every kind of card as its golden file', () => {
    for (const [name, message] of Object.entries(cards)) expectGolden(`${goldenDir}${name}.golden.json`, renderAdaptiveCard(message));
  });

  it('emits cards the adaptivecards SDK parses with no errors or warnings', () => {
    for (const [name, message] of Object.entries(cards)) expect({ name, problems: adaptiveCardProblems(renderAdaptiveCard(message)) }).toEqual({ name, problems: [] });
  });

  it('is a version 1.5 card, which Universal Actions need', () => {
    expect(renderAdaptiveCard(cards.status!).version).toBe('1.5');
  });

  it('makes each button an Action.Execute whose verb is the action id and whose data carries the value', () => {
    const [, , ack] = renderAdaptiveCard(cards['alert-with-actions']!).actions!;
    expect(ack).toEqual({ type: 'Action.Execute', id: 'alert.ack', title: 'Acknowledge', verb: 'alert.ack', data: { value: 'iABCDEF' } });
  });

  it('asks on the card before a dangerous action: the Execute sits inside a ShowCard with the question', () => {
    const [confirm, cancel] = renderAdaptiveCard(cards['plan-needs-confirmation']!).actions!;
    expect(confirm!.type).toBe('Action.ShowCard');
    const ask = confirm as ShowCardAction;
    expect(ask.title).toBe('Confirm');
    expect(JSON.stringify(ask.card.body)).toContain('Are you sure?');
    expect(ask.card.actions[0]).toMatchObject({ type: 'Action.Execute', verb: 'plan.confirm', title: 'Yes, do it', style: 'destructive', data: { value: 'cAAAAAAAAAAAA' } });
    expect((cancel as ExecuteAction).verb).toBe('plan.cancel');
  });

  it('shows code in a monospace block and progress as a text bar', () => {
    const result = JSON.stringify(renderAdaptiveCard(cards['result-with-code']!));
    expect(result).toContain('"fontType":"Monospace"');
    expect(JSON.stringify(renderAdaptiveCard(cards['job-progress']!))).toContain('3/8 (38%) pods updated');
  });

  it('gives each severity its colour and emoji', () => {
    const heading = JSON.stringify(renderAdaptiveCard(cards['internal-error']!).body[0]);
    expect(heading).toContain('"style":"attention"');
    expect(heading).toContain('🚨 Something went wrong');
  });

  it('shortens a long output and says how much it left out, staying valid', () => {
    const card = renderAdaptiveCard({ title: 'Logs', code: 'x'.repeat(20_000) });
    expect(JSON.stringify(card)).toMatch(/8,001 characters of output not shown/);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });

  it('leaves out a button with a duplicate id and says so', () => {
    const card = renderAdaptiveCard({ title: 'Twice', actions: [{ id: 'a', label: 'One', style: 'default' }, { id: 'a', label: 'Two', style: 'default' }] });
    expect(card.actions).toHaveLength(1);
    expect(JSON.stringify(card.body)).toContain('Two: invalid or duplicate action id');
  });
});

describe('the Adaptive Card validity check', () => {
  it('does report an unknown element type, so a clean result means something', () => {
    expect(adaptiveCardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlok', text: 'x' }] })).not.toEqual([]);
  });
});
