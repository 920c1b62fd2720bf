package io.swarmcast.log;

/**
 * A tail listener that sees each event before delivery does: the shared log's state fold (io.swarmcast.replica), so
 * that the domain state has applied an event before any client receives it, and the trace index
 * (io.swarmcast.trace), so that a client that saw an event can look its trace up. The event server chains the beans of
 * this type ahead of its own listener; a distinct type, so that looking them up never finds the delivery itself.
 */
public interface StateTailListener extends EventLog.TailListener {
}
