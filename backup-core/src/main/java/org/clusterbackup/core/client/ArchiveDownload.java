package org.clusterbackup.core.client;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Fetches a stored archive into a local file that appears only whole and checked. The bytes go to a
 * temporary file beside the destination, which is forced to disk and renamed over the destination only
 * once its size and sha256 match the catalog's; on any failure the temporary file is deleted and the
 * destination is left as it was. {@code backupctl fetch FILE} and the console's Download… both write
 * through here.
 */
public final class ArchiveDownload {
    private ArchiveDownload() {}

    /**
     * @param target the file to write; its directory must exist
     * @param progress told the bytes received so far after each chunk, on the calling thread
     * @throws IntegrityException the bytes differ from the catalog's: nothing was written
     * @throws LocalWriteException the local file could not be written: nothing was written
     * @throws org.clusterbackup.core.net.RemoteErrorException the server refused: {@code NOT_FOUND} for an
     *         unknown or pruned archive, {@code INTEGRITY} for one whose file is missing
     * @throws UnreachableException the server could not be reached, or the transfer broke off
     */
    public static FetchResult toFile(BackupClient client, long archiveId, Path target, LongConsumer progress)
            throws IOException {
        Objects.requireNonNull(client, "client");
        return download(target, progress, out -> client.fetch(archiveId, out));
    }

    /**
     * Fetches one regular file of an indexed archive the same way: it appears only whole and checked
     * against the index's sha256.
     *
     * @param path the entry's path in the archive, as {@link BackupClient#files} gives it
     * @throws org.clusterbackup.core.net.RemoteErrorException also {@code NOT_FOUND} when the path is not a
     *         regular file of the archive or the archive has no usable index, and {@code INTEGRITY} when the
     *         server found the stored archive damaged
     */
    public static FetchResult fileToFile(
            BackupClient client, long archiveId, String path, Path target, LongConsumer progress) throws IOException {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(path, "path");
        return download(target, progress, out -> client.fetchFile(archiveId, path, out));
    }

    @FunctionalInterface
    private interface Fetch {
        FetchResult into(OutputStream out) throws IOException;
    }

    private static FetchResult download(Path target, LongConsumer progress, Fetch fetch) throws IOException {
        Objects.requireNonNull(progress, "progress");
        Path destination = target.toAbsolutePath();
        try (PartialFile partial = PartialFile.beside(destination)) {
            FetchResult result;
            try {
                result = fetch.into(new Counting(partial.stream(), progress));
            } catch (PartialFile.LocalFailure e) {
                throw new LocalWriteException(destination, e.getCause());
            }
            partial.commit();
            return result;
        }
    }

    /** Counts the bytes handed to the file as they arrive. */
    private static final class Counting extends FilterOutputStream {
        private final LongConsumer progress;
        private long total;

        Counting(OutputStream out, LongConsumer progress) {
            super(out);
            this.progress = progress;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len); // FilterOutputStream's own would write byte by byte
            total += len;
            progress.accept(total);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}
