/** The event log: sequence numbers, history for replay and resume, and the tail that feeds live delivery. */
package io.swarmcast.log;
