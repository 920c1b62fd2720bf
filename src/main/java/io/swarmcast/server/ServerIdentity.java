package io.swarmcast.server;

import io.swarmcast.SwarmcastProperties;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This instance's name, in welcome frames and the health details: {@code swarmcast.server-id}, or the host
 * name when that is blank (several instances behind one address tell themselves apart by it).
 */
public record ServerIdentity(String serverId) {

    static ServerIdentity of(SwarmcastProperties properties) {
        if (properties.serverId() != null && !properties.serverId().isBlank()) {
            return new ServerIdentity(properties.serverId());
        }
        try {
            return new ServerIdentity(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return new ServerIdentity("swarmcast");
        }
    }
}
