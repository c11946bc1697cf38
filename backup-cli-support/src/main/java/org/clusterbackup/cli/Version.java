package org.clusterbackup.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Manifest;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the Implementation-Version Maven stamped into this module's jar manifest, or "development
 * build" when run from classes. Read as a resource because a named module's {@code Package} does not carry
 * manifest attributes.
 */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"Cluster Backup " + implementationVersion()};
    }

    static String implementationVersion() {
        try (InputStream in = Version.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            String v = in == null ? null : new Manifest(in).getMainAttributes().getValue("Implementation-Version");
            return v == null ? "development build" : v;
        } catch (IOException e) {
            return "development build";
        }
    }
}
