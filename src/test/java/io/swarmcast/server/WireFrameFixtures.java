package io.swarmcast.server;

/** Builds {@link WireFrame}s for tests outside the server package, whose factories are package-private. */
public final class WireFrameFixtures {

    private WireFrameFixtures() {
    }

    public static WireFrame text(String text) {
        return WireFrame.text(text);
    }

    public static WireFrame ping() {
        return WireFrame.PING;
    }
}
