import { isObject } from './json.js';
import { CONFIGMAPS, DEPLOYMENTS, NAMESPACES, type ResourceType } from './resources.js';
import { invalid } from './status.js';
import type { Container, Deployment, KObject, PodTemplate } from './types.js';

/**
 * The defaults the API server fills in. They matter for fidelity: `kubectl
 * rollout undo` copies a ReplicaSet's template back verbatim, and the controller
 * only reuses that ReplicaSet if the two templates compare equal.
 */
export function applyDefaults(r: ResourceType, obj: KObject): void {
  if (r === DEPLOYMENTS) defaultDeployment(obj as Deployment);
  if (r === NAMESPACES) {
    obj.spec = obj.spec ?? { finalizers: ['kubernetes'] };
    obj.status = obj.status ?? { phase: 'Active' };
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
  }
}

function defaultDeployment(d: Deployment): void {
  const spec = (isObject(d.spec) ? d.spec : {}) as Deployment['spec'];
  d.spec = spec;
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: 'RollingUpdate' };
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate = { maxSurge: '25%', maxUnavailable: '25%', ...spec.strategy.rollingUpdate };
  }
  if (isObject(spec.template)) defaultTemplate(spec.template);
}

export function defaultTemplate(t: PodTemplate): void {
  t.metadata ??= {};
  if (!isObject(t.spec)) return;
  const s = t.spec;
  s.restartPolicy ??= 'Always';
  s.terminationGracePeriodSeconds ??= 30;
  s.dnsPolicy ??= 'ClusterFirst';
  s.securityContext ??= {};
  s.schedulerName ??= 'default-scheduler';
  for (const c of Array.isArray(s.containers) ? s.containers : []) defaultContainer(c);
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= typeof c.image === 'string' && c.image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
}

type Cause = { field: string; message: string };

/** The validation that keeps the controller's assumptions true; 422 Invalid otherwise. */
export function validate(r: ResourceType, obj: KObject): void {
  const causes: Cause[] = [];
  if (typeof obj.metadata?.name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(obj.metadata.name)) {
    causes.push({ field: 'metadata.name', message: 'Invalid value: a lowercase RFC 1123 subdomain is required' });
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = obj.metadata?.[field];
    if (map !== undefined && (!isObject(map) || Object.values(map).some((v) => typeof v !== 'string'))) {
      causes.push({ field: `metadata.${field}`, message: 'Invalid value: values must be strings' });
    }
  }
  if (r === DEPLOYMENTS) validateDeployment(obj as Deployment, causes);
  if (r === CONFIGMAPS) {
    const data = obj.data;
    if (data !== undefined && (!isObject(data) || Object.values(data).some((v) => typeof v !== 'string'))) {
      causes.push({ field: 'data', message: 'Invalid value: values must be strings' });
    }
  }
  if (causes.length > 0) throw invalid(r, String(obj.metadata?.name ?? ''), causes);
}

function validateDeployment(d: Deployment, causes: Cause[]): void {
  const spec = d.spec;
  if (!Number.isInteger(spec.replicas) || spec.replicas < 0) {
    causes.push({ field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(spec.replicas)}: must be greater than or equal to 0` });
  }
  const matchLabels = spec.selector?.matchLabels;
  if (!isObject(matchLabels) || Object.keys(matchLabels).length === 0) {
    causes.push({ field: 'spec.selector', message: 'Required value' });
  }
  if (!isObject(spec.template) || !isObject(spec.template.spec)) {
    causes.push({ field: 'spec.template', message: 'Required value' });
    return;
  }
  const labels = spec.template.metadata?.labels ?? {};
  if (isObject(matchLabels) && Object.entries(matchLabels).some(([k, v]) => labels[k] !== v)) {
    causes.push({ field: 'spec.template.metadata.labels', message: 'Invalid value: `selector` does not match template `labels`' });
  }
  const containers = spec.template.spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ field: 'spec.template.spec.containers', message: 'Required value' });
    return;
  }
  containers.forEach((c, i) => {
    if (!isObject(c) || typeof c.name !== 'string' || c.name === '') {
      causes.push({ field: `spec.template.spec.containers[${i}].name`, message: 'Required value' });
    }
    if (!isObject(c) || typeof c.image !== 'string' || c.image === '') {
      causes.push({ field: `spec.template.spec.containers[${i}].image`, message: 'Required value' });
    }
    for (const [j, e] of (Array.isArray(c.env) ? c.env : []).entries()) {
      if (!isObject(e) || typeof e.name !== 'string' || (e.value !== undefined && typeof e.value !== 'string')) {
        causes.push({ field: `spec.template.spec.containers[${i}].env[${j}]`, message: 'Invalid value: name and string value required' });
      }
    }
  });
}
