import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRequest } from '../../src/core/request.js';
import { type SlackHarness, startSlackHarness } from './support/harness.js';
import { buttonBody, postSlack } from './support/slack-requests.js';

/**
 * Every Slack button is normalised into one platform-neutral InteractionRequest and
 * handed to the InteractionHandler, so buttons other features add (approvals,
 * alert actions) work in Slack without touching the adapter.
 */
describe('Slack buttons', () => {
  let h: SlackHarness;
  const seen: InteractionRequest[] = [];

  beforeAll(async () => {
    h = await startSlackHarness('button-routing', {
      routes: {
        'approval.test': async (request) => {
          seen.push(request);
          return { kind: 'failed', error: 'only sre may approve' };
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('reach the route registered for their action id, with who pressed them and where, and a refusal is told only to the presser', async () => {
    const response = await postSlack(
      h.url,
      buttonBody({ actionId: 'approval.test', value: 'a123', messageTs: '1700000000.000001', channelId: 'C0PAGER', userId: 'U0OLLY', userName: 'olly' }),
    );
    expect(response.status).toBe(200);
    await h.fake.waitFor(() => h.fake.succeeded('chat.postEphemeral').length === 1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      kind: 'interaction',
      actionId: 'approval.test',
      value: 'a123',
      actor: { id: 'U0OLLY', name: 'olly', platform: 'slack' },
      conversation: { platform: 'slack', id: 'C0PAGER', teamId: 'T0001' },
    });
    // The route's refusal goes to the presser alone.
    const ephemeral = h.fake.succeeded('chat.postEphemeral')[0]!;
    expect(ephemeral.body).toMatchObject({ channel: 'C0PAGER', user: 'U0OLLY' });
    expect(String(ephemeral.body.text)).toContain('only sre may approve');
  });
});
