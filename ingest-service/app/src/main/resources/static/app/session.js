// The signed-in person: a bearer token kept in this tab's sessionStorage, and the claims the page reads from it to
// decide what to show. The server checks the token on every call; the claims here only shape the page.

const KEY = 'spool.token';

/** Takes a token from the URL fragment (#token=…), which the launcher's sign-in link carries, and hides it. */
export function adoptTokenFromFragment(location, history, storage) {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get('token');
  if (!token) {
    return false;
  }
  storage.setItem(KEY, token.trim());
  // Out of the address bar and the history, so the token is not bookmarked or shared by accident.
  history.replaceState(null, '', location.pathname + location.search);
  return true;
}

export function currentToken(storage) {
  return storage.getItem(KEY);
}

export function signIn(storage, token) {
  storage.setItem(KEY, token.trim());
}

export function signOut(storage) {
  storage.removeItem(KEY);
}

/** The token's claims, or null when it is not a JWT. Not a verification: only the server can verify. */
export function claimsOf(token) {
  const parts = (token || '').trim().split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), c => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

export function isAdmin(claims) {
  const roles = claims && claims.roles;
  return Array.isArray(roles) ? roles.includes('admin') : roles === 'admin';
}

/** Whether the token's expiry has passed at {@code nowMillis}. */
export function isExpired(claims, nowMillis) {
  return Boolean(claims && typeof claims.exp === 'number' && claims.exp * 1000 <= nowMillis);
}
