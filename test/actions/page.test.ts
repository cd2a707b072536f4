import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type PagePort, type PagePorts, page } from '../../src/verbs/page/page.js';
import type { ActionContext } from '../../src/core/action.js';
import { UserError } from '../../src/core/errors.js';
import { catalog } from './context.js';

class RecordingPager implements PagePort {
  readonly pages: { summary: string; details: Record<string, unknown>; dedupKey?: string }[] = [];
  async page(summary: string, details: Record<string, unknown>, options: { dedupKey?: string } = {}) {
    this.pages.push({ summary, details, ...(options.dedupKey ? { dedupKey: options.dedupKey } : {}) });
    return { dedupKey: options.dedupKey ?? 'generated' };
  }
}

function context(pager?: PagePort): ActionContext<PagePorts> {
  return {
    requestId: 'req-42',
    actor: { id: 'U1', name: 'alice', platform: 'slack' },
    conversation: { platform: 'slack', id: 'C1', name: '#maestro-pager' },
    env: 'prod',
    catalog,
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    ports: pager ? { pager } : {},
  };
}

const args = { service: 'maestro-orchestrator', summary: 'error rate at 30%' };

describe('page', () => {
  it('plans one page with a dedup key fixed by the request', async () => {
    const plan = await page.plan!(context(new RecordingPager()), args);
    expect(plan.summary).toBe('page the on-call of maestro-orchestrator in prod: "error rate at 30%"');
    expect(plan.data.dedupKey).toBe('maestro-page-req-42');
  });

  it('sends the same page when a retried job runs it again', async () => {
    const pager = new RecordingPager();
    const ctx = context(pager);
    const plan = await page.plan!(ctx, args);
    await page.execute(ctx, args, async () => {}, plan);
    await page.execute(ctx, args, async () => {}, plan);
    expect(pager.pages.map((p) => p.dedupKey)).toEqual(['maestro-page-req-42', 'maestro-page-req-42']);
    expect(pager.pages[0]!.details).toMatchObject({ service: 'maestro-orchestrator', env: 'prod', requestedBy: 'alice' });
  });

  it('says PagerDuty is not configured, and what to do instead, before anything is queued', async () => {
    const error = await page.plan!(context(), args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe('PagerDuty is not configured (set the routing key variables the catalog names); page the on-call by phone');
  });

  it('refuses a summary too short to tell the on-call anything', () => {
    expect(page.args.safeParse({ service: 'maestro-orchestrator', summary: 'x' }).success).toBe(false);
  });
});
