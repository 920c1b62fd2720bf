/** The message bus between agents; REST at {@code /api/messages}. */
package io.swarmcast.message;
