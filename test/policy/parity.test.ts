import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseCatalog } from '../../src/config/catalog.js';
import type { Platform } from '../../src/core/request.js';
import type { CommandResult } from '../../src/pipeline/command.js';
import type { RecordingChat } from '../fixtures/recording-chat.js';
import { PolicyHarness, people } from './support.js';

const harnesses: PolicyHarness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

/** The whole approval flow on one platform, as what each person saw: every card edit and every refusal. */
async function approvalFlow(platform: Platform): Promise<string[]> {
  const h = new PolicyHarness(`parity-${platform}`);
  harnesses.push(h);
  const chat: RecordingChat = h.chat(platform);
  const { ada, bob, olly } = people(platform);
  const seen: string[] = [];
  const say = (result: CommandResult) => seen.push(result.kind === 'failed' ? `refused: ${result.error}` : result.kind);

  const requested = await h.type(chat, ada, 'rollback maestro-orchestrator --env prod --reason "errors"');
  say(requested);
  const { approvalId, ref } = requested as Extract<CommandResult, { kind: 'awaiting_approval' }>;
  say(await h.press(chat, ada, 'approval.approve', approvalId));
  say(await h.press(chat, olly, 'approval.approve', approvalId));
  say(await h.press(chat, bob, 'approval.approve', approvalId));
  say(await h.press(chat, bob, 'approval.approve', approvalId));
  for (const call of chat.calls) {
    if (call.kind === 'post' || call.kind === 'update') {
      const { footer, actions } = call.message;
      seen.push(`${call.kind}: ${footer?.replace(/Job \d+/, 'Job N')} [${(actions ?? []).map((a) => a.id).join(', ')}]`);
    }
  }
  expect(ref.platform).toBe(platform);
  expect(h.jobs.submitted).toHaveLength(1);
  expect(h.jobs.submitted[0]!.data.reason).toBe('errors; approved by bob');
  return seen.map((line) => line.replace(/\d\d:\d\d UTC/g, 'HH:MM UTC').replaceAll(approvalId, '<id>'));
}

describe('approvals in Slack and Teams', () => {
  it('go through the same steps, with the same cards and the same refusals', async () => {
    const slack = await approvalFlow('slack');
    const teams = await approvalFlow('teams');
    expect(teams).toEqual(slack);
    expect(slack).toEqual([
      'awaiting_approval',
      'refused: Not approved: you cannot approve your own request; another person must. Nothing was done.',
      'refused: Not approved: approving needs the role sre (rule prod-high-risk-approval). Nothing was done.',
      'queued',
      'refused: This request was already handled (approved by bob); nothing more was done.',
      "post: Waiting for approval by sre (rule prod-high-risk-approval), not by the requester; expires at HH:MM UTC. Requested by ada. Or type 'approve <id>' / 'reject <id>'. [approval.approve, approval.reject]",
      'update: Approved by bob: running as a job. Requested by ada. []',
      'update: Approved by bob: running as a job. Requested by ada. Job N. []',
    ]);
  });
});

describe('approvals at the console, for drills', () => {
  it('work with approve <request> typed by a second console user', async () => {
    const raw = parse(readFileSync('config/catalog.yaml', 'utf8'));
    delete raw.policy.rules.find((r: { name: string }) => r.name === 'prod-high-risk-approval').match.platforms;
    raw.policy.roles.sre.console.users = ['ada', 'bob'];
    const h = new PolicyHarness('console-drill', { catalog: parseCatalog(stringify(raw)) });
    harnesses.push(h);
    const chat = h.chat('console');
    const ada = { id: 'ada', name: 'ada', platform: 'console' as const };
    const bob = { id: 'bob', name: 'bob', platform: 'console' as const };
    const console = { platform: 'console' as const, id: 'console', name: 'console' };

    const requested = (await h.type(chat, ada, 'rollback maestro-orchestrator --env prod', console)) as Extract<CommandResult, { kind: 'awaiting_approval' }>;
    expect(requested.kind).toBe('awaiting_approval');
    expect(chat.current(requested.ref.id)!.footer).toContain(`'approve ${requested.approvalId}'`);
    expect((await h.type(chat, ada, `approve ${requested.approvalId}`, console)).kind).toBe('failed');
    expect((await h.type(chat, bob, `approve ${requested.approvalId}`, console)).kind).toBe('queued');
    expect(h.jobs.submitted).toHaveLength(1);
  });
});
