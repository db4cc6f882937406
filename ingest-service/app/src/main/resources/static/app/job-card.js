// One file on the page: its upload bar, its processing bar fed by the job's live feed, then its result or what
// went wrong and what to do about it.

import { DOWNLOADS, describeDownloadProblem, startDownload } from './downloads.js';
import { followJob, LOST } from './event-stream.js';
import { FileUpload } from './file-upload.js';
import { describePhoto, describeTruncation, formatBytes, formatCount, formatLanguage, formatSeconds } from './format.js';
import { describeJobFailure, describeProblem } from './problems.js';

const PREVIEW_CHARACTERS = 600;
const STAGES = { downloading: 'Reading the stored file', extracting: 'Extracting text', storing: 'Saving the text' };

const FEED_LOST = { kind: 'network', code: 'network_lost', title: 'Live updates paused',
  message: 'The connection to Spool dropped. The job goes on; its progress shows again as soon as the connection is back.' };

let cards = 0;

export class JobCard {
  /**
   * @param page {api, token, announce(text), alert(text), onRefused(code), onUnauthenticated(problem)}
   */
  constructor(page, file) {
    this.page = page;
    this.file = file;
    this.id = `card-${++cards}`;
    this.abort = new AbortController();
    this.element = this.render();
    this.upload = new FileUpload(file, page.token, {
      onProgress: (sent, total) => this.uploadProgress(sent, total),
      onProblem: description => this.showProblem(description, { terminal: !description.autoRetry && !description.retryButton }),
      onProblemCleared: () => this.clearProblem(),
      onAccepted: jobId => this.accepted(jobId),
      onUnauthenticated: problem => page.onUnauthenticated(problem),
    });
  }

  start() {
    this.setState('Uploading', 'uploading');
    this.upload.start();
  }

  render() {
    const li = document.createElement('li');
    li.className = 'card';
    li.id = this.id;
    li.setAttribute('aria-labelledby', `${this.id}-title`);
    li.innerHTML = `
      <div class="card-head">
        <h3 class="card-title" id="${this.id}-title"></h3>
        <span class="hint size"></span>
        <span class="state" id="${this.id}-state"></span>
      </div>
      <div class="bars">
        <span id="${this.id}-up-label">Upload</span>
        <progress id="${this.id}-up" max="100" value="0" aria-labelledby="${this.id}-up-label ${this.id}-title"></progress>
        <span class="pct" id="${this.id}-up-pct">0 %</span>
        <span id="${this.id}-proc-label">Processing</span>
        <progress id="${this.id}-proc" max="100" value="0" aria-labelledby="${this.id}-proc-label ${this.id}-title"></progress>
        <span class="pct" id="${this.id}-proc-pct">—</span>
      </div>
      <p class="hint stage" id="${this.id}-stage"></p>
      <div class="problem" hidden>
        <p class="problem-title"></p>
        <p class="problem-message"></p>
        <p class="problem-countdown" hidden></p>
        <p class="problem-code"></p>
        <div class="problem-actions"></div>
      </div>
      <div class="result" hidden></div>
      <div class="problem-actions card-actions">
        <button type="button" class="secondary cancel">Cancel upload</button>
      </div>`;
    li.querySelector('.card-title').textContent = this.file.name;
    li.querySelector('.size').textContent = formatBytes(this.file.size);
    li.querySelector('.cancel').addEventListener('click', () => this.cancel());
    return li;
  }

  $(selector) {
    return this.element.querySelector(selector);
  }

  setState(text, kind) {
    const state = this.$('.state');
    state.textContent = text;
    state.className = `state status status-${kind}`;
    this.element.dataset.state = kind;
  }

  uploadProgress(sent, total) {
    const percent = total > 0 ? Math.floor((sent / total) * 100) : 0;
    this.$(`#${this.id}-up`).value = percent;
    this.$(`#${this.id}-up-pct`).textContent = `${percent} %`;
  }

