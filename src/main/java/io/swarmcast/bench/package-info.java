/**
 * Benchmark support inside the server, off unless {@code swarmcast.bench.enabled=true}: an in-process event
 * source that measures fan-out without HTTP ingest in the way. Never enable it on a server others can reach.
 */
package io.swarmcast.bench;
