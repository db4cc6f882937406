// The administrators' view of dead letters: filter, select, preview a replay or purge (a dry run that changes
// nothing), then do it. Replay and purge stay disabled until a preview of exactly the current selection.

import { formatTime } from './format.js';

const PAGE = 50;

export class DeadLetters {
  constructor(api, root, announce) {
    this.api = api;
    this.announce = announce;
    this.form = root.querySelector('#dlq-filter');
    this.body = root.querySelector('#dlq tbody');
    this.empty = root.querySelector('#dlq-empty');
    this.error = root.querySelector('#dlq-error');
    this.more = root.querySelector('#dlq-more');
    this.all = root.querySelector('#dlq-all');
    this.force = root.querySelector('#dlq-force');
    this.outcome = root.querySelector('#dlq-outcome');
    this.replayButton = root.querySelector('#dlq-replay');
    this.purgeButton = root.querySelector('#dlq-purge');
    this.table = root.querySelector('#dlq');
    this.previewed = null;
    this.next = null;
    this.loads = 0;
    this.form.addEventListener('submit', event => {
      event.preventDefault();
      this.load();
    });
    this.more.addEventListener('click', () => this.load(this.next));
    this.all.addEventListener('change', () => {
      this.body.querySelectorAll('input[type=checkbox]').forEach(box => { box.checked = this.all.checked; });
      this.selectionChanged();
    });
    this.force.addEventListener('change', () => this.selectionChanged());
    root.querySelector('#dlq-preview').addEventListener('click', () => this.run('replay', true));
    root.querySelector('#dlq-purge-preview').addEventListener('click', () => this.run('purge', true));
    this.replayButton.addEventListener('click', () => this.run('replay', false));
    this.purgeButton.addEventListener('click', () => this.run('purge', false));
  }

  filter() {
    const data = new FormData(this.form);
    const filter = {};
    for (const [name, value] of data.entries()) {
      if (value && name !== 'status') {
        filter[name] = name === 'from' || name === 'to' ? new Date(value).toISOString() : value;
      }
    }
    return filter;
  }

  /** Only the latest of overlapping loads is shown, so a slow earlier answer cannot undo a later preview. */
  async load(cursor = null) {
    const params = new URLSearchParams({ ...this.filter(), status: this.form.status.value, limit: String(PAGE) });
    if (cursor) {
      params.set('cursor', cursor);
    }
    const load = ++this.loads;
    this.table.setAttribute('aria-busy', 'true');
    try {
      const page = await this.api.json(`/api/v1/admin/dlq?${params}`);
      if (load !== this.loads) {
        return;
      }
      this.error.textContent = '';
      this.show(page.deadLetters || [], Boolean(cursor));
      this.next = page.next;
      this.more.hidden = !page.next;
    } catch (error) {
      if (load !== this.loads) {
        return;
      }
      this.error.textContent = error.problem
        ? `${error.problem.title}: ${error.problem.detail}`
        : 'The dead letters could not be loaded: the connection to Spool dropped. Apply the filters again to retry.';
    } finally {
      if (load === this.loads) {
        this.table.setAttribute('aria-busy', 'false');
      }
    }
  }

  show(entries, append) {
    const rows = entries.map(entry => {
      const row = document.createElement('tr');
      row.dataset.id = entry.id;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = entry.id;
      box.setAttribute('aria-label', `Select ${entry.filename || entry.jobId || entry.id}`);
      box.addEventListener('change', () => this.selectionChanged());
      const select = document.createElement('td');
      select.append(box);
      row.append(select);
      [entry.filename || entry.jobId || '(unreadable record)', entry.ownerId || '—', entry.errorCode,
        entry.exceptionClass || '—', entry.attempts, entry.replayCount, formatTime(entry.failedAt), entry.status]
        .forEach(text => {
          const cell = document.createElement('td');
          cell.textContent = String(text ?? '—');
          row.append(cell);
        });
      return row;
    });
    if (append) {
      this.body.append(...rows);
    } else {
      this.body.replaceChildren(...rows);
      this.all.checked = false;
    }
    this.empty.hidden = this.body.children.length > 0;
    this.selectionChanged();
  }

  /** By ids when rows are ticked, otherwise everything the filters match. */
  command(dryRun) {
    const ids = [...this.body.querySelectorAll('input[type=checkbox]:checked')].map(box => box.value);
    const selection = ids.length > 0 ? { ids } : { filter: this.filter() };
    return { ...selection, dryRun, force: this.force.checked };
  }

  selectionChanged() {
    this.previewed = null;
    this.replayButton.disabled = true;
    this.replayButton.textContent = 'Replay';
    this.purgeButton.disabled = true;
    this.purgeButton.textContent = 'Purge';
  }

  async run(action, dryRun) {
    const command = this.command(dryRun);
    const key = JSON.stringify({ ...command, dryRun: undefined });
    if (!dryRun && (!this.previewed || this.previewed.key !== key || this.previewed.action !== action)) {
      return;
    }
    try {
      const result = await this.api.postJson(`/api/v1/admin/dlq/${action}`, command);
      this.outcome.textContent = summary(action, result);
      if (dryRun) {
        this.previewed = { key, action };
        const button = action === 'replay' ? this.replayButton : this.purgeButton;
        const other = action === 'replay' ? this.purgeButton : this.replayButton;
        button.disabled = result.changed === 0;
        button.textContent = `${action === 'replay' ? 'Replay' : 'Purge'} ${result.changed}`;
        other.disabled = true;
      } else {
        this.announce(this.outcome.textContent);
        await this.load();
      }
    } catch (error) {
      this.outcome.textContent = error.problem ? `${error.problem.title}: ${error.problem.detail}` : error.message;
    }
  }
}

function summary(action, result) {
  const outcomes = result.outcomes || [];
  const done = outcomes.filter(o => o.action !== 'skipped').length;
  const skipped = outcomes.filter(o => o.action === 'skipped');
  const reasons = {};
  skipped.forEach(o => { reasons[o.reason] = (reasons[o.reason] || 0) + 1; });
  const why = Object.entries(reasons).map(([reason, count]) => `${count} ${reason.replace(/_/g, ' ')}`).join(', ');
  const verb = action === 'replay' ? 'replayed' : 'purged';
  const head = result.dryRun
    ? `Dry run: ${done} would be ${verb}; nothing was changed.`
    : `${result.changed} ${verb}.`;
  return skipped.length > 0 ? `${head} ${skipped.length} skipped (${why}).` : head;
}
