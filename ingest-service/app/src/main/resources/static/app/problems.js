// What the page says about a refusal, chosen from the problem's stable code: a title, a sentence that says what
// happened with the facts the person needs (sizes, detected types), and what the page offers to do about it.

import { formatBytes } from './format.js';

/** Refusals that waiting fixes: the page counts down from Retry-After, then tries again by itself. */
const WAIT_THEN_RETRY = new Set(['rate_limited', 'upload_locked', 'idempotency_key_in_use']);

/** The service or one of its stores is down or full: the person decides when to try again. */
const UNAVAILABLE = new Set(['too_busy', 'storage_unavailable', 'publish_failed', 'rate_limit_unavailable',
  'status_unavailable', 'idempotency_unavailable', 'upload_state_unavailable', 'server_restarting', 'internal',
  'service_maintenance', 'service_degraded']);

const TOO_LARGE = new Set(['file_too_large', 'request_too_large', 'upload_length_exceeded', 'payload_too_large']);

const TYPE = new Set(['unsupported_type', 'type_mismatch']);

/**
 * @param problem an RFC 9457 problem from the API (code, title, detail, retryAfterSeconds, and the code's facts)
 * @param file what the page knows about the file: {name, size}
 * @returns {{kind, title, message, code, retryAfterSeconds, autoRetry, retryButton, signIn}}
 */
export function describeProblem(problem, file = {}) {
  const code = problem.code || 'unknown';
  const name = file.name || problem.filename || 'The file';
  const base = {
    code,
    title: problem.title || 'Something went wrong',
    message: problem.detail || 'The server refused the request.',
    retryAfterSeconds: retryAfter(problem),
    autoRetry: false,
    retryButton: false,
    signIn: false,
  };
  if (TOO_LARGE.has(code)) {
    const size = problem.sizeBytes ?? file.size;
    const limit = problem.limitBytes;
    const facts = limit != null
      ? `${name} is ${formatBytes(size)}; the limit is ${formatBytes(limit)}.`
      : `${name} (${formatBytes(size)}) is larger than allowed.`;
    return { ...base, kind: 'too_large', title: 'File too large',
      message: `${facts} Split or compress it, or upload a smaller file.` };
  }
  if (TYPE.has(code)) {
    const detected = problem.detectedType ? `Its content is ${problem.detectedType}` : 'Its content was not recognised';
    const claimed = problem.claimedType ? `, but it claims to be ${problem.claimedType}` : '';
    const advice = code === 'type_mismatch'
      ? 'Rename the file so its extension matches its content, or export it again.'
      : 'Convert it to PDF, an office document, an image or plain text, then upload it again.';
    return { ...base, kind: 'type', message: `${detected}${claimed}. ${advice}` };
  }
  if (code === 'empty_file') {
    return { ...base, kind: 'type', message: `${name} is empty. Choose a file with content.` };
  }
  if (WAIT_THEN_RETRY.has(code)) {
    return { ...base, kind: 'rate_limited', autoRetry: true, retryAfterSeconds: base.retryAfterSeconds ?? 1,
      message: code === 'rate_limited'
        ? 'You have sent many uploads in a short time. This one starts again by itself when the wait is over.'
        : base.message };
  }
  if (UNAVAILABLE.has(code)) {
    return { ...base, kind: 'unavailable', retryButton: true,
      message: `${base.message} Nothing you sent was kept half-way: retrying is safe.` };
  }
  if (code === 'unauthenticated') {
    return { ...base, kind: 'auth', signIn: true, title: 'Sign in again',
      message: 'Your access token is missing, wrong or expired. Sign in again with a new token.' };
  }
  return { ...base, kind: 'other' };
}

/** The description of a lost connection, which the page resumes from by itself. */
export function networkLost(resumable) {
  return {
    kind: 'network', code: 'network_lost', title: 'Connection lost', autoRetry: true, retryButton: false,
    signIn: false, retryAfterSeconds: null,
    message: resumable
      ? 'The connection to Spool dropped. The upload continues from where it stopped as soon as the connection is back.'
      : 'The connection to Spool dropped. The upload starts again by itself as soon as the connection is back.',
  };
}

/** What the page says about a job that failed in processing, from the job view's error. */
export function describeJobFailure(view) {
  const error = view.error || {};
  const reason = error.message || 'The document could not be processed.';
  if (view.deadLettered) {
    return { kind: 'dead_lettered', code: error.code || 'dead_lettered', title: 'Set aside for operators',
      message: `${reason} The job was set aside after repeated failures; an operator can replay it once the cause is `
        + 'fixed, so you do not need to upload it again.' };
  }
  const advice = {
    encrypted: 'Remove the password protection and upload it again.',
    corrupt: 'The file looks damaged; export or save it again and upload the new copy.',
    too_large_to_extract: 'The document expands to more than Spool extracts; split it into smaller documents.',
    timeout: 'Extraction took too long; split the document into smaller ones.',
    unsupported_type: 'Convert it to PDF, an office document or plain text.',
  }[error.code];
  return { kind: 'failed', code: error.code || 'failed', title: 'Processing failed',
    message: advice ? `${reason} ${advice}` : reason };
}

function retryAfter(problem) {
  const seconds = problem.retryAfterSeconds;
  return typeof seconds === 'number' && seconds >= 0 ? Math.ceil(seconds) : null;
}
