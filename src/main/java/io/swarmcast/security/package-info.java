/**
 * Who may do what, from where (docs/security.md): bearer tokens for viewers and producers
 * ({@link io.swarmcast.security.TokenVerifier}), the browser-origin policy
 * ({@link io.swarmcast.security.OriginPolicy}), the one servlet filter that applies both to every HTTP request
 * and WebSocket handshake ({@link io.swarmcast.security.SecurityFilter}), the refusal to start exposed without
 * tokens ({@link io.swarmcast.security.ExposureGuard}), and the security headers of the built-in dashboard.
 * No Spring Security: docs/security.md says why.
 */
package io.swarmcast.security;
