package org.clusterbackup.server.ctl;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.core.client.ArchiveDownload;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.FetchResult;
import org.clusterbackup.core.client.IntegrityException;
import org.clusterbackup.core.client.LocalWriteException;
import org.clusterbackup.core.model.Display;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Copies a stored archive from the server to FILE, checking its sha256 against the catalog.",
            "With --file, copies one regular file of the archive instead (PATH as files prints it): the "
                    + "server inflates only the segments that hold it, and its sha256 is checked against the "
                    + "archive's index.",
            "FILE appears only once everything arrived and checked out; '-' writes to stdout "
                    + "(checked at the end: exit 6 if it did not match)."
        })
final class FetchCommand extends CtlCommand {
    @Option(names = "--id", required = true, paramLabel = "ARCHIVE_ID", description = "The archive (see backups).")
    long id;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "FILE",
            description = "Where to write it, or - for stdout.")
    String output;

    @Option(
            names = "--file",
            paramLabel = "PATH",
            description = "One regular file of the archive (see files); exit 3 if it is not one.")
    String file;

    @Override
    int execute(BackupClient client) throws IOException {
        if ("-".equals(output)) {
            OutputStream stdout = new BufferedOutputStream(System.out, 64 * 1024);
            try (Progress progress = progress(file == null ? "fetching archive " + id : "fetching " + file)) {
                if (file == null) {
                    client.fetch(id, progress.counting(stdout));
                } else {
                    client.fetchFile(id, file, progress.counting(stdout));
                }
            } catch (IntegrityException e) {
                stdout.flush();
                return fail(Cli.EXIT_INTEGRITY, e.getMessage());
            }
            stdout.flush();
            return 0; // stdout carries the archive: no summary there
        }
        Path target = Path.of(output).toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return fail(Cli.EXIT_USAGE, "cannot write --output " + output + ": directory " + dir + " does not exist");
        }
        FetchResult result;
        try (Progress progress = progress(file == null ? "fetching archive " + id : "fetching " + file)) {
            result = file == null
                    ? ArchiveDownload.toFile(client, id, target, progress::bytes)
                    : ArchiveDownload.fileToFile(client, id, file, target, progress::bytes);
        } catch (IntegrityException e) {
            return fail(Cli.EXIT_INTEGRITY, e.getMessage() + "; nothing written to " + output);
        } catch (LocalWriteException e) {
            return fail(Cli.EXIT_START_FAILED, e.getMessage());
        }
        print(result, target.toString());
        return 0;
    }

    private void print(FetchResult result, String where) {
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", result.id());
            m.put("sizeBytes", result.sizeBytes());
            m.put("sha256", result.sha256());
            m.put("output", where);
            if (file != null) {
                m.put("file", file);
            }
            Output.printJson(out(), m);
        } else {
            out().println((file == null ? "" : file + " of ") + "archive " + result.id() + ": "
                    + Display.size(result.sizeBytes()) + ", sha256 " + result.sha256() + " checked, written to "
                    + where);
        }
    }
}
