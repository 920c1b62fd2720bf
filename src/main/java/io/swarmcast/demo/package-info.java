/**
 * The simulated swarm behind {@code --demo}: a coordinator and its workers playing a believable, seeded story
 * through the real domain services, so every dashboard feature has something to show.
 */
package io.swarmcast.demo;
