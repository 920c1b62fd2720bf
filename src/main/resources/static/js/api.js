/**
 * Requests to the server's HTTP API (the page's own origin). Every `/api` call the page makes goes through
 * here, so anything they all need is added in one place: on a server with tokens the page is opened as
 * /?token=<viewer token>, and the token goes with each call as an Authorization header (not in the URL, so
 * proxies and access logs do not see it).
 */
const token = new URLSearchParams(location.search).get('token');

export async function getJson(path) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { headers, cache: 'no-store' });
  if (!response.ok) {
    // The status and the JSON error body go with the error: a caller may act on them (410 names the oldest point).
    const error = new Error(`GET ${path}: HTTP ${response.status}`);
    error.status = response.status;
    error.body = await response.json().catch(() => null);
    throw error;
  }
  return response.json();
}
