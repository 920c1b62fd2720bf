package io.swarmcast.launch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This build's version, read without Spring: the jar manifest, else the build info Maven wrote. */
public final class BuildVersion {

    private BuildVersion() {
    }

    public static String current() {
        String fromManifest = BuildVersion.class.getPackage().getImplementationVersion();
        if (fromManifest != null && !fromManifest.isBlank()) {
            return fromManifest;
        }
        try (InputStream in = BuildVersion.class.getResourceAsStream("/META-INF/build-info.properties")) {
            if (in != null) {
                Properties info = new Properties();
                info.load(in);
                String version = info.getProperty("build.version");
                if (version != null && !version.isBlank()) {
                    return version;
                }
            }
        } catch (IOException unreadable) {
            // fall through: the version is not worth failing for
        }
        return "unknown";
    }
}
