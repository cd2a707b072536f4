import type { WorkflowJob, WorkflowRun } from '../../clients/github.js';
import { GitHubAccessError } from '../../clients/github.js';
import type { ActionContext, ActionResult, Plan, ProgressReporter, Unavailable } from '../../core/action.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import type { Message } from '../../core/message.js';
import type { DeploymentReader } from '../shared/kubernetes-ports.js';
import { envSuffix, resolveTarget } from '../shared/target.js';
import type { RollbackFacts } from './rollback-result.js';
import { sleep } from '../../core/sleep.js';

/** The GitHub calls a workflow rollback needs; src/clients/github.ts implements them. */
export interface GitHubWorkflows {
  dispatch(repo: string, workflow: string, ref: string, inputs: Record<string, string>): Promise<void>;
  runsSince(repo: string, workflow: string, since: Date, branch?: string): Promise<WorkflowRun[]>;
  run(repo: string, runId: number): Promise<WorkflowRun>;
  jobs(repo: string, runId: number): Promise<WorkflowJob[]>;
}

export interface GitHubRollbackPorts {
  /** Absent without GITHUB_TOKEN. */
  github?: GitHubWorkflows;
  kubernetes?: DeploymentReader;
  /** How often to poll GitHub for the run and its progress (default 5 s). */
  githubPollMs?: number;
  /** How long to wait for the dispatched run to appear (default 60 s). */
  githubFindTimeoutMs?: number;
  /** How long to follow the run before giving up (default 30 min). */
  githubRunTimeoutMs?: number;
}

/** `--via github` without GITHUB_TOKEN: help marks it, planGitHubRollback refuses it. */
export function githubUnavailable(ports: GitHubRollbackPorts): Unavailable[] {
  return ports.github ? [] : [{ part: '--via github', reason: 'the GitHub rollback needs GITHUB_TOKEN (a token with actions: write)' }];
}

export interface GitHubRollbackPlanData {
  via: 'github';
  repo: string;
  workflow: string;
  ref: string;
  imageTag: string;
  fromImages: string[];
  /** When the plan was made: a retried job follows a run created since rather than dispatching again. */
  plannedAt: string;
  // Absent here, present on a Kubernetes plan: lets code read either plan's fields without a cast.
  fromRevision?: undefined;
  toRevision?: undefined;
  toImages?: undefined;
  toTemplate?: undefined;
}

function fallback(ctx: ActionContext<unknown>, service: string): string {
  return `use the Kubernetes rollback: rollback ${service}${envSuffix(ctx)}`;
}

function accessError(ctx: ActionContext<unknown>, service: string, error: GitHubAccessError, repo: string, workflow: string): UserError {
  const why =
    error.status === 404
      ? `GitHub has no workflow ${workflow} in ${repo}, or the token cannot see it`
      : error.status === 422
        ? `GitHub refused the dispatch (${error.message}): does ${workflow} accept environment and image_tag inputs on its ref?`
        : `GitHub refused the token (HTTP ${error.status}: ${error.message}); it needs actions: write on ${repo}`;
  return new UserError(`${why}; ${fallback(ctx, service)}`, 'github_access');
}

export async function planGitHubRollback(
  ctx: ActionContext<GitHubRollbackPorts>,
  service: string,
  imageTag: string | undefined,
): Promise<Plan<GitHubRollbackPlanData>> {
  const target = resolveTarget(ctx, service);
  const gh = target.spec.github;
  if (!gh) throw new UserError(`${service} has no GitHub rollback workflow in the catalog; ${fallback(ctx, service)}`, 'no_github_workflow');
  // The token first: asking for --image-tag here would send the user after a flag that cannot help.
  if (!ctx.ports.github) throw new UserError(`the GitHub rollback needs GITHUB_TOKEN (a token with actions: write on ${gh.repo}); ${fallback(ctx, service)}`, 'github_unconfigured');
  if (!imageTag) throw new UserError(`rollback --via github needs --image-tag T (the stable image tag to deploy)`, 'missing_image_tag');
  let fromImages: string[] = [];
  try {
    fromImages = ctx.ports.kubernetes ? (await ctx.ports.kubernetes.readDeployment(target.ref)).containers.map((c) => c.image) : [];
  } catch (error) {
    ctx.log.warn({ err: error }, 'github rollback: cannot read the current image');
  }
  const from = fromImages.length > 0 ? fromImages.map((i) => i.split(':').pop() ?? i).join(', ') : '?';
  return {
    summary: `roll back ${service} in ${ctx.env} to image tag ${imageTag} via GitHub Actions (${gh.workflow} on ${gh.ref} in ${gh.repo})`,
    target: { service, env: ctx.env, namespace: target.ref.namespace, resource: `workflow/${gh.workflow}` },
    changes: [{ what: 'image tag', from, to: imageTag }],
    data: { via: 'github', repo: gh.repo, workflow: gh.workflow, ref: gh.ref, imageTag, fromImages, plannedAt: new Date().toISOString() },
  };
}

