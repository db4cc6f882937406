// One file's way into Spool: a multipart POST for small files, a resumable tus upload (the maintained tus-js-client)
// for large ones. Refusals are described from their problem code; the upload itself decides what happens next:
// waits out a Retry-After and tries again, resumes after a lost connection, or waits for the person's retry.

import { problemFrom } from './api.js';
import { describeProblem, networkLost } from './problems.js';

/** Files from this size on upload resumably, so a lost connection costs seconds, not the whole file. */
export const RESUMABLE_FROM_BYTES = 4 * 1024 * 1024;

const TUS_ENDPOINT = '/api/v1/tus/';
const MAX_RECONNECT_WAIT_MILLIS = 10_000;

export class FileUpload {
  /**
   * @param file the File to send
   * @param token supplies the current bearer token
   * @param events {onProgress(sent, total), onProblem(description), onProblemCleared(), onAccepted(jobId),
   *     onUnauthenticated(problem)}
   */
  constructor(file, token, events) {
    this.file = file;
    this.token = token;
    this.events = events;
    this.resumable = file.size >= RESUMABLE_FROM_BYTES;
    // One key for every attempt of this file, so a retry after a lost answer never creates a second job.
    this.idempotencyKey = crypto.randomUUID();
    this.timer = null;
    this.reconnects = 0;
    this.stopped = false;
    this.finished = false;
    this.onOnline = () => this.start();
  }

  start() {
    this.clearWait();
    if (this.stopped || this.finished) {
      return;
    }
    this.events.onProblemCleared();
    if (this.resumable) {
      this.startTus();
    } else {
      this.sendMultipart();
    }
  }

  /** The person's "Retry" after a refusal that waiting alone does not fix. */
  retryNow() {
    this.start();
  }

  /** Stops for good; a resumable upload is also terminated on the server, so nothing is left behind. */
  cancel() {
    this.stopped = true;
    this.clearWait();
    if (this.xhr) {
      this.xhr.abort();
    }
    if (this.tusUpload) {
      this.tusUpload.abort(true).catch(() => {});
    }
  }

  sendMultipart() {
    const xhr = new XMLHttpRequest();
    this.xhr = xhr;
    xhr.open('POST', '/api/v1/uploads');
    xhr.setRequestHeader('Authorization', `Bearer ${this.token()}`);
    xhr.setRequestHeader('Idempotency-Key', this.idempotencyKey);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = event => {
      if (event.lengthComputable) {
        this.progress(Math.min(event.loaded, this.file.size), this.file.size);
      }
    };
    xhr.onload = () => {
      const header = name => xhr.getResponseHeader(name);
      if (xhr.status === 202 || xhr.status === 200) {
        const body = JSON.parse(xhr.responseText);
        if (body.jobs && body.jobs.length > 0) {
          this.accepted(body.jobs[0].jobId);
          return;
        }
        const rejected = (body.rejected || [])[0];
        if (rejected) {
          this.refused({ ...rejected, ...(rejected.details || {}) });
          return;
        }
      }
      this.refused(problemFrom(xhr.status, header, xhr.responseText));
    };
    xhr.onerror = () => this.connectionLost();
    const form = new FormData();
    form.append('file', this.file, this.file.name);
    xhr.send(form);
  }

  startTus() {
    if (!this.tusUpload) {
      this.tusUpload = new window.tus.Upload(this.file, {
        endpoint: TUS_ENDPOINT,
        metadata: { filename: this.file.name, filetype: this.file.type || 'application/octet-stream' },
        // tus-js-client's own retries cover short blips; longer outages come back to connectionLost below.
        retryDelays: [0, 1000, 3000],
        removeFingerprintOnSuccess: true,
        onBeforeRequest: request => request.setHeader('Authorization', `Bearer ${this.token()}`),
        onShouldRetry: error => this.tusShouldRetry(error),
        onProgress: (sent, total) => this.progress(sent, total),
        onAfterResponse: (request, response) => {
          const jobId = response.getHeader('Spool-Job-Id');
          if (jobId) {
            this.jobId = jobId;
          }
        },
        onSuccess: () => this.accepted(this.jobId || lastSegment(this.tusUpload.url)),
        onError: error => this.tusFailed(error),
      });
      // A page reloaded mid-upload finds its earlier upload of the same file and continues it.
      this.tusUpload.findPreviousUploads().then(previous => {
        if (previous.length > 0) {
          this.tusUpload.resumeFromPreviousUpload(previous[0]);
        }
        this.tusUpload.start();
      });
      return;
    }
    this.tusUpload.start();
  }

  tusShouldRetry(error) {
    const response = error.originalResponse;
    const status = response ? response.getStatus() : 0;
    if (status === 0) {
      return navigator.onLine;
    }
    if (status === 409 || status === 423) {
      return true;
    }
    if (status === 503) {
      const code = problemFrom(status, name => response.getHeader(name), response.getBody()).code;
      return code === 'server_restarting' || code === 'upload_state_unavailable';
    }
    return false;
  }

  tusFailed(error) {
    const response = error.originalResponse;
    if (!response || response.getStatus() === 0) {
      this.connectionLost();
      return;
    }
    this.refused(problemFrom(response.getStatus(), name => response.getHeader(name), response.getBody()));
  }

  accepted(jobId) {
    this.finished = true;
    this.clearWait();
    this.events.onProblemCleared();
    this.events.onProgress(this.file.size, this.file.size);
    this.events.onAccepted(jobId);
  }

  refused(problem) {
    if (this.stopped) {
      return;
    }
    const description = describeProblem(problem, { name: this.file.name, size: this.file.size });
    if (description.kind === 'auth') {
      this.events.onUnauthenticated(problem);
    }
    if (description.autoRetry) {
      const seconds = description.retryAfterSeconds;
      description.retryAt = Date.now() + seconds * 1000;
      this.timer = setTimeout(() => this.start(), seconds * 1000);
    }
    this.events.onProblem(description);
  }

  /** No answer at all: resume when the browser is back online, or after a growing wait while it claims to be. */
  connectionLost() {
    if (this.stopped) {
      return;
    }
    this.events.onProblem(networkLost(this.resumable));
    this.clearWait();
    window.addEventListener('online', this.onOnline);
    if (navigator.onLine) {
      const wait = Math.min(MAX_RECONNECT_WAIT_MILLIS, 1000 * 2 ** this.reconnects);
      this.reconnects++;
      this.timer = setTimeout(() => this.start(), wait);
    }
  }

  progress(sent, total) {
    this.reconnects = 0;
    this.events.onProgress(sent, total);
  }

  clearWait() {
    window.removeEventListener('online', this.onOnline);
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

function lastSegment(url) {
  return decodeURIComponent(new URL(url, window.location.href).pathname.split('/').filter(Boolean).pop());
}
