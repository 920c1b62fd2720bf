package io.swarmcast.security;

import io.swarmcast.SwarmcastProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The small rules of the security layer, one by one: tokens, where they are found, origins, hosts, the CSP. */
class SecurityRulesTest {

    private static SwarmcastProperties properties(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("swarmcast", SwarmcastProperties.class);
    }

    @Test
    void tokensGrantTheirRoleAndAProducerTokenWinsOverAViewerToken() {
        TokenVerifier verifier = new TokenVerifier(properties(Map.of(
                "swarmcast.auth.viewer-tokens", "viewer-one-0123456789,viewer-two-0123456789",
                "swarmcast.auth.producer-tokens", "producer-0123456789")));
        assertThat(verifier.enabled()).isTrue();
        assertThat(verifier.verify("viewer-one-0123456789")).contains(Role.VIEWER);
        assertThat(verifier.verify("viewer-two-0123456789")).contains(Role.VIEWER);
        assertThat(verifier.verify("producer-0123456789")).contains(Role.PRODUCER);
        assertThat(verifier.verify("producer-012345678")).as("a prefix").isEmpty();
        assertThat(verifier.verify("producer-01234567890")).as("longer").isEmpty();
        assertThat(verifier.verify("")).isEmpty();
        assertThat(verifier.verify(null)).isEmpty();
        assertThat(Role.PRODUCER.grants(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.grants(Role.PRODUCER)).isFalse();
    }

    @Test
    void withoutTokensAuthenticationIsOff() {
        assertThat(new TokenVerifier(properties(Map.of())).enabled()).isFalse();
    }

    @Test
    void theHeaderWinsOverTheSubprotocolWhichWinsOverTheQuery() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ws");
        request.setQueryString("a=1&token=from-query&b=2");
        assertThat(BearerCredentials.of(request, true)).isEqualTo("from-query");
        request.addHeader("Sec-WebSocket-Protocol", "swarmcast.v1, bearer.from-subprotocol");
        assertThat(BearerCredentials.of(request, true)).isEqualTo("from-subprotocol");
        assertThat(BearerCredentials.of(request, false)).as("subprotocols count on handshakes only").isEqualTo("from-query");
        request.addHeader("Authorization", "Bearer from-header");
        assertThat(BearerCredentials.of(request, true)).isEqualTo("from-header");
        assertThat(BearerCredentials.queryToken("token=a%2Db")).isEqualTo("a-b");
        assertThat(BearerCredentials.queryToken("tokens=x")).isNull();
        assertThat(BearerCredentials.queryToken("token=%zz")).isEmpty();
    }

    @Test
    void theDefaultOriginsAreThisMachinesOnAnyPort() {
        OriginPolicy policy = new OriginPolicy(properties(Map.of()));
        for (String allowed : new String[] {"http://localhost:5173", "http://localhost", "http://127.0.0.1:3001", "http://[::1]:8080"}) {
            assertThat(policy.allows(withOrigin(allowed))).as(allowed).isTrue();
        }
        for (String refused : new String[] {"http://evil.example", "null", "https://localhost:5173", "http://localhost.evil.example",
                "http://127.0.0.2:3001", "http://localhost:3001.evil.example"}) {
            assertThat(policy.allows(withOrigin(refused))).as(refused).isFalse();
        }
        assertThat(policy.allows(new MockHttpServletRequest("POST", "/api/events"))).as("no Origin: not a browser page").isTrue();
    }

    @Test
    void sameOriginCountsOnlyWithTokens() {
        MockHttpServletRequest rebound = withOrigin("http://evil.example:3001");
        rebound.setServerName("evil.example");
        rebound.setServerPort(3001);
        assertThat(new OriginPolicy(properties(Map.of())).allows(rebound)).isFalse();
        assertThat(new OriginPolicy(properties(Map.of("swarmcast.auth.viewer-tokens", "viewer-0123456789abc"))).allows(rebound)).isTrue();
    }

    @Test
    void loopbackHostNames() {
        for (String name : new String[] {"localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "localhost."}) {
            assertThat(LoopbackHost.is(name)).as(name).isTrue();
        }
        for (String name : new String[] {"evil.example", "localhost.evil.example", "127.0.0.1.evil.example", "10.0.0.1", "[::2]"}) {
            assertThat(LoopbackHost.is(name)).as(name).isFalse();
        }
        assertThat(ExposureGuard.isLoopback("localhost")).isTrue();
        assertThat(ExposureGuard.isLoopback("127.0.0.1")).isTrue();
        assertThat(ExposureGuard.isLoopback("::1")).isTrue();
        assertThat(ExposureGuard.isLoopback("0.0.0.0")).isFalse();
        assertThat(ExposureGuard.isLoopback("")).isFalse();
    }

    @Test
    void theContentSecurityPolicyNamesTheSocketOfAPlainHostOnly() {
        assertThat(SecurityHeaders.policy("localhost:3001")).contains("connect-src 'self' ws://localhost:3001 wss://localhost:3001;");
        assertThat(SecurityHeaders.policy("[::1]:3001")).contains("ws://[::1]:3001");
        assertThat(SecurityHeaders.policy("evil; script-src *")).contains("connect-src 'self';").doesNotContain("script-src *");
        assertThat(SecurityHeaders.policy(null)).contains("connect-src 'self';");
    }

    @Test
    void whatARequestNeeds() {
        assertThat(AccessRules.required(request("GET", "/"), false)).isEqualTo(AccessRules.Access.OPEN);
        assertThat(AccessRules.required(request("GET", "/"), true)).isEqualTo(AccessRules.Access.VIEWER);
        assertThat(AccessRules.required(request("GET", "/actuator/health/readiness"), false)).isEqualTo(AccessRules.Access.OPEN);
        assertThat(AccessRules.required(request("GET", "/actuator/prometheus"), false)).isEqualTo(AccessRules.Access.VIEWER);
        assertThat(AccessRules.required(request("GET", "/api/state"), false)).isEqualTo(AccessRules.Access.VIEWER);
        assertThat(AccessRules.required(request("GET", "/anything/else"), false)).isEqualTo(AccessRules.Access.VIEWER);
        assertThat(AccessRules.required(request("POST", "/"), false)).isEqualTo(AccessRules.Access.PRODUCER);
        assertThat(AccessRules.required(request("DELETE", "/api/agents/a"), false)).isEqualTo(AccessRules.Access.PRODUCER);
        assertThat(AccessRules.required(request("PATCH", "/js/app.js"), false)).isEqualTo(AccessRules.Access.PRODUCER);
    }

    /** As Tomcat hands it over behind the DispatcherServlet (mapped to "/"): the path is the servlet path. */
    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        return request;
    }

    private static MockHttpServletRequest withOrigin(String origin) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/events");
        request.addHeader("Origin", origin);
        request.setServerName("localhost");
        request.setServerPort(3001);
        return request;
    }
}