function stepProgress(jobs: WorkflowJob[]): { done: number; total: number; label: string } {
  const steps = jobs.flatMap((j) => (j.steps ?? []).map((s) => ({ job: j.name, ...s })));
  const done = steps.filter((s) => s.status === 'completed').length;
  const running = steps.find((s) => s.status === 'in_progress') ?? jobs.find((j) => j.status === 'in_progress');
  return { done, total: Math.max(steps.length, 1), label: running ? `${'job' in running ? `${running.job}: ` : ''}${running.name}` : 'queued' };
}

function failedStep(jobs: WorkflowJob[]): { job: string; step?: string; url?: string } | undefined {
  const job = jobs.find((j) => j.conclusion === 'failure') ?? jobs.find((j) => j.conclusion && j.conclusion !== 'success' && j.conclusion !== 'skipped');
  if (!job) return undefined;
  const step = job.steps?.find((s) => s.conclusion === 'failure');
  return { job: job.name, ...(step ? { step: step.name } : {}), ...(job.html_url ? { url: job.html_url } : {}) };
}

export async function executeGitHubRollback(
  ctx: ActionContext<GitHubRollbackPorts>,
  service: string,
  progress: ProgressReporter,
  plan: Plan<GitHubRollbackPlanData>,
): Promise<ActionResult<RollbackFacts>> {
  const { repo, workflow, ref, imageTag } = plan.data;
  const gh = ctx.ports.github;
  if (!gh) throw new UserError(`the GitHub rollback needs GITHUB_TOKEN; ${fallback(ctx, service)}`, 'github_unconfigured');
  const pollMs = ctx.ports.githubPollMs ?? 5000;
  try {
    // A retried job finds the run its first attempt started instead of starting a second one.
    const plannedAt = new Date(plan.data.plannedAt);
    let run = (await gh.runsSince(repo, workflow, plannedAt, ref)).at(-1);
    const dispatchedAt = new Date(Date.now() - 2000);
    if (!run) {
      await gh.dispatch(repo, workflow, ref, { environment: ctx.env, image_tag: imageTag });
      ctx.log.info({ repo, workflow, ref, imageTag, env: ctx.env }, 'rollback workflow dispatched');
      await progress({ done: 0, total: 1, label: `dispatched ${workflow}; waiting for its run` });
      const deadline = Date.now() + (ctx.ports.githubFindTimeoutMs ?? 60_000);
      while (!run) {
        if (Date.now() > deadline) {
          throw new UserError(`${workflow} was dispatched but no run appeared within a minute: check Actions in ${repo}; ${fallback(ctx, service)}`, 'github_run_not_found');
        }
        await sleep(pollMs, ctx.signal);
        // Runs list newest first; the oldest since the dispatch is the one it started.
        run = (await gh.runsSince(repo, workflow, dispatchedAt, ref)).at(-1);
      }
    }
    const runDeadline = Date.now() + (ctx.ports.githubRunTimeoutMs ?? 30 * 60_000);
    let jobs: WorkflowJob[] = [];
    while (run.status !== 'completed') {
      if (Date.now() > runDeadline) throw new UserError(`run ${run.html_url} is still ${run.status} after 30 minutes; follow it in GitHub`, 'github_run_timeout');
      jobs = await gh.jobs(repo, run.id);
      await progress(stepProgress(jobs));
      await sleep(pollMs, ctx.signal);
      run = await gh.run(repo, run.id);
    }
    jobs = await gh.jobs(repo, run.id);
    if (run.conclusion !== 'success') {
      const failed = failedStep(jobs);
      const where = failed ? ` at step "${failed.step ?? '?'}" of job "${failed.job}"` : '';
      throw new UserError(
        `GitHub Actions run ${run.html_url} ${run.conclusion ?? 'failed'}${where}; ${fallback(ctx, service)}`,
        'github_run_failed',
      );
    }
    const message: Message = {
      title: `Rolled back ${service} in ${ctx.env} to ${imageTag} via GitHub Actions`,
      severity: 'success',
      text: `${workflow} on ${ref} finished: ${jobs.map((j) => `${j.name} ${j.conclusion}`).join(', ') || 'success'}.`,
      fields: [
        { label: 'Run', value: run.html_url },
        { label: 'Image tag', value: `${plan.changes[0]?.from ?? '?'} → ${imageTag}` },
      ],
    };
    return done(message, { via: 'github', runUrl: run.html_url });
  } catch (error) {
    if (error instanceof GitHubAccessError) throw accessError(ctx, service, error, repo, workflow);
    throw error;
  }
}
