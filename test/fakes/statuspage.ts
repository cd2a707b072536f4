import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HttpFake } from './http-fake.js';

export interface StatuspageCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: { incident?: Record<string, unknown> };
  status: number;
}

interface Incident {
  id: string;
  name: string;
  status: string;
  impact: string;
  page_id: string;
  shortlink: string;
  components: { id: string; status: string }[];
  incident_updates: { status: string; body: string }[];
}

/**
 * A fake Statuspage REST API v1 for one page: creates and patches incidents the
 * way the real one answers, records every call, and can rate-limit the next ones
 * with 420 (Statuspage's own) or 429.
 */
export class FakeStatuspage extends HttpFake {
  readonly calls: StatuspageCall[] = [];
  readonly incidents = new Map<string, Incident>();
  private limited: number[] = [];
  private seq = 0;

  constructor(
    readonly pageId = 'page123',
    readonly apiKey = 'sp-key',
  ) {
    super('/v1');
  }

  rateLimitNext(status: 420 | 429, times = 1): void {
    for (let i = 0; i < times; i++) this.limited.push(status);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as StatuspageCall['body']) : {};
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const send = (status: number, payload: unknown) => {
      this.calls.push({ method: req.method ?? '', path, headers: req.headers, body, status });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
    };
    const limited = this.limited.shift();
    if (limited) return send(limited, { error: 'Rate limit exceeded' });
    if (req.headers.authorization !== `OAuth ${this.apiKey}`) return send(401, { error: 'Could not authenticate' });
    const base = `/v1/pages/${this.pageId}/incidents`;
    const input = body.incident ?? {};
    const components = (input.components ?? {}) as Record<string, string>;
    if (req.method === 'POST' && path === base) {
      if (!input.name || !input.status) return send(422, { error: ["Name can't be blank"] });
      const id = `inc${++this.seq}`;
      const incident: Incident = {
        id,
        name: String(input.name),
        status: String(input.status),
        impact: String(input.impact_override ?? 'none'),
        page_id: this.pageId,
        shortlink: `https://stspg.io/${id}`,
        components: Object.entries(components).map(([cid, status]) => ({ id: cid, status })),
        incident_updates: [{ status: String(input.status), body: String(input.body ?? '') }],
      };
      this.incidents.set(id, incident);
      return send(201, incident);
    }
    if (req.method === 'PATCH' && path.startsWith(`${base}/`)) {
      const incident = this.incidents.get(path.slice(base.length + 1));
      if (!incident) return send(404, { error: 'The requested resource could not be found.' });
      if (input.status) incident.status = String(input.status);
      if (input.impact_override) incident.impact = String(input.impact_override);
      for (const [cid, status] of Object.entries(components)) {
        const c = incident.components.find((x) => x.id === cid);
        if (c) c.status = status;
        else incident.components.push({ id: cid, status });
      }
      incident.incident_updates.push({ status: incident.status, body: String(input.body ?? '') });
      return send(200, incident);
    }
    send(404, { error: 'The requested resource could not be found.' });
  }
}