  accepted(jobId) {
    this.jobId = jobId;
    this.element.dataset.jobId = jobId;
    this.$('.card-actions').hidden = true;
    this.setState('Queued', 'queued');
    this.page.announce(`${this.file.name} uploaded; waiting to be processed.`);
    this.follow();
  }

  follow() {
    followJob(this.page.api, this.jobId, {
      signal: this.abort.signal,
      onView: (kind, view) => this.jobView(kind, view),
      onTrouble: trouble => {
        if (trouble === LOST) {
          this.showProblem(FEED_LOST, { terminal: false, quiet: true });
        } else if (trouble) {
          this.showProblem(describeProblem(trouble, this.file), { terminal: false, quiet: true });
        } else {
          this.clearProblem();
        }
      },
    });
  }

  jobView(kind, view) {
    const status = view.status;
    const percent = status === 'completed' ? 100 : Math.max(0, Math.min(100, view.progress || 0));
    this.$(`#${this.id}-proc`).value = percent;
    this.$(`#${this.id}-proc-pct`).textContent = status === 'queued' ? '—' : `${percent} %`;
    this.$(`#${this.id}-stage`).textContent = status === 'processing' ? (STAGES[view.stage] || '') : '';
    const previous = this.element.dataset.state;
    if (status === 'completed') {
      this.setState('Completed', 'completed');
      this.showResult(view);
      this.page.announce(`${this.file.name} completed.`);
    } else if (status === 'failed') {
      this.setState(view.deadLettered ? 'Failed — set aside' : 'Failed', 'failed');
      this.showProblem(describeJobFailure(view), { terminal: true, keepCard: true });
    } else if (status === 'retrying') {
      this.setState('Retrying', 'retrying');
    } else if (status === 'processing' && previous !== 'processing') {
      this.setState('Processing', 'processing');
      this.page.announce(`${this.file.name} is being processed.`);
    }
  }

  async showResult(view) {
    const result = view.result || {};
    const box = this.$('.result');
    box.hidden = false;
    box.innerHTML = `
      <dl class="facts">
        <div><dt>Pages</dt><dd class="pages"></dd></div>
        <div><dt>Words</dt><dd class="words"></dd></div>
        <div><dt>Characters</dt><dd class="characters"></dd></div>
        <div><dt>Language</dt><dd class="language"></dd></div>
        <div><dt>Type</dt><dd class="type"></dd></div>
      </dl>
      <dl class="facts photo" aria-label="Photo" hidden></dl>
      <p class="hint truncated" role="note" hidden></p>
      <p class="hint title-line" hidden></p>
      <p class="preview-label" id="${this.id}-preview-label">Beginning of the text</p>
      <pre class="preview" tabindex="0" aria-labelledby="${this.id}-preview-label">Loading…</pre>
      <div class="downloads" role="group" aria-labelledby="${this.id}-downloads-label ${this.id}-title">
        <span class="visually-hidden" id="${this.id}-downloads-label">Downloads of</span>
        <button type="button" class="download">${DOWNLOADS.text.label}</button>
        <button type="button" class="download-original secondary">${DOWNLOADS.original.label}</button>
      </div>`;
    box.querySelector('.pages').textContent = result.pages == null ? '—' : formatCount(result.pages);
    box.querySelector('.words').textContent = formatCount(result.words);
    box.querySelector('.characters').textContent = formatCount(result.characters);
    box.querySelector('.language').textContent = formatLanguage(result.language);
    box.querySelector('.type').textContent = view.contentType || '—';
    this.showPhoto(box.querySelector('.photo'), result.image);
    const truncation = describeTruncation(result.truncated);
    if (truncation) {
      const note = box.querySelector('.truncated');
      note.hidden = false;
      note.textContent = truncation;
    }
    if (result.title) {
      const line = box.querySelector('.title-line');
      line.hidden = false;
      line.textContent = `Title: ${result.title}${result.author ? ` — ${result.author}` : ''}`;
    }
    box.querySelector('.download').addEventListener('click', () => this.download('text'));
    box.querySelector('.download-original').addEventListener('click', () => this.download('original'));
    const preview = box.querySelector('.preview');
    try {
      preview.textContent = (await this.readStart(result.textUrl)) || '(no text in this document)';
    } catch (error) {
      preview.textContent = `The text could not be loaded: ${error.message}`;
    }
  }

