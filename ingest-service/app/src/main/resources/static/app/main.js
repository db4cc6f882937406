// The page: sign-in, the uploads view (drop zone, one card per file, recent jobs) and, for administrators, the
// dead letters. Everything it shows comes from the API with the signed-in token.

import { Api } from './api.js';
import { DeadLetters } from './dead-letters.js';
import { JobCard } from './job-card.js';
import { RecentJobs } from './recent-jobs.js';
import { SERVICE_LEVEL_CODES, ServiceLevelBanner } from './service-level.js';
import { adoptTokenFromFragment, claimsOf, currentToken, isAdmin, isExpired, signIn, signOut } from './session.js';

const storage = window.sessionStorage;
const byId = id => document.getElementById(id);

const page = {
  token: () => currentToken(storage),
  announce: text => speak('announce-polite', text),
  alert: text => speak('announce-alert', text),
  onRefused: code => {
    if (SERVICE_LEVEL_CODES.has(code)) {
      banner.refresh();
    }
  },
  onUnauthenticated: problem => showSignIn(problem ? 'Your token was refused: it is wrong or has expired. '
    + 'Paste a new one.' : ''),
  onCardRemoved: next => {
    const cards = byId('cards');
    byId('current').hidden = cards.children.length === 0;
    (next?.querySelector('button') || byId('file-input')).focus();
  },
};
page.api = new Api(page.token, page.onUnauthenticated);

const recent = new RecentJobs(page.api, document);
const banner = new ServiceLevelBanner(document);
const deadLetters = new DeadLetters(page.api, document, page.announce);

/** Live regions announce changes only: clear first, then set on the next frame so a repeat is announced too. */
function speak(id, text) {
  const region = byId(id);
  region.textContent = '';
  requestAnimationFrame(() => { region.textContent = text; });
}

function showSignIn(message = '') {
  recent.stop();
  byId('sign-in').hidden = false;
  byId('views').hidden = true;
  byId('who').hidden = true;
  byId('view-uploads').hidden = true;
  byId('view-dead-letters').hidden = true;
  byId('sign-in-error').textContent = message;
  byId('token').focus();
}

function showSignedIn() {
  const claims = claimsOf(page.token());
  byId('sign-in').hidden = true;
  byId('who').hidden = false;
  byId('who-name').textContent = claims?.sub || 'unknown user';
  byId('views').hidden = false;
  byId('nav-dead-letters').hidden = !isAdmin(claims);
  showView(window.location.hash === '#dead-letters' && isAdmin(claims) ? 'dead-letters' : 'uploads');
  recent.start();
}

function showView(name) {
  byId('view-uploads').hidden = name !== 'uploads';
  byId('view-dead-letters').hidden = name !== 'dead-letters';
  document.querySelectorAll('.nav').forEach(button => {
    if (button.dataset.view === name) {
      button.setAttribute('aria-current', 'page');
    } else {
      button.removeAttribute('aria-current');
    }
  });
  if (name === 'dead-letters') {
    deadLetters.load();
  }
}

function addFiles(files) {
  const list = byId('cards');
  byId('current').hidden = false;
  for (const file of files) {
    const card = new JobCard(page, file);
    list.prepend(card.element);
    card.start();
  }
  page.announce(files.length === 1 ? `Uploading ${files[0].name}.` : `Uploading ${files.length} files.`);
}

function wireDropZone() {
  const zone = byId('drop-zone');
  const input = byId('file-input');
  input.addEventListener('change', () => {
    if (input.files.length > 0) {
      addFiles([...input.files]);
    }
    input.value = '';
  });
  ['dragenter', 'dragover'].forEach(type => zone.addEventListener(type, event => {
    event.preventDefault();
    zone.classList.add('dragging');
  }));
  ['dragleave', 'drop'].forEach(type => zone.addEventListener(type, () => zone.classList.remove('dragging')));
  zone.addEventListener('drop', event => {
    event.preventDefault();
    const files = [...(event.dataTransfer?.files || [])];
    if (files.length > 0) {
      addFiles(files);
    }
  });
  // A file dropped beside the zone would otherwise replace the page and lose every upload in progress.
  window.addEventListener('dragover', event => event.preventDefault());
  window.addEventListener('drop', event => event.preventDefault());
}

function wireSignIn() {
  byId('sign-in-form').addEventListener('submit', event => {
    event.preventDefault();
    const token = byId('token').value.trim();
    const claims = claimsOf(token);
    if (!claims) {
      byId('sign-in-error').textContent = 'This is not a token: a token has three parts separated by dots.';
      return;
    }
    if (isExpired(claims, Date.now())) {
      byId('sign-in-error').textContent = 'This token has expired. Ask for a new one, or restart the launcher for a new demo token.';
      return;
    }
    signIn(storage, token);
    byId('token').value = '';
    showSignedIn();
    byId('main').focus();
  });
  byId('sign-out').addEventListener('click', () => {
    signOut(storage);
    showSignIn();
  });
  document.querySelectorAll('.nav').forEach(button => button.addEventListener('click', () => {
    showView(button.dataset.view);
    window.history.replaceState(null, '', button.dataset.view === 'uploads' ? '#' : `#${button.dataset.view}`);
  }));
}

function boot() {
  banner.start();
  adoptTokenFromFragment(window.location, window.history, storage);
  wireSignIn();
  wireDropZone();
  const claims = claimsOf(page.token());
  if (!claims || isExpired(claims, Date.now())) {
    showSignIn(claims ? 'Your token has expired. Paste a new one.' : '');
  } else {
    showSignedIn();
  }
}

boot();
