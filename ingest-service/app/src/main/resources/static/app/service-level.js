// The banner at the top of the page while operators have the service in maintenance or degraded. It reads the
// public /api/v1/service-level (no token needed, so it shows before sign-in too) on load, every 30 seconds, when the
// tab becomes visible again and at once when an upload is refused for the service level.

const POLL_MILLIS = 30_000;

const LEVELS = {
  maintenance: { title: 'Under maintenance',
    message: 'Uploads are paused for now. Your jobs and their status are unaffected; upload again later.' },
  degraded: { title: 'Reduced service',
    message: 'Low-priority uploads are paused for now; other uploads go on. Your jobs and their status are unaffected.' },
};

/** Problem codes of uploads refused for the service level. */
export const SERVICE_LEVEL_CODES = new Set(['service_maintenance', 'service_degraded']);

/**
 * What the banner says for a service level, or null when there is nothing to say (full, or a level this page does
 * not know).
 * @param level {level, message, since} as /api/v1/service-level answers
 */
export function describeServiceLevel(level) {
  const known = LEVELS[level?.level];
  if (!known) {
    return null;
  }
  const message = typeof level.message === 'string' && level.message.trim() ? level.message.trim() : known.message;
  return { level: level.level, title: known.title, message };
}

export class ServiceLevelBanner {
  constructor(root) {
    this.banner = root.querySelector('#service-level');
    this.title = root.querySelector('#service-level-title');
    this.message = root.querySelector('#service-level-message');
    this.timer = null;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        this.refresh();
      }
    });
  }

  start() {
    this.refresh();
  }

  async refresh() {
    clearTimeout(this.timer);
    try {
      const response = await fetch('/api/v1/service-level', { headers: { Accept: 'application/json' } });
      if (response.ok) {
        this.show(describeServiceLevel(await response.json()));
      }
    } catch {
      // Unreachable: the banner stays as it was; the next round asks again.
    }
    this.timer = setTimeout(() => this.refresh(), POLL_MILLIS);
  }

  show(description) {
    this.banner.hidden = !description;
    this.banner.dataset.level = description?.level || 'full';
    this.title.textContent = description?.title || '';
    this.message.textContent = description?.message || '';
  }
}
