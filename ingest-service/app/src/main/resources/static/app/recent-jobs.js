// The signed-in person's most recent jobs, newest first. Loaded once, then kept current by the live feed of all of
// their jobs, row by row, so jobs started elsewhere (another tab, the API) show up as they happen; loaded again only
// when the feed starts from now (first connection, or changes missed for longer than the server keeps them).

import { followMyJobs, LOST } from './event-stream.js';
import { formatBytes, formatTime } from './format.js';

const SHOWN = 20;
const RELOAD_AFTER_FAILURE_MILLIS = 5000;
const LABELS = { queued: 'Queued', processing: 'Processing', retrying: 'Retrying', completed: 'Completed', failed: 'Failed' };

/**
 * The jobs to show: {@code known} (by job id) with {@code views} merged in, where a view replaces a job's only if it
 * is at least as new ({@code version}), since the feed may repeat a change or deliver it before the list that already
 * holds a newer one; newest first, at most {@code shown}. A deleted job (its tombstone, status {@code deleted}) leaves
 * the list and is noted in {@code deleted}, so that a list loaded before its deletion does not bring it back.
 */
export function mergeJobs(known, views, shown = SHOWN, deleted = new Set()) {
  const merged = new Map(known);
  for (const view of views) {
    if (view.status === 'deleted') {
      deleted.add(view.jobId);
      merged.delete(view.jobId);
      continue;
    }
    if (deleted.has(view.jobId)) {
      continue;
    }
    const current = merged.get(view.jobId);
    if (!current || (view.version ?? 0) >= (current.version ?? 0)) {
      merged.set(view.jobId, view);
    }
  }
  const newest = [...merged.values()].sort((a, b) =>
    String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')) || String(a.jobId).localeCompare(String(b.jobId)));
  return new Map(newest.slice(0, shown).map(view => [view.jobId, view]));
}

export class RecentJobs {
  constructor(api, root) {
    this.api = api;
    this.body = root.querySelector('#recent tbody');
    this.empty = root.querySelector('#recent-empty');
    this.error = root.querySelector('#recent-error');
    this.updated = root.querySelector('#recent-updated');
    this.jobs = new Map();
    this.deleted = new Set();
    this.feed = null;
    this.retry = null;
    this.feedTrouble = '';
    this.listTrouble = '';
  }

  start() {
    this.stop();
    this.jobs = new Map();
    this.deleted = new Set();
    this.feed = new AbortController();
    followMyJobs(this.api, {
      signal: this.feed.signal,
      onStart: () => this.load(),
      onView: (kind, view) => this.show([view]),
      onTrouble: problem => this.feedTroubled(problem),
    });
  }

  stop() {
    this.feed?.abort();
    this.feed = null;
    clearTimeout(this.retry);
  }

  /** Loads the list, merging in what the feed sent meanwhile; tries again a little later when it cannot. */
  async load() {
    clearTimeout(this.retry);
    const feed = this.feed;
    try {
      const page = await this.api.json(`/api/v1/jobs?limit=${SHOWN}`);
      if (feed !== this.feed) {
        return;
      }
      this.listTrouble = '';
      this.show(page.jobs || []);
    } catch (error) {
      if (feed !== this.feed) {
        return;
      }
      const problem = error.problem;
      this.listTrouble = problem
        ? `The job list could not be loaded: ${problem.detail || problem.title}`
        : 'The job list could not be loaded: the connection to Spool dropped. It tries again by itself.';
      this.showTrouble();
      this.retry = setTimeout(() => this.load(), problem?.retryAfterSeconds ? problem.retryAfterSeconds * 1000
        : RELOAD_AFTER_FAILURE_MILLIS);
    }
  }

  feedTroubled(problem) {
    if (problem === null) {
      this.feedTrouble = '';
      this.updated.textContent = 'Live';
    } else {
      this.feedTrouble = problem === LOST
        ? 'Live updates paused: the connection to Spool dropped. They resume by themselves.'
        : `Live updates paused: ${problem.detail || problem.title}`;
      this.updated.textContent = '';
    }
    this.showTrouble();
  }

  showTrouble() {
    this.error.textContent = this.listTrouble || this.feedTrouble;
  }

  show(views) {
    this.jobs = mergeJobs(this.jobs, views, SHOWN, this.deleted);
    this.showTrouble();
    this.empty.hidden = this.jobs.size > 0;
    const rows = [...this.jobs.values()].map(job => this.row(job));
    this.body.replaceChildren(...rows);
  }

  /** The job's row: the one already shown, updated in place, or a new one. */
  row(job) {
    let row = this.body.querySelector(`tr[data-job-id="${CSS.escape(job.jobId)}"]`);
    if (!row) {
      row = document.createElement('tr');
      row.dataset.jobId = job.jobId;
      for (let index = 0; index < 4; index++) {
        row.append(document.createElement('td'));
      }
      row.cells[0].className = 'file';
    }
    row.dataset.status = job.status;
    const [file, status, size, created] = row.cells;
    file.textContent = job.filename || job.jobId;
    const badge = document.createElement('span');
    badge.className = `status status-${job.status}`;
    const label = LABELS[job.status] || job.status;
    badge.textContent = job.status === 'processing' && job.progress ? `${label} ${job.progress} %` : label;
    status.replaceChildren(badge);
    if (job.deadLettered) {
      status.append(' set aside for operators');
    }
    size.textContent = formatBytes(job.size);
    created.textContent = formatTime(job.createdAt);
    return row;
  }
}
