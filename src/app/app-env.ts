import type { z } from 'zod';
import { GitHubEnvShape } from '../clients/github.js';
import { PagerDutyEnvShape } from '../clients/pagerduty.js';
import { PrometheusEnvShape } from '../clients/prometheus.js';
import { SlackEnvShape } from '../platforms/slack/config.js';
import { StatuspageEnvShape } from '../clients/statuspage.js';
import { TeamsEnvShape } from '../platforms/teams/config.js';
import { AlertmanagerEnvShape } from '../http/webhooks/auth.js';
import { EnvSchema } from '../config/env.js';
import { VerificationEnvShape } from '../verification/index.js';

/** Every variable the bot reads: the core's and each adapter's, checked in one pass. */
export const AppEnvSchema = EnvSchema.extend(SlackEnvShape)
  .extend(TeamsEnvShape)
  .extend(PrometheusEnvShape)
  .extend(StatuspageEnvShape)
  .extend(GitHubEnvShape)
  .extend(VerificationEnvShape)
  .extend(PagerDutyEnvShape)
  .extend(AlertmanagerEnvShape);

export type AppEnv = Readonly<z.output<typeof AppEnvSchema>>;
