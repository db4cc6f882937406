// Downloads of a job's original file and extracted text. The API answers each with a short-lived presigned S3 URL;
// a plain link could not send the bearer token, and a script cannot read where a cross-origin redirect goes, so
// the page asks for the URL as JSON (redirect=false) and opens it. S3 serves it as an attachment: the browser
// saves the file and the page stays where it is.

export const DOWNLOADS = {
  original: { label: 'Download original', path: '/original' },
  text: { label: 'Download text', path: '/text/download' },
};

/** The API path that answers a job's download URL as JSON instead of redirecting to it. */
export function downloadLinkPath(jobId, kind) {
  const download = DOWNLOADS[kind];
  if (!download) {
    throw new Error(`Unknown download '${kind}'.`);
  }
  return `/api/v1/jobs/${encodeURIComponent(jobId)}${download.path}?redirect=false`;
}

/** The URL to open from the API's answer {url, expiresAt}; an error when it is unusable or already expired. */
export function usableLink(answer, now = Date.now()) {
  let url;
  try {
    url = new URL(answer?.url);
  } catch {
    throw new Error('Spool did not send a download link. Try again.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('Spool sent a download link this page cannot open.');
  }
  const expires = Date.parse(answer.expiresAt);
  if (!Number.isNaN(expires) && expires <= now) {
    throw new Error('The download link expired before it could be opened. Try again.');
  }
  return url.href;
}

/** What a card says when a download could not start: the server's words for a refusal, else the connection. */
export function describeDownloadProblem(error, kind) {
  const what = DOWNLOADS[kind]?.label.replace('Download ', 'the ') || 'the file';
  if (error?.problem) {
    return { code: error.problem.code || 'unknown', title: `Could not download ${what}`,
      message: error.problem.detail || error.problem.title || 'The server refused the download.', retryButton: false };
  }
  return { code: 'download_failed', title: `Could not download ${what}`,
    message: error?.message || 'The connection to Spool dropped. Try again.', retryButton: false };
}

/** Asks the API for the download URL with the caller's token, then lets the browser fetch and save the file. */
export async function startDownload(api, jobId, kind, doc = document) {
  const href = usableLink(await api.json(downloadLinkPath(jobId, kind)));
  const link = doc.createElement('a');
  link.href = href;
  link.rel = 'noopener noreferrer';
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
}
