package org.clusterbackup.server.ctl;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.client.FetchResult;
import org.clusterbackup.core.client.IntegrityException;
import org.clusterbackup.core.cli.Cli;
import org.clusterbackup.core.model.Display;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fetch", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Copies a stored archive from the server to FILE, checking its sha256 against the catalog.",
                "FILE appears only once the whole archive arrived and checked out; '-' writes to stdout "
                        + "(checked at the end: exit 6 if it did not match)."})
final class FetchCommand extends CtlCommand {
    @Option(names = "--id", required = true, paramLabel = "ARCHIVE_ID", description = "The archive (see backups).")
    long id;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write it, or - for stdout.")
    String output;

    @Override
    int execute(BackupClient client) throws IOException {
        if ("-".equals(output)) {
            OutputStream stdout = new BufferedOutputStream(System.out, 64 * 1024);
            try {
                client.fetch(id, stdout);
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
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
        try {
            FetchResult result;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(local(Channels.newOutputStream(channel), temp), 64 * 1024)) {
                try {
                    result = client.fetch(id, out);
                } catch (IntegrityException e) {
                    return fail(Cli.EXIT_INTEGRITY, e.getMessage() + "; nothing written to " + output);
                }
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            print(result, target.toString());
            return 0;
        } catch (UncheckedIOException e) {
            return fail(Cli.EXIT_START_FAILED, "cannot write " + output + ": " + e.getCause().getMessage());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void print(FetchResult result, String where) {
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", result.id());
            m.put("sizeBytes", result.sizeBytes());
            m.put("sha256", result.sha256());
            m.put("output", where);
            Output.printJson(out(), m);
        } else {
            out().println("archive " + result.id() + ": " + Display.size(result.sizeBytes()) + ", sha256 "
                    + result.sha256() + " checked, written to " + where);
        }
    }

    /**
     * Local write failures (a full disk here) must not read as a lost connection to the server, so they
     * leave the client's I/O path as unchecked exceptions.
     */
    private static OutputStream local(OutputStream out, Path file) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw new UncheckedIOException(file.toString(), e);
                }
            }
        };
    }
}
