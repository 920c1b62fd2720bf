/**
 * The domain state shared by instances on the Redis log: every instance folds every event its tail delivers (its own
 * and the others', in seq order) into its services, without raising anything; a checkpoint of the folded state in
 * Redis lets a new instance start without reading the whole stream (docs/scaling.md, "Shared state and
 * consistency"). Only with {@code swarmcast.log.type=redis}; with the in-memory log nothing here exists.
 */
package io.swarmcast.replica;
