import type { z } from 'zod';
import { GitHubEnvShape } from '../adapters/github.js';
import { PagerDutyEnvShape } from '../adapters/pagerduty.js';
import { PrometheusEnvShape } from '../adapters/prometheus.js';
import { SlackEnvShape } from '../adapters/slack/config.js';
import { StatuspageEnvShape } from '../adapters/statuspage.js';
import { TeamsEnvShape } from '../adapters/teams/config.js';
import { AlertmanagerEnvShape } from '../adapters/webhooks/auth.js';
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
