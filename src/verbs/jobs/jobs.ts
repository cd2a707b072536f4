import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import type { Actor } from '../../core/request.js';
import type { CancelReceipt, JobSummary } from '../../jobs/job-summary.js';
import { formatAge } from '../shared/code-block.js';

/** The job queue as `jobs` and `cancel` see it (src/jobs/queue.ts implements it). */
export interface JobsPort {
  list(options?: { limit?: number }): Promise<JobSummary[]>;
  cancel(jobNumber: number, actor: Actor): Promise<CancelReceipt>;
}

export type JobsPorts = { jobs: JobsPort };

export const JobsArgs = z.object({});

export const jobs: Action<z.infer<typeof JobsArgs>, JobsPorts> = {
  name: 'jobs',
  summary: 'Running and recent jobs, with the number to cancel one',
  args: JobsArgs,
  risk: 'read',
  examples: ['jobs'],
  async execute(ctx) {
    const list = await ctx.ports.jobs.list({ limit: 20 });
    if (list.length === 0) return done({ title: 'No jobs yet', severity: 'info', text: 'Nothing is running and nothing ran recently.' });
    const running = list.filter((j) => ['waiting', 'running', 'retrying', 'cancelling'].includes(j.state)).length;
    const rows: string[][] = [];
    for (const j of list) {
      const state = j.progress && j.state === 'running' ? `running ${j.progress.done}/${j.progress.total}` : j.state;
      rows.push([String(j.number), state, j.action, `${j.target.service}/${j.target.env}`, j.actor, formatAge(j.createdAt)]);
    }
    return done({
      title: `Jobs: ${running} running or waiting, ${list.length - running} recent`,
      severity: 'info',
      table: {
        columns: [{ header: 'JOB', align: 'right' }, { header: 'STATE' }, { header: 'ACTION' }, { header: 'TARGET' }, { header: 'BY' }, { header: 'AGE', align: 'right' }],
        rows,
      },
      footer: running > 0 ? "Stop one with 'cancel <job>'." : undefined,
    });
  },
};

export const CancelArgs = z.object({
  job: z.number().int().positive().describe('the job number, as `jobs` lists it').register(argMeta, { positional: true }),
});

/**
 * Risk `read` because it is answered in the request: cancelling must never wait
 * behind the job it cancels. It changes nothing in the world itself; the job stops
 * at its next safe point and reports that in its own thread. The answer says
 * whether the job had started, so nobody takes a half-run change for one that
 * never ran.
 */
export const cancel: Action<z.infer<typeof CancelArgs>, JobsPorts> = {
  name: 'cancel',
  summary: 'Cancel a running or waiting job',
  args: CancelArgs,
  risk: 'read',
  examples: ['cancel 12'],
  async execute(ctx, args) {
    const job = await ctx.ports.jobs.cancel(args.job, ctx.actor);
    const what = `${job.summary} (${job.action} by ${job.actor})`;
    if (!job.started) {
      return done({
        title: `Job ${job.number} cancelled before it started`,
        severity: 'warning',
        text: `${what} will not run; nothing was changed.`,
      });
    }
    return done({
      title: `Cancelling job ${job.number}, which had already started`,
      severity: 'warning',
      text: `${what} may have changed things already. It stops at its next safe point, or finishes first if it is nearly done; its thread says which.`,
    });
  },
};
