/** The swarm coordinator: which agents form the swarm and how they are wired; REST at {@code /api/swarm}. */
package io.swarmcast.swarm;
