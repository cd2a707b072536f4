import type { z } from 'zod';
import { GitHubEnvShape } from '../clients/github.js';
import { PagerDutyEnvShape } from '../clients/pagerduty.js';
import { PrometheusEnvShape } from '../clients/prometheus.js';
import { StatuspageEnvShape } from '../clients/statuspage.js';
import { AlertmanagerEnvShape } from '../http/webhooks/auth.js';
import { EnvSchema } from '../config/env.js';
import { platformEnvShape } from '../platforms/index.js';
import { VerificationEnvShape } from '../verification/index.js';

/** Every variable the bot reads: the core's, each registered platform's and each client's, checked in one pass. */
export const AppEnvSchema = EnvSchema.extend(platformEnvShape)
  .extend(PrometheusEnvShape)
  .extend(StatuspageEnvShape)
  .extend(GitHubEnvShape)
  .extend(VerificationEnvShape)
  .extend(PagerDutyEnvShape)
  .extend(AlertmanagerEnvShape);

export type AppEnv = Readonly<z.output<typeof AppEnvSchema>>;
