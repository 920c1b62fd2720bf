/** Where domain events become dashboard events: the publisher, the metrics ticker, and the state document. */
package io.swarmcast.publish;
