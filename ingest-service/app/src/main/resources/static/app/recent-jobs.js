// The signed-in person's most recent jobs, newest first. Refreshed every few seconds while the page is visible and
// at once when one of this page's own jobs changes, so jobs started elsewhere (another tab, the API) show up too.

import { formatBytes, formatTime } from './format.js';

const REFRESH_MILLIS = 3000;
const SHOWN = 20;
const LABELS = { queued: 'Queued', processing: 'Processing', retrying: 'Retrying', completed: 'Completed', failed: 'Failed' };

export class RecentJobs {
  constructor(api, root) {
    this.api = api;
    this.body = root.querySelector('#recent tbody');
    this.empty = root.querySelector('#recent-empty');
    this.error = root.querySelector('#recent-error');
    this.updated = root.querySelector('#recent-updated');
    this.timer = null;
    this.running = false;
    document.addEventListener('visibilitychange', () => {
      if (this.running && document.visibilityState === 'visible') {
        this.refresh();
      }
    });
  }

  start() {
    this.running = true;
    this.refresh();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
  }

  async refresh() {
    clearTimeout(this.timer);
    if (!this.running) {
      return;
    }
    try {
      const page = await this.api.json(`/api/v1/jobs?limit=${SHOWN}`);
      this.show(page.jobs || []);
      this.error.textContent = '';
      this.updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      const problem = error.problem;
      this.error.textContent = problem
        ? `The job list could not be refreshed: ${problem.detail || problem.title}`
        : 'The job list could not be refreshed: the connection to Spool dropped. It refreshes again by itself.';
    }
    if (this.running && document.visibilityState === 'visible') {
      this.timer = setTimeout(() => this.refresh(), REFRESH_MILLIS);
    }
  }

  show(jobs) {
    this.empty.hidden = jobs.length > 0;
    const rows = jobs.map(job => {
      const row = document.createElement('tr');
      row.dataset.jobId = job.jobId;
      row.dataset.status = job.status;
      const cells = [job.filename || job.jobId, null, formatBytes(job.size), formatTime(job.createdAt)];
      cells.forEach((text, index) => {
        const cell = document.createElement('td');
        if (index === 0) {
          cell.className = 'file';
        }
        if (index === 1) {
          const badge = document.createElement('span');
          badge.className = `status status-${job.status}`;
          const label = LABELS[job.status] || job.status;
          badge.textContent = job.status === 'processing' && job.progress ? `${label} ${job.progress} %` : label;
          cell.append(badge);
          if (job.deadLettered) {
            cell.append(' set aside for operators');
          }
        } else {
          cell.textContent = text;
        }
        row.append(cell);
      });
      return row;
    });
    this.body.replaceChildren(...rows);
  }
}
