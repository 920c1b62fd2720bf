/**
 * What every HTTP surface shares: the JSON error body ({@link io.swarmcast.web.ApiError}), the one
 * exception handler that writes it, the reading of optional command fields, and the rate-limited log of
 * rejected requests. Feature packages use it; it knows none of them.
 */
package io.swarmcast.web;
