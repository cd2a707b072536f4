import { qualifiedName, type ResourceType } from './resources.js';

/** An error the API server answers with a `Status` body. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function statusBody(error: ApiError): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: error.reason,
    ...(error.details ? { details: error.details } : {}),
    code: error.code,
  };
}

function detailsOf(r: ResourceType, name?: string): Record<string, unknown> {
  return { ...(name ? { name } : {}), ...(r.group ? { group: r.group } : {}), kind: r.plural };
}

export const notFound = (r: ResourceType, name: string) =>
  new ApiError(404, 'NotFound', `${qualifiedName(r)} "${name}" not found`, detailsOf(r, name));

export const alreadyExists = (r: ResourceType, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualifiedName(r)} "${name}" already exists`, detailsOf(r, name));

export const conflict = (r: ResourceType, name: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(r, name),
  );

export function forbidden(user: string, verb: string, r: ResourceType, sub: string | undefined, namespace?: string, name?: string) {
  const resource = sub ? `${r.plural}/${sub}` : r.plural;
  const subject = name ? `${qualifiedName(r)} "${name}"` : qualifiedName(r);
  const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  return new ApiError(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${r.group}"${scope}`,
    detailsOf(r, name),
  );
}

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export function invalid(r: ResourceType, name: string, causes: { field: string; message: string }[]) {
  const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  return new ApiError(422, 'Invalid', `${r.kind} "${name}" is invalid: ${text}`, {
    ...detailsOf(r, name),
    kind: r.kind,
    causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
  });
}

export const unprocessable = (message: string) => new ApiError(422, 'Invalid', message);

export const unsupportedMediaType = (type: string) =>
  new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${type || 'none'})`);

export const methodNotAllowed = (method: string) =>
  new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);

export const pathNotFound = (path: string) => new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);

export const gone = (rv: string) => new ApiError(410, 'Expired', `too old resource version: ${rv}`);

export const unauthorized = () => new ApiError(401, 'Unauthorized', 'Unauthorized');

export const tooLarge = () => new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
