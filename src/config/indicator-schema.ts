import { z } from 'zod';

/** One health indicator: a Prometheus query and the thresholds `status`, verification and `deps` grade it by. */
export const IndicatorSchema = z
  .strictObject({
    description: z.string(),
    query: z.string().min(1),
    /** `count` is a level (queue depth); `per_second` a rate of events (lease renewal failures). */
    unit: z.enum(['ratio', 'seconds', 'bytes', 'percent', 'count', 'per_second']),
    /** Which way is bad: `above` — higher values are worse (error rate); `below` — lower are worse (cache hit rate). */
    badWhen: z.enum(['above', 'below']),
    warning: z.number(),
    critical: z.number(),
  })
  .refine((i) => (i.badWhen === 'above' ? i.warning <= i.critical : i.warning >= i.critical), {
    message: 'warning threshold must be crossed before critical',
  });
export type Indicator = z.infer<typeof IndicatorSchema>;
