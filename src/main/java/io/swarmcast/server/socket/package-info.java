/**
 * How frames reach a client's connection: the direct path into Tomcat's socket, the standard path through
 * the Jakarta WebSocket API, and the startup choice between them ({@code swarmcast.delivery.socket}).
 */
package io.swarmcast.server.socket;
