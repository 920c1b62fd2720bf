package io.swarmcast.security;

import io.swarmcast.SwarmcastProperties;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Checks a presented token against the configured viewer and producer tokens. Only SHA-256 digests are kept
 * and compared, with {@link MessageDigest#isEqual} (constant time for equal lengths, and every digest has the
 * same length), against every configured token without stopping at a match: how long a check takes says
 * nothing about how much of a token was right, how long the real one is, or which list it is in.
 */
@Component
public class TokenVerifier {

    private final List<byte[]> viewerDigests;
    private final List<byte[]> producerDigests;

    TokenVerifier(SwarmcastProperties properties) {
        this.viewerDigests = properties.auth().viewerTokens().stream().map(TokenVerifier::digest).toList();
        this.producerDigests = properties.auth().producerTokens().stream().map(TokenVerifier::digest).toList();
    }

    /** Whether any token is configured; without one, authentication is off. */
    public boolean enabled() {
        return !viewerDigests.isEmpty() || !producerDigests.isEmpty();
    }

    /** The role the token grants, or empty when it is none of the configured ones. */
    public Optional<Role> verify(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = digest(token);
        boolean producer = matchesAny(presented, producerDigests);
        boolean viewer = matchesAny(presented, viewerDigests);
        return producer ? Optional.of(Role.PRODUCER) : viewer ? Optional.of(Role.VIEWER) : Optional.empty();
    }

    private static boolean matchesAny(byte[] presented, List<byte[]> digests) {
        boolean match = false;
        for (byte[] candidate : digests) {
            match |= MessageDigest.isEqual(presented, candidate);
        }
        return match;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
