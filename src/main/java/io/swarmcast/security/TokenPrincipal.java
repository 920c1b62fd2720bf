package io.swarmcast.security;

import java.security.Principal;

/**
 * Who a request is, as the servlet API tells the rest of the application (the actuator shows health details
 * only to a request with a principal: {@code management.endpoint.health.show-details=when-authorized}).
 * {@code local} is anyone when authentication is off and the server listens on loopback only.
 */
record TokenPrincipal(String name, Role role) implements Principal {

    static final TokenPrincipal LOCAL = new TokenPrincipal("local", Role.VIEWER);

    static TokenPrincipal of(Role role) {
        return new TokenPrincipal(role.name().toLowerCase(java.util.Locale.ROOT), role);
    }

    @Override
    public String getName() {
        return name;
    }

    boolean isInRole(String roleName) {
        return role.name().equalsIgnoreCase(roleName) || (role == Role.PRODUCER && Role.VIEWER.name().equalsIgnoreCase(roleName));
    }
}
