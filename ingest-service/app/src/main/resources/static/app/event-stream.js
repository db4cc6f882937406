// The live feeds: one job's, and all of the signed-in person's jobs. EventSource cannot send an Authorization header,
// so a feed is read with fetch and parsed here; like EventSource it reconnects with Last-Event-ID, so nothing is
// missed and nothing repeats.

import { ApiProblem } from './api.js';

/** Splits server-sent-event text into events; returns the events complete so far and the unparsed rest. */
export function parseEvents(buffer) {
  const events = [];
  const normalised = buffer.replace(/\r\n?/g, '\n');
  const blocks = normalised.split('\n\n');
  const rest = blocks.pop();
  for (const block of blocks) {
    const event = { type: 'message', data: '', id: null };
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') {
        event.type = value;
      } else if (field === 'data') {
        data.push(value);
      } else if (field === 'id') {
        event.id = value;
      }
    }
    if (data.length > 0 || event.id !== null) {
      event.data = data.join('\n');
      events.push(event);
    }
  }
  return { events, rest };
}

const TERMINAL = new Set(['completed', 'failed']);
const NOT_YET_VISIBLE_MILLIS = 60_000;
/** What {@link followJob} reports to {@code onTrouble} when the connection itself was lost. */
export const LOST = 'connection_lost';

/**
 * Follows a job until its terminal event or until {@code signal} aborts, reconnecting after lost connections and
 * retryable refusals. Calls {@code onView(kind, view)} for every status, progress and terminal event, and
 * {@code onTrouble(problem | LOST | null)} when the feed stalls (refused, or the connection lost) and when it
 * recovers.
 */
export async function followJob(api, jobId, { onView, onTrouble, signal }) {
  const startedAt = Date.now();
  let lastEventId = null;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const headers = { Accept: 'text/event-stream' };
      if (lastEventId) {
        headers['Last-Event-ID'] = lastEventId;
      }
      const response = await api.fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}/events`, { headers, signal });
      if (response.status === 204) {
        return;
      }
      onTrouble(null);
      failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        const parsed = parseEvents(buffer + value);
        buffer = parsed.rest;
        for (const event of parsed.events) {
          if (event.id) {
            lastEventId = event.id;
          }
          if (event.type === 'heartbeat') {
            continue;
          }
          onView(event.type, JSON.parse(event.data));
          if (TERMINAL.has(event.type)) {
            reader.cancel().catch(() => {});
            return;
          }
        }
      }
    } catch (error) {
      if (signal.aborted || error.name === 'AbortError') {
        return;
      }
      // Ingest writes a job's view before its 202, but not while Redis is down: then the view of a job accepted a
      // moment ago comes with the projection, and its 404 is a reason to wait, not to stop.
      const young = Date.now() - startedAt < NOT_YET_VISIBLE_MILLIS;
      const notYetVisible = error instanceof ApiProblem && error.problem.code === 'job_not_found' && young;
      if (error instanceof ApiProblem && error.problem.status < 500 && error.problem.status !== 429 && !notYetVisible) {
        onTrouble(error.problem);
        return;
      }
      if (!notYetVisible) {
        onTrouble(error instanceof ApiProblem ? error.problem : LOST);
      }
      failures++;
      let waitSeconds = Math.min(10, 2 ** Math.min(failures, 4) / 2);
      if (notYetVisible) {
        waitSeconds = 0.5;
      } else if (error instanceof ApiProblem && error.problem.retryAfterSeconds) {
        waitSeconds = error.problem.retryAfterSeconds;
      }
      await sleep(waitSeconds * 1000, signal);
      continue;
    }
    // The stream ended before the job did (a restart or a proxy's timeout): pick it up again shortly.
    await sleep(500, signal);
  }
}

/** What the feed of all of one's jobs sends besides job changes. */
const READY = 'ready';
const RESET = 'reset';

/**
 * Follows all of the signed-in person's jobs until {@code signal} aborts, reconnecting after lost connections and
 * retryable refusals, with Last-Event-ID once it has one. Calls {@code onView(kind, view)} for every job change,
 * {@code onStart()} when the feed starts from now (its first connection, or the server no longer holds the changes
 * since the last event seen): what happened before must then be loaded, and {@code onTrouble(problem | LOST | null)}
 * as {@link followJob} does.
 */
export async function followMyJobs(api, { onView, onStart, onTrouble, signal }) {
  let lastEventId = null;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const headers = { Accept: 'text/event-stream' };
      if (lastEventId) {
        headers['Last-Event-ID'] = lastEventId;
      }
      const response = await api.fetch('/api/v1/jobs/events', { headers, signal });
      onTrouble(null);
      failures = 0;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        const parsed = parseEvents(buffer + value);
        buffer = parsed.rest;
        for (const event of parsed.events) {
          if (event.id) {
            lastEventId = event.id;
          }
          if (event.type === READY || event.type === RESET) {
            onStart();
          } else if (event.type !== 'heartbeat') {
            onView(event.type, JSON.parse(event.data));
          }
        }
      }
    } catch (error) {
      if (signal.aborted || error.name === 'AbortError') {
        return;
      }
      if (error instanceof ApiProblem && error.problem.status < 500 && error.problem.status !== 429) {
        onTrouble(error.problem);
        return;
      }
      onTrouble(error instanceof ApiProblem ? error.problem : LOST);
      failures++;
      const waitSeconds = error instanceof ApiProblem && error.problem.retryAfterSeconds
        ? error.problem.retryAfterSeconds
        : Math.min(10, 2 ** Math.min(failures, 4) / 2);
      await sleep(waitSeconds * 1000, signal);
      continue;
    }
    // The stream ended (a restart or a proxy's timeout): pick it up again shortly, from the last event seen.
    await sleep(500, signal);
  }
}

function sleep(millis, signal) {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, millis);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
