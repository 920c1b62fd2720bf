/** What the domain services share: the one lock that keeps state and events in step, domain errors, rate windows. */
package io.swarmcast.domain;
