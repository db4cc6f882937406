// Calls to Spool's API with the signed-in token. Refusals become ApiProblem (the RFC 9457 body, or one made up from
// the status when a proxy answered without one); a request that never got an answer becomes NetworkError.

export class ApiProblem extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.problem = problem;
  }
}

export class NetworkError extends Error {
}

/** A problem from a response's status, headers and body text, whoever sent it. */
export function problemFrom(status, header, bodyText) {
  let problem = null;
  try {
    const parsed = bodyText ? JSON.parse(bodyText) : null;
    if (parsed && typeof parsed === 'object' && parsed.code) {
      problem = parsed;
    }
  } catch {
    // Not JSON: a proxy or a server error page; described from the status below.
  }
  problem = problem || {
    status,
    code: status === 401 ? 'unauthenticated' : status === 429 ? 'rate_limited' : status >= 500 ? 'internal' : 'unknown',
    title: `HTTP ${status}`,
    detail: status >= 500 ? 'The server could not answer; try again in a moment.' : 'The request was refused.',
  };
  if (problem.retryAfterSeconds == null) {
    const seconds = Number.parseInt(header('Retry-After') || '', 10);
    if (!Number.isNaN(seconds)) {
      problem.retryAfterSeconds = seconds;
    }
  }
  return problem;
}

export class Api {
  /**
   * @param token supplies the current bearer token
   * @param onUnauthenticated called when the server refuses the token, so the page can ask for a new one
   */
  constructor(token, onUnauthenticated) {
    this.token = token;
    this.onUnauthenticated = onUnauthenticated;
  }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.token()}`, ...extra };
  }

  async fetch(path, options = {}) {
    let response;
    try {
      response = await fetch(path, { ...options, headers: this.headers(options.headers) });
    } catch (error) {
      if (error.name === 'AbortError') {
        throw error;
      }
      throw new NetworkError(error.message);
    }
    if (!response.ok && response.status !== 204) {
      const problem = problemFrom(response.status, name => response.headers.get(name), await response.text());
      if (problem.code === 'unauthenticated') {
        this.onUnauthenticated(problem);
      }
      throw new ApiProblem(problem);
    }
    return response;
  }

  async json(path, options = {}) {
    const response = await this.fetch(path, { ...options, headers: { Accept: 'application/json', ...options.headers } });
    return response.status === 204 ? null : response.json();
  }

  async postJson(path, body) {
    return this.json(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  }
}
