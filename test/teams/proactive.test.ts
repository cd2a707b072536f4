import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageRef } from '../../src/core/chat-port.js';
import type { SlackTestPorts } from '../fixtures/slack-actions.js';
import { botAddedToTeam, CHANNEL_ID, channelEvent, installationUpdate, TEAM_ID } from './support/activities.js';
import { startTeamsHarness, type TeamsHarness } from './support/harness.js';

const INCIDENTS = '19:incidents0000000000000000000000@thread.tacv2';
let h: TeamsHarness;
beforeAll(async () => {
  h = await startTeamsHarness('proactive', { ports: { executions: [] } satisfies SlackTestPorts });
  h.fake.channels = [{ id: TEAM_ID }, { id: INCIDENTS, name: 'Maestro Incidents' }, { id: CHANNEL_ID, name: 'Deployments' }];
  const response = await h.send(botAddedToTeam(h.fake.url));
  expect(response.status).toBe(200);
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.fake.reset();
});

describe('Teams proactive messages', () => {
  it('posts to a channel by the name the catalog uses, learnt when the bot was added to the team', async () => {
    const ref = await h.workerChat().post('Maestro Incidents', { title: 'MaestroHighErrorRate firing', severity: 'critical' });
    expect(ref).toMatchObject({ platform: 'teams', conversation: INCIDENTS });
    expect(h.fake.activityCalls('send')[0]!.conversationId).toBe(INCIDENTS);
  });

  it('finds a channel by name regardless of case and spacing, or by team/channel', async () => {
    await h.workerChat().post('  maestro   incidents ', { title: 'one' });
    await h.workerChat().post('Maestro/General', { title: 'two' });
    expect(h.fake.activityCalls('send').map((c) => c.conversationId)).toEqual([INCIDENTS, TEAM_ID]);
  });

  it('learns a channel added since, when the app is installed again (installationUpdate add)', async () => {
    const releases = '19:releases000000000000000000000000@thread.tacv2';
    h.fake.channels = [...h.fake.channels, { id: releases, name: 'Release Train' }];
    expect((await h.send(installationUpdate(h.fake.url, 'add'))).status).toBe(200);
    await h.workerChat().post('Release Train', { title: 'train leaves' });
    expect(h.fake.activityCalls('send')[0]!.conversationId).toBe(releases);
  });

  it('learns a channel created later by the name its channelCreated event gives, without listing the team', async () => {
    const postmortems = '19:postmortems0000000000000000000000@thread.tacv2';
    expect((await h.send(channelEvent(h.fake.url, 'channelCreated', { id: postmortems, name: 'Postmortems' }))).status).toBe(200);
    expect(h.fake.calls.filter((c) => c.kind === 'channels')).toHaveLength(0);
    await h.workerChat().post('Postmortems', { title: 'write-up due' });
    expect(h.fake.activityCalls('send')[0]!.conversationId).toBe(postmortems);
  });

  it('follows a channel renamed, then deleted: the old name stops resolving, then the channel is gone', async () => {
    const ops = '19:ops00000000000000000000000000000@thread.tacv2';
    await h.send(channelEvent(h.fake.url, 'channelCreated', { id: ops, name: 'Ops' }));
    await h.send(channelEvent(h.fake.url, 'channelRenamed', { id: ops, name: 'Ops War Room' }));
    await expect(h.workerChat().post('Ops', { title: 'old name' })).rejects.toThrow(/has not seen the Teams conversation 'Ops'/);
    await h.workerChat().post('Ops War Room', { title: 'new name' });
    expect(h.fake.activityCalls('send').map((c) => c.conversationId)).toEqual([ops]);
    await h.send(channelEvent(h.fake.url, 'channelDeleted', { id: ops, name: 'Ops War Room' }));
    await expect(h.workerChat().post('Ops War Room', { title: 'gone' })).rejects.toThrow(/has not seen the Teams conversation/);
  });

  it('does not list the channels of a team the app is removed from (installationUpdate remove)', async () => {
    const later = '19:later00000000000000000000000000@thread.tacv2';
    h.fake.channels = [...h.fake.channels, { id: later, name: 'Later' }];
    expect((await h.send(installationUpdate(h.fake.url, 'remove'))).status).toBe(200);
    expect(h.fake.calls.filter((c) => c.kind === 'channels')).toHaveLength(0);
    await expect(h.workerChat().post('Later', { title: 'lost' })).rejects.toThrow(/has not seen the Teams conversation 'Later'/);
  });

  it('lets a process that did not post a card edit it and reply under it, from a ref that went through JSON', async () => {
    const posted = await h.teams.chat.post(INCIDENTS, { title: 'Rollback planned' });
    const ref = JSON.parse(JSON.stringify(posted)) as MessageRef;
    const worker = h.workerChat();
    await worker.update(ref, { title: 'Rollback running', progress: { done: 1, total: 4 } });
    await worker.reply(ref, { title: 'Rolled back', severity: 'success' });

    const [update] = h.fake.activityCalls('update');
    expect(update).toMatchObject({ conversationId: INCIDENTS, activityId: posted.id });
    expect(JSON.stringify(update!.body)).toContain('Rollback running');
    expect(h.fake.activityCalls('send').at(-1)!.conversationId).toBe(`${INCIDENTS};messageid=${posted.id}`);
  });

  it('coalesces a burst of edits of one card and always sends the last', async () => {
    const ref = await h.teams.chat.post(INCIDENTS, { title: 'Progress' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => h.teams.chat.update(ref, { title: 'Progress', progress: { done: i + 1, total: 10 } })));
    const updates = h.fake.activityCalls('update');
    expect(updates.length).toBeLessThan(10);
    expect(JSON.stringify(updates.at(-1)!.body)).toContain('10/10');
  });

  it('waits out a 429 with its Retry-After, then delivers the message once', async () => {
    h.fake.failNext('send', { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    await h.teams.chat.post(INCIDENTS, { title: 'Throttled' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(h.fake.calls.filter((c) => c.kind === 'send').map((c) => c.status)).toEqual([429, 200]);
  });

  it('retries a 412 and a 502 from the connector with backoff', async () => {
    h.fake.failNext('update', { status: 412 });
    h.fake.failNext('send', { status: 502 }, 1);
    const ref = await h.teams.chat.post(INCIDENTS, { title: 'Flaky' });
    await h.teams.chat.update(ref, { title: 'Flaky, edited' });
    expect(h.fake.calls.filter((c) => c.kind === 'update').map((c) => c.status)).toEqual([412, 200]);
    expect(h.fake.activityCalls('send')).toHaveLength(1);
  });

  it('says how to fix a post to a conversation the bot has never seen', async () => {
    await expect(h.teams.chat.post('Nowhere', { title: 'lost' })).rejects.toThrow(/has not seen the Teams conversation 'Nowhere'.*install the app/);
    expect(h.fake.activityCalls()).toHaveLength(0);
  });

  it('reports a refusal the connector keeps giving, without retrying it', async () => {
    h.fake.failNext('send', { status: 403 });
    await expect(h.teams.chat.post(INCIDENTS, { title: 'blocked' })).rejects.toThrow(/HTTP 403.*removed from this conversation/);
    expect(h.fake.calls.filter((c) => c.kind === 'send')).toHaveLength(1);
  });
});
