import { z } from 'zod';

/** Services, environments, roles and rules are named as Kubernetes names things. */
export const name = z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be a lowercase DNS-style name');
