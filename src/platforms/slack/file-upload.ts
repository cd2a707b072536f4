import type { webApi } from '@slack/bolt';
import type { SlackCallMeter } from './call-meter.js';

export interface ThreadFile {
  filename: string;
  title: string;
  content: string;
}

/** The upload step failed (the upload URL answered non-2xx); the Web API steps fail as the client's own errors. */
export class SlackUploadError extends Error {
  override readonly name = 'SlackUploadError';
  readonly data: { error: string };
  constructor(status: number) {
    super(`Slack file upload failed: HTTP ${status}`);
    this.data = { error: `upload_http_${status}` };
  }
}

/**
 * Shares a text file in a thread the way Slack wants since files.upload was retired
 * (docs.slack.dev/reference/methods/files.getUploadURLExternal, …/files.completeUploadExternal):
 * ask for an upload URL with the file's name and exact byte length, POST the bytes there,
 * then complete the upload with `channel_id` and the parent's `thread_ts`. The upload URL
 * is pre-signed: the bot token does not go to it.
 */
export async function shareInThread(
  client: webApi.WebClient,
  meter: SlackCallMeter,
  channel: string,
  threadTs: string,
  file: ThreadFile,
): Promise<string> {
  const bytes = Buffer.from(file.content, 'utf8');
  const { upload_url: uploadUrl, file_id: fileId } = await meter.call('files.getUploadURLExternal', () =>
    client.files.getUploadURLExternal({ filename: file.filename, length: bytes.length, snippet_type: 'text' }),
  );
  if (!uploadUrl || !fileId) throw new SlackUploadError(0);
  await meter.call('upload_url', async () => {
    const response = await fetch(uploadUrl, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    await response.arrayBuffer();
    if (!response.ok) throw new SlackUploadError(response.status);
  });
  await meter.call('files.completeUploadExternal', () =>
    client.files.completeUploadExternal({ files: [{ id: fileId, title: file.title }], channel_id: channel, thread_ts: threadTs }),
  );
  return fileId;
}
