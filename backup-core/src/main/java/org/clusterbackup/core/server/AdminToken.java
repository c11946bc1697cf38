package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.fs.AtomicFile;
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

    private AdminToken() {}

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
        AtomicFile.replaceOwnerOnly(file, out -> out.write((token + "\n").getBytes(StandardCharsets.UTF_8)));
        LOG.log(
                Level.WARNING,
                "no token in the catalog: wrote admin token ''{0}'' to {1} (use it with "
                        + "backupctl --token-file {1}, then create your own with `backupctl token create`)",
                name,
                file);
    }
}
