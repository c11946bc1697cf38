package org.clusterbackup.core.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version Maven stamped into the jar, or "development" when run from classes. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"Cluster Backup " + (v == null ? "development build" : v)};
    }
}
