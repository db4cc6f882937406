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

/** How each EXIF orientation turns the stored pixels to show the photo upright; 1 (as stored) needs no word. */
const ORIENTATIONS = {
  2: 'mirrored',
  3: 'turned 180°',
  4: 'mirrored top to bottom',
  5: 'mirrored and turned',
  6: 'turned 90° clockwise',
  7: 'mirrored and turned',
  8: 'turned 90° counter-clockwise',
};

/**
 * The few facts of a photo ({@code result.image}) worth a line each on its card, as [label, text] pairs in the order
 * shown: size, camera, when it was taken, its caption. Empty for documents that are not photos. The position is left
 * to the job view: a card is often on a shared screen.
 */
export function describePhoto(image) {
  if (!image) {
    return [];
  }
  const facts = [];
  if (image.width && image.height) {
    const turned = ORIENTATIONS[image.orientation];
    facts.push(['Size', `${image.width} × ${image.height} pixels${turned ? `, shown ${turned}` : ''}`]);
  }
  const camera = cameraName(image.cameraMake, image.cameraModel);
  if (camera) {
    facts.push(['Camera', camera]);
  }
  if (image.capturedAt) {
    facts.push(['Taken', formatCapturedAt(image.capturedAt)]);
  }
  const caption = image.description || image.headline || image.title;
  if (caption) {
    facts.push(['Caption', caption]);
  }
  return facts;
}

/** Make and model, the make once: cameras often repeat it in the model ("Canon", "Canon EOS R6"). */
function cameraName(make, model) {
  if (make && model) {
    return model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`;
  }
  return model || make || null;
}

/**
 * The capture time as the camera wrote it, not turned into the reader's zone: without an offset it is the camera's
 * local time, which no zone would make right. "2024-06-15T18:42:07+02:00" reads "2024-06-15 18:42 (UTC+02:00)".
 */
function formatCapturedAt(iso) {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!match) {
    return iso;
  }
  const [, date, time, offset] = match;
  if (!offset) {
    return `${date} ${time}`;
  }
  return `${date} ${time} (UTC${offset === 'Z' ? '' : offset})`;
}
