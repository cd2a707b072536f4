/** The jobs API the rest of the bot uses: submit/list/cancel on the web side, startWorker on the worker side. */
export { JobCancelledError } from './cancel.js';
export type { ActionJobData, JobOutcome, QueuedJobData } from './job-data.js';
export { jobIdFor } from './job-data.js';
export type { ChatLookup } from './job-reporter.js';
export type { CancelReceipt, JobState, JobSummary } from './job-summary.js';
export { JobQueue, type JobQueueOptions, type SubmitResult } from './queue.js';
export { type JobWorker, startWorker, type WorkerDeps } from './worker.js';
