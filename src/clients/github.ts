import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { z } from 'zod';

/** Environment variables this adapter reads (main.ts extends the env schema with them). */
export const GitHubEnvShape = {
  /** A token that may dispatch the rollback workflow (actions: write). */
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
};

const Run = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  status: z.string().nullish(),
  conclusion: z.string().nullish(),
  html_url: z.string(),
  created_at: z.string(),
  event: z.string().optional(),
  head_branch: z.string().nullish(),
});
export type WorkflowRun = z.infer<typeof Run>;

const Step = z.looseObject({ name: z.string(), status: z.string(), conclusion: z.string().nullish(), number: z.number() });
const Job = z.looseObject({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullish(),
  html_url: z.string().nullish(),
  steps: z.array(Step).optional(),
});
export type WorkflowJob = z.infer<typeof Job>;

const Runs = z.looseObject({ total_count: z.number(), workflow_runs: z.array(Run) });
const Jobs = z.looseObject({ total_count: z.number(), jobs: z.array(Job) });

/** GitHub said no: missing token, no permission, no such workflow. The action turns it into a UserError with the fallback. */
export class GitHubAccessError extends Error {
  override readonly name = 'GitHubAccessError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface GitHubOptions {
  token: string;
  /** Default https://api.github.com. */
  baseUrl?: string;
  timeoutMs?: number;
}

/** workflow_dispatch and run polling over the GitHub REST API. */
export class GitHubClient {
  private readonly http: AxiosInstance;

  constructor(options: GitHubOptions) {
    this.http = axios.create({
      baseURL: (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 10_000,
      headers: {
        Authorization: `Bearer ${options.token}`,
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': 'maestro-bot',
      },
      validateStatus: () => true,
    });
  }

  /** POST /repos/{repo}/actions/workflows/{workflow}/dispatches (204, no body). */
  async dispatch(repo: string, workflow: string, ref: string, inputs: Record<string, string>): Promise<void> {
    await this.call('post', `/repos/${repo}/actions/workflows/${encodeURIComponent(workflow)}/dispatches`, { ref, inputs });
  }

  /** The workflow's workflow_dispatch runs created at or after `since`, newest first. */
  async runsSince(repo: string, workflow: string, since: Date, branch?: string): Promise<WorkflowRun[]> {
    const body = await this.call('get', `/repos/${repo}/actions/workflows/${encodeURIComponent(workflow)}/runs`, undefined, {
      event: 'workflow_dispatch',
      created: `>=${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
      per_page: '20',
      ...(branch ? { branch } : {}),
    });
    return Runs.parse(body).workflow_runs;
  }

  async run(repo: string, runId: number): Promise<WorkflowRun> {
    return Run.parse(await this.call('get', `/repos/${repo}/actions/runs/${runId}`));
  }

  async jobs(repo: string, runId: number): Promise<WorkflowJob[]> {
    return Jobs.parse(await this.call('get', `/repos/${repo}/actions/runs/${runId}/jobs`, undefined, { per_page: '100' })).jobs;
  }

  private async call(method: 'get' | 'post', url: string, data?: unknown, params?: Record<string, string>): Promise<unknown> {
    let response: { status: number; data: unknown };
    try {
      response = await this.http.request({ method, url, data, params });
    } catch (error) {
      throw new Error(`GitHub unreachable: ${isAxiosError(error) ? (error.code ?? error.message) : String(error)}`);
    }
    if (response.status === 401 || response.status === 403 || response.status === 404 || response.status === 422) {
      const message = (response.data as { message?: unknown } | undefined)?.message;
      throw new GitHubAccessError(response.status, typeof message === 'string' ? message : `HTTP ${response.status}`);
    }
    if (response.status >= 300) throw new Error(`GitHub answered HTTP ${response.status} for ${method.toUpperCase()} ${url}`);
    return response.data;
  }
}
