package org.clusterbackup.core.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.PeerCheck;
import org.clusterbackup.core.security.PeerIdentityException;

/**
 * How an operator's client ({@code backupctl}, the console) proves itself and checks the server, from the
 * same flags and environment in both: the server's identity from {@code --server-fingerprint} /
 * {@code BACKUP_SERVER_FINGERPRINT} (which pins it in {@code known_servers} and wins over a pin there), else
 * from {@code known_servers}; the token from {@code --token-file}, else {@code BACKUP_TOKEN}, else the file
 * {@code token} beside {@code known_servers}.
 *
 * <p>An unknown server is refused with {@link UnknownServerException}; only a person at a prompt may then
 * accept it ({@link #accept}), and the client dials again: nobody waits inside a handshake for a human.
 */
public final class OperatorAccess {
    public static final String FINGERPRINT_ENV = "BACKUP_SERVER_FINGERPRINT";
    public static final String TOKEN_ENV = "BACKUP_TOKEN";
    public static final String TOKEN_FILE = "token";

    private final KnownServers known;
    private final Path configDir;
    private final Fingerprint explicit;
    private final String explicitSource;
    private final Path tokenFile;
    private final Map<String, String> env;

    /**
     * @param env the environment ({@code XDG_CONFIG_HOME}, {@code HOME}, the two variables above)
     * @param serverFingerprint {@code --server-fingerprint}, or null
     * @param tokenFile {@code --token-file}, or null
     * @throws org.clusterbackup.core.model.InvalidInputException a given fingerprint is malformed
     */
    public OperatorAccess(Map<String, String> env, String serverFingerprint, Path tokenFile) {
        this.env = Map.copyOf(env);
        this.configDir = KnownServers.configDir(env);
        this.known = new KnownServers(configDir);
        String fromEnv = env.get(FINGERPRINT_ENV);
        if (serverFingerprint != null) {
            explicit = Fingerprint.parse(serverFingerprint, "--server-fingerprint");
            explicitSource = "--server-fingerprint";
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            explicit = Fingerprint.parse(fromEnv, FINGERPRINT_ENV);
            explicitSource = FINGERPRINT_ENV;
        } else {
            explicit = null;
            explicitSource = null;
        }
        this.tokenFile = tokenFile;
    }

    /** {@code client} with this operator's server check and token (both read when it dials). */
    public BackupClient apply(BackupClient client) {
        return client.withServerCheck(serverCheck(client.server())).withTokens(() -> token().orElse(null));
    }

    /** Pins {@code identity} for {@code server} after a person accepted it. */
    public void accept(HostPort server, Fingerprint identity) throws IOException {
        known.pin(server, identity);
    }

    PeerCheck serverCheck(HostPort server) {
        if (explicit != null) {
            return presented -> {
                if (!presented.equals(explicit)) {
                    throw new PeerIdentityException(
                            "server " + server + " presented identity " + presented + ", not " + explicit + " ("
                                    + explicitSource + "): refused",
                            presented);
                }
                pinQuietly(server, presented);
            };
        }
        return presented -> {
            Optional<Fingerprint> pinned;
            try {
                pinned = known.pinOf(server);
            } catch (IOException e) {
                throw new PeerIdentityException("cannot read " + known.file() + ": " + e.getMessage(), presented);
            }
            if (pinned.isEmpty()) {
                throw new UnknownServerException.Marker(server, presented);
            }
            if (!pinned.get().equals(presented)) {
                throw new PeerIdentityException(
                        "server " + server + " presented identity " + presented + ", but "
                                + known.file() + " pins " + pinned.get()
                                + ": refused. If its key was replaced on purpose, "
                                + "pass --server-fingerprint " + presented,
                        presented);
            }
        };
    }

    private void pinQuietly(HostPort server, Fingerprint identity) {
        try {
            if (!known.pinOf(server).equals(Optional.of(identity))) {
                known.pin(server, identity);
            }
        } catch (IOException e) {
            System.getLogger(OperatorAccess.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "cannot record the server's identity in " + known.file() + ": " + e.getMessage());
        }
    }

    /** The token to present, if the operator has one. */
    public Optional<String> token() throws IOException {
        if (tokenFile != null) {
            return Optional.of(readToken(tokenFile, "--token-file"));
        }
        String fromEnv = env.get(TOKEN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        Path file = configDir.resolve(TOKEN_FILE);
        return Files.exists(file) ? Optional.of(readToken(file, "token file")) : Optional.empty();
    }

    private static String readToken(Path file, String what) throws IOException {
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new AccessDeniedException(what + " " + file + " is empty", null);
            }
            return token;
        } catch (NoSuchFileException e) {
            throw new AccessDeniedException(what + " " + file + " does not exist", e);
        }
    }
}
