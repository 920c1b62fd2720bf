/** The protocol's events: typed records, channels, validation and the frame codec. */
package io.swarmcast.event;
