package org.clusterbackup.core.security;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.clusterbackup.core.model.InvalidInputException;

/**
 * The servers an agent serves: fingerprints given on the command line plus those in a trust file (one a
 * line, blanks and {@code #} lines ignored; a line may also be {@code backup-server fingerprint}'s own
 * output, {@code fingerprint SHA256:…}, so that output can be appended as it is). The file is read again whenever its modification time or size
 * changes, so a server is added or removed without restarting the agent. A file that turns unreadable or
 * malformed keeps the last good list, with a warning: an agent should not lock its servers out over a typo.
 */
public final class ServerTrust implements PeerCheck {
    private static final System.Logger LOG = System.getLogger(ServerTrust.class.getName());
    /** Said wherever an agent has no server to trust. */
    public static final String HOW_TO_TRUST = "give --trust-server with the server's fingerprint "
            + "(`backup-server fingerprint --data-dir DIR` prints it) or --trust-file FILE";

    private final Set<Fingerprint> given;
    private final Path file;
    private FileTime fileTime;
    private long fileSize = -1;
    private Set<Fingerprint> fromFile = Set.of();
    /** Counts the changes of the file's list: the agent's listener stops resuming sessions at each. */
    private long version;

    /**
     * @param given fingerprints from the command line
     * @param file a trust file, or null
     * @throws IOException the trust file cannot be read, or holds a malformed line
     */
    public ServerTrust(List<Fingerprint> given, Path file) throws IOException {
        this.given = Set.copyOf(given);
        this.file = file;
        if (file != null) {
            try {
                fromFile = read(file);
                fileTime = Files.getLastModifiedTime(file);
                fileSize = Files.size(file);
            } catch (NoSuchFileException e) {
                throw new IOException("trust file " + file + " does not exist", e);
            } catch (InvalidInputException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** True when at least one server is trusted now. */
    public synchronized boolean isEmpty() {
        refresh();
        return given.isEmpty() && fromFile.isEmpty();
    }

    @Override
    public void check(Fingerprint presented) throws PeerIdentityException {
        Set<Fingerprint> trusted = trusted();
        if (!trusted.contains(presented)) {
            throw new PeerIdentityException(
                    "server identity " + presented + " is not trusted by this agent (it trusts " + trusted.size()
                            + " server" + (trusted.size() == 1 ? "" : "s") + ")",
                    presented);
        }
    }

    @Override
    public synchronized long trustVersion() {
        refresh();
        return version;
    }

    private synchronized Set<Fingerprint> trusted() {
        refresh();
        Set<Fingerprint> all = new HashSet<>(given);
        all.addAll(fromFile);
        return all;
    }

    private void refresh() {
        if (file == null) {
            return;
        }
        try {
            FileTime time = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (time.equals(fileTime) && size == fileSize) {
                return;
            }
            Set<Fingerprint> read = read(file);
            if (!read.equals(fromFile)) {
                version++;
            }
            fromFile = read;
            fileTime = time;
            fileSize = size;
            LOG.log(Level.INFO, "trust file {0} re-read: {1} servers", file, fromFile.size());
        } catch (NoSuchFileException e) {
            LOG.log(Level.WARNING, "trust file {0} is gone; keeping its last {1} servers", file, fromFile.size());
        } catch (IOException | InvalidInputException e) {
            LOG.log(
                    Level.WARNING,
                    "trust file {0} not re-read ({1}); keeping its last {2} servers",
                    file,
                    e.getMessage(),
                    fromFile.size());
        }
    }

    private static Set<Fingerprint> read(Path file) throws IOException {
        Set<Fingerprint> all = new HashSet<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("fingerprint ")) {
                line = line.substring("fingerprint ".length());
            }
            if (!line.isEmpty() && !line.startsWith("#")) {
                all.add(Fingerprint.parse(line, file + " line " + (i + 1)));
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return "ServerTrust[" + given.size() + " given" + (file == null ? "" : ", file " + Objects.toString(file))
                + "]";
    }
}
