// How sizes, durations and times read on the page.

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes) {
  if (bytes == null || Number.isNaN(bytes)) {
    return '—';
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) {
    return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  }
  const digits = value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatSeconds(seconds) {
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

export function formatTime(iso, now = new Date()) {
  if (!iso) {
    return '—';
  }
  const at = new Date(iso);
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? at.toLocaleTimeString() : at.toLocaleString();
}

export function formatCount(n) {
  return n == null ? '—' : Number(n).toLocaleString();
}

const LANGUAGES = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', it: 'Italian', nl: 'Dutch', pt: 'Portuguese' };

export function formatLanguage(code) {
  if (!code) {
    return 'unknown';
  }
  return LANGUAGES[code] ? `${LANGUAGES[code]} (${code})` : code;
}

/**
 * What the page says of a text cut at an extraction limit ({@code result.truncated}), or null when the text is whole:
 * the job completed with the text up to the limit, so the reader must know the rest is missing.
 */
export function describeTruncation(truncated) {
  if (!truncated) {
    return null;
  }
  const unit = truncated.limit === 'pages' ? 'pages' : 'characters';
  return `Only the first ${formatCount(truncated.at)} ${unit} were extracted: the document goes on beyond the limit.`;
}