  /** A photo's size, camera, capture time and caption; its strings come from the file, so they go in as text. */
  showPhoto(list, image) {
    const facts = describePhoto(image);
    list.hidden = facts.length === 0;
    for (const [label, text] of facts) {
      const row = document.createElement('div');
      const term = document.createElement('dt');
      const value = document.createElement('dd');
      term.textContent = label;
      value.textContent = text;
      row.append(term, value);
      list.append(row);
    }
  }

  /** Reads only the beginning of the text, so a long document's preview costs a few kilobytes. */
  async readStart(textUrl) {
    const response = await this.page.api.fetch(textUrl, { headers: { Accept: 'text/plain' } });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (text.length < PREVIEW_CHARACTERS) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      text += value;
    }
    reader.cancel().catch(() => {});
    return text.length > PREVIEW_CHARACTERS ? `${text.slice(0, PREVIEW_CHARACTERS)}…` : text;
  }

  /** Saves the original or the text through a presigned URL: the bytes go from S3 to the browser, not through the page. */
  async download(kind) {
    try {
      await startDownload(this.page.api, this.jobId, kind);
      this.page.announce(`${DOWNLOADS[kind].label.replace('Download', 'Downloading')} of ${this.file.name}.`);
    } catch (error) {
      this.showProblem(describeDownloadProblem(error, kind), { terminal: false });
    }
  }

  showProblem(description, { terminal, keepCard = false, quiet = false }) {
    const box = this.$('.problem');
    box.hidden = false;
    box.classList.toggle('waiting', Boolean(description.autoRetry));
    box.dataset.code = description.code;
    this.page.onRefused?.(description.code);
    box.querySelector('.problem-title').textContent = description.title;
    box.querySelector('.problem-message').textContent = description.message;
    box.querySelector('.problem-code').textContent = `Code: ${description.code}`;
    const actions = box.querySelector('.problem-actions');
    actions.replaceChildren();
    this.stopCountdown();
    if (description.retryAt) {
      this.startCountdown(description.retryAt);
    }
    if (description.retryButton) {
      actions.append(this.button('Retry', 'retry', () => this.upload.retryNow()));
    }
    if (description.signIn) {
      actions.append(this.button('Sign in again', 'sign-in', () => this.page.onUnauthenticated()));
    }
    const removes = terminal && !keepCard;
    actions.append(this.button(removes ? 'Dismiss' : 'Dismiss message', 'dismiss secondary', () => {
      if (removes) {
        this.remove();
      } else {
        box.hidden = true;
      }
    }));
    if (terminal && !keepCard) {
      this.setState('Not uploaded', 'failed');
      this.$('.card-actions').hidden = true;
    }
    if (!quiet) {
      this.page.alert(`${this.file.name}: ${description.title}. ${description.message}`);
    }
  }

  startCountdown(retryAt) {
    const line = this.$('.problem-countdown');
    line.hidden = false;
    const tick = () => {
      const seconds = Math.max(0, Math.ceil((retryAt - Date.now()) / 1000));
      line.textContent = seconds > 0 ? `Trying again in ${formatSeconds(seconds)}…` : 'Trying again now…';
    };
    tick();
    this.countdown = setInterval(tick, 250);
  }

  stopCountdown() {
    clearInterval(this.countdown);
    this.$('.problem-countdown').hidden = true;
  }

  clearProblem() {
    this.stopCountdown();
    this.$('.problem').hidden = true;
  }

  button(label, className, action) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = className;
    button.textContent = label;
    button.addEventListener('click', action);
    return button;
  }

  cancel() {
    this.upload.cancel();
    this.page.announce(`Upload of ${this.file.name} cancelled.`);
    this.remove();
  }

  remove() {
    this.stopCountdown();
    this.abort.abort();
    const next = this.element.nextElementSibling || this.element.previousElementSibling;
    this.element.remove();
    this.page.onCardRemoved(next);
  }
}
