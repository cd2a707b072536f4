import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake } from './http-fake.js';

export interface GitHubCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

export interface StepScript {
  name: string;
  /** How the step ends; default success. */
  conclusion?: 'success' | 'failure' | 'skipped';
}

/**
 * A fake GitHub REST API for workflow_dispatch: a dispatch creates a run that
 * advances one step per poll of its run, with the jobs/steps shape GitHub returns.
 * `steps` scripts the run; `deny` answers 403/404 to the dispatch.
 */
export class FakeGitHub extends HttpFake {
  readonly calls: GitHubCall[] = [];
  steps: StepScript[] = [{ name: 'Set up job' }, { name: 'Pull image' }, { name: 'Compose up' }];
  deny: 403 | 404 | undefined;
  private runs: { id: number; created_at: string; polls: number; workflow: string; branch: string; inputs: Record<string, string> }[] = [];

  constructor(readonly token = 'gh-token') {
    super();
  }

  dispatches(): GitHubCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/dispatches'));
  }

  private runView(run: (typeof this.runs)[number]) {
    const finished = run.polls >= this.steps.length;
    const failed = this.steps.some((s) => s.conclusion === 'failure');
    return {
      id: run.id,
      name: 'CD Rollback',
      event: 'workflow_dispatch',
      head_branch: run.branch,
      status: finished ? 'completed' : run.polls === 0 ? 'queued' : 'in_progress',
      conclusion: finished ? (failed ? 'failure' : 'success') : null,
      html_url: `https://github.com/intelgraph/maestro/actions/runs/${run.id}`,
      created_at: run.created_at,
    };
  }

  private jobsView(run: (typeof this.runs)[number]) {
    const steps = this.steps.map((s, i) => ({
      name: s.name,
      number: i + 1,
      status: i < run.polls ? 'completed' : i === run.polls ? 'in_progress' : 'queued',
      conclusion: i < run.polls ? (s.conclusion ?? 'success') : null,
    }));
    const view = this.runView(run);
    return [{ id: run.id * 10, name: 'rollback', status: view.status, conclusion: view.conclusion, html_url: `${view.html_url}/job/${run.id * 10}`, steps }];
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const body = text ? JSON.parse(text) : undefined;
    const send = (status: number, payload?: unknown) => {
      this.calls.push({ method: req.method ?? '', path, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status });
      res.writeHead(status, payload === undefined ? {} : { 'Content-Type': 'application/json' }).end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials' });
    let m = /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/.exec(path);
    if (m && req.method === 'POST') {
      if (this.deny === 403) return send(403, { message: 'Resource not accessible by integration' });
      if (this.deny === 404) return send(404, { message: 'Not Found' });
      const { ref, inputs } = body as { ref: string; inputs: Record<string, string> };
      this.runs.push({ id: 1000 + this.runs.length, created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), polls: 0, workflow: m[2]!, branch: ref, inputs });
      return send(204);
    }
    m = /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/runs$/.exec(path);
    if (m && req.method === 'GET') {
      const created = url.searchParams.get('created') ?? '';
      const since = created.startsWith('>=') ? Date.parse(created.slice(2)) : 0;
      const runs = this.runs
        .filter((r) => r.workflow === m![2] && Date.parse(r.created_at) >= since)
        .reverse()
        .map((r) => this.runView(r));
      return send(200, { total_count: runs.length, workflow_runs: runs });
    }
    m = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)(\/jobs)?$/.exec(path);
    const run = m ? this.runs.find((r) => r.id === Number(m![2])) : undefined;
    if (m && run) {
      if (m[3]) return send(200, { total_count: 1, jobs: this.jobsView(run) });
      run.polls += 1;
      return send(200, this.runView(run));
    }
    send(404, { message: 'Not Found' });
  }
}
