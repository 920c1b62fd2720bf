/** The WebSocket side: the event server, client sessions and subscriptions, fan-out, heartbeat and limits. */
package io.swarmcast.server;
