package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.security.Role;
import org.clusterbackup.core.security.Tokens;

/**
 * The way in for the first operator: a server that starts with no active token makes an admin token and
 * writes it, alone on one line, to {@code DATA_DIR/admin.token} (mode 0600). Whoever can read the data dir
 * can already read every archive, so this grants nothing new.
 */
final class AdminToken {
    static final String FILE_NAME = "admin.token";
    private static final System.Logger LOG = System.getLogger(AdminToken.class.getName());

    private AdminToken() {
    }

    static void ensure(SecurityCatalog security, Path dataDir) throws IOException {
        if (security.hasActiveToken()) {
            return;
        }
        String token = Tokens.generate();
        String name = "admin";
        for (int n = 2; !security.addToken(name, Role.ADMIN.label(), Tokens.hash(token)); n++) {
            name = "admin-" + n; // an earlier admin token was revoked; names are never reused
        }
        Path file = dataDir.resolve(FILE_NAME);
        Path temp = Files.createTempFile(dataDir, ".admin-token-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, token + "\n");
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        LOG.log(Level.WARNING, "no token in the catalog: wrote admin token ''{0}'' to {1} (use it with "
                + "backupctl --token-file {1}, then create your own with `backupctl token create`)", name, file);
    }
}
