package org.clusterbackup.core.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.fs.AtomicFile;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.security.Fingerprint;

/**
 * The operator's pins of server identities, SSH {@code known_hosts} style: one {@code HOST:PORT
 * SHA256:…} a line in {@code known_servers} of the operator's config dir. Shared by {@code backupctl} and
 * the console.
 */
public final class KnownServers {
    public static final String FILE_NAME = "known_servers";
    private final Path file;

    public KnownServers(Path configDir) {
        this.file = configDir.resolve(FILE_NAME);
    }

    /**
     * The operator's config dir: {@code $XDG_CONFIG_HOME/cluster-backup}, else
     * {@code $HOME/.config/cluster-backup}.
     */
    public static Path configDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "cluster-backup");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "cluster-backup");
    }

    public Path file() {
        return file;
    }

    /** The pinned identity of {@code server}, if any. */
    public Optional<Fingerprint> pinOf(HostPort server) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String key = server.toString();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String[] words = lines.get(i).strip().split("\\s+");
            if (words.length == 2 && words[0].equals(key)) {
                try {
                    return Optional.of(Fingerprint.parse(words[1], file + " line " + (i + 1)));
                } catch (InvalidInputException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }
        }
        return Optional.empty();
    }

    /** Pins {@code server} to {@code identity}, replacing its line if it had one; the file is replaced whole. */
    public void pin(HostPort server, Fingerprint identity) throws IOException {
        Files.createDirectories(file.getParent());
        List<String> kept = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.strip().startsWith(server + " ")) {
                    kept.add(line);
                }
            }
        }
        kept.add(server + " " + identity.value());
        AtomicFile.replaceOwnerOnly(file, out -> {
            for (String line : kept) {
                out.write((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
            }
        });
    }
}
