/**
 * Requests to the server's HTTP API (the page's own origin). Every `/api` call the page makes goes through
 * here, so anything they all need (an access token, say) is added in one place.
 */
export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.json();
}
