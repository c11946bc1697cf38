package org.clusterbackup.server.ctl;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.protocol.FileInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "files",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Lists the entries of a stored archive in archive order, from the index the server built "
                    + "when it received the archive.",
            "Exit 3 for an unknown or pruned archive, or one without a "
                    + "usable index (stored before archives were indexed, or its index lost or damaged)."
        })
final class FilesCommand extends CtlCommand {
    @Option(names = "--id", required = true, paramLabel = "ARCHIVE_ID", description = "The archive (see backups).")
    long id;

    @Override
    int execute(BackupClient client) throws IOException {
        Listing<FileInfo> listing = new Listing<>(
                out(),
                json() ? Listing.JsonWriter.ofMap(FilesCommand::json) : null,
                f -> new Object[] {
                    mode(f.mode()),
                    f.type(),
                    f.type().equals("file") ? Display.size(f.sizeBytes()) : "",
                    Output.time(f.mtime()),
                    f.linkTarget() != null
                            ? f.path() + " -> " + f.linkTarget()
                            : f.hardLinkTo() != null ? f.path() + " link to " + f.hardLinkTo() : f.path()
                },
                new String[] {"MODE", "TYPE", "SIZE", "MTIME", "PATH"},
                "no entries",
                null);
        client.files(id, listing::add);
        listing.finish();
        return 0;
    }

    static String mode(int mode) {
        return String.format("%04o", mode);
    }

    static Map<String, Object> json(FileInfo f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.path());
        m.put("type", f.type());
        m.put("sizeBytes", f.sizeBytes());
        m.put("mode", mode(f.mode()));
        m.put("mtime", f.mtime());
        m.put("sha256", f.sha256());
        m.put("linkTarget", f.linkTarget());
        if (f.hardLinkTo() != null) {
            m.put("hardLinkTo", f.hardLinkTo()); // optional: present for hard links only
        }
        return m;
    }
}
