import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubClient } from '../../src/clients/github.js';
import { rollback } from '../../src/verbs/rollback/rollback.js';
import { actionContext, recorder } from '../actions/context.js';
import { seededCluster } from '../actions/seed.js';
import { FakeGitHub } from '../fakes/github.js';

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await new FakeGitHub().start();
});
afterEach(async () => {
  await gh.stop();
});

function context(options: { token?: boolean; env?: string } = {}) {
  const base = actionContext(seededCluster(), { env: options.env ?? 'staging' });
  return {
    ...base,
    ports: {
      ...base.ports,
      ...(options.token === false ? {} : { github: new GitHubClient({ token: gh.token, baseUrl: gh.url }) }),
      githubPollMs: 5,
    },
  };
}

const args = rollback.args.parse({ service: 'maestro-orchestrator', via: 'github', imageTag: 'v2.7.3' });

async function run(ctx = context()) {
  const { progress, seen } = recorder();
  const plan = await rollback.plan!(ctx, args);
  const result = (await rollback.execute(ctx, args, progress, plan)).message;
  return { result, seen, plan };
}

describe('rollback --via github', () => {
  it('dispatches cd-rollback.yml on main with environment and image_tag', async () => {
    await run();
    expect(gh.dispatches()).toHaveLength(1);
    expect(gh.dispatches()[0]).toMatchObject({
      path: '/repos/intelgraph/maestro/actions/workflows/cd-rollback.yml/dispatches',
      body: { ref: 'main', inputs: { environment: 'staging', image_tag: 'v2.7.3' } },
      status: 204,
    });
    expect(gh.dispatches()[0]!.headers.authorization).toBe('Bearer gh-token');
  });

  it('finds the run among workflow_dispatch runs created after the dispatch and follows it to success', async () => {
    const { result, seen } = await run(context({ env: 'prod' }));
    const list = gh.calls.find((c) => c.path.endsWith('/runs'));
    expect(list?.query).toMatchObject({ event: 'workflow_dispatch', branch: 'main' });
    expect(list?.query.created).toMatch(/^>=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(result.title).toBe('Rolled back maestro-orchestrator in prod to v2.7.3 via GitHub Actions');
    expect(result.fields).toContainEqual({ label: 'Run', value: 'https://github.com/intelgraph/maestro/actions/runs/1000' });
    expect(result.fields).toContainEqual({ label: 'Image tag', value: 'v2.8.0 → v2.7.3' });
    expect(seen.some((p) => p.label === 'rollback: Pull image')).toBe(true);
  });

  it("fails naming the failed step, with the run's link and the Kubernetes fallback", async () => {
    gh.steps = [{ name: 'Set up job' }, { name: 'Compose pull', conclusion: 'failure' }, { name: 'Compose up', conclusion: 'skipped' }];
    await expect(run()).rejects.toThrow(
      'GitHub Actions run https://github.com/intelgraph/maestro/actions/runs/1000 failure at step "Compose pull" of job "rollback"; use the Kubernetes rollback: rollback maestro-orchestrator --env staging',
    );
  });

  it('refuses without GITHUB_TOKEN, suggesting the Kubernetes rollback', async () => {
    await expect(rollback.plan!(context({ token: false }), args)).rejects.toThrow(
      'the GitHub rollback needs GITHUB_TOKEN (a token with actions: write on intelgraph/maestro); use the Kubernetes rollback: rollback maestro-orchestrator --env staging',
    );
  });

  it('names the missing GITHUB_TOKEN before asking for --image-tag, which could not help', async () => {
    await expect(rollback.plan!(context({ token: false }), rollback.args.parse({ service: 'maestro-orchestrator', via: 'github' }))).rejects.toThrow(
      /^the GitHub rollback needs GITHUB_TOKEN/,
    );
  });

  it('turns a 403 into a clear error with the fallback', async () => {
    gh.deny = 403;
    await expect(run()).rejects.toThrow(
      'GitHub refused the token (HTTP 403: Resource not accessible by integration); it needs actions: write on intelgraph/maestro; use the Kubernetes rollback: rollback maestro-orchestrator --env staging',
    );
  });

  it('turns a 404 into a clear error with the fallback', async () => {
    gh.deny = 404;
    await expect(run()).rejects.toThrow(/^GitHub has no workflow cd-rollback.yml in intelgraph\/maestro, or the token cannot see it; use the Kubernetes rollback/);
  });

  it('needs --image-tag with --via github', async () => {
    await expect(rollback.plan!(context(), rollback.args.parse({ service: 'maestro-orchestrator', via: 'github' }))).rejects.toThrow(
      'rollback --via github needs --image-tag T',
    );
  });

  it('plans the image tag change for the confirmation card', async () => {
    const plan = await rollback.plan!(context({ env: 'prod' }), args);
    expect(plan.changes).toEqual([{ what: 'image tag', from: 'v2.8.0', to: 'v2.7.3' }]);
    expect(plan.data.via).toBe('github');
  });
});
