package org.clusterbackup.core.archive;

import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.clusterbackup.core.delta.BlockSource;

/**
 * The block signatures of the files of the archive this agent last delivered for one root, kept in its state
 * dir beside the delivered manifests: one record per distinct content (keyed by the first 8 bytes of its
 * SHA-256), in the {@link SignatureRecords} format. A block delta describes a changed file against the
 * signature of its base version, found here by that version's hash.
 *
 * <p>File: the magic {@code CBSG}, a version, the root; the records; an index of (key, offset) pairs sorted by
 * key; a trailer with the index's offset, its CRC-32 and the magic again. Only the index (16 bytes a file) is
 * loaded; a record is read, chunk by checked chunk, when a file is sent against it. Replaced crash-safely
 * after each delivery. Missing, damaged or foreign, it reads as empty, and a damaged record as missing from the
 * chunk that fails: losing it costs whole files, never a wrong one (the server checks every rebuilt file's
 * SHA-256 anyway).
 */
public final class SignatureStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SignatureStore.class.getName());
    private static final int MAGIC = 0x43425347; // "CBSG"
    private static final int VERSION = 1;
    private static final int TRAILER = 8 + 4 + 4;

    private final Path file;
    private final String root;
    private final FileChannel channel;
    private final SignatureRecords.KeyIndex index;

    private SignatureStore(Path file, String root, FileChannel channel, SignatureRecords.KeyIndex index) {
        this.file = file;
        this.root = root;
        this.channel = channel;
        this.index = index;
    }

    /** The signatures kept for {@code root} in {@code stateDir}; none if there are none or they are unusable. */
    public static SignatureStore load(Path stateDir, Path root) {
        sweep(stateDir, fileFor(stateDir, key(root)));
        return open(stateDir, root);
    }

    /**
     * As {@link #load}, without sweeping the temp files of runs that did not finish: for a reader in the
     * middle of a run, whose own recorder's file is one of those.
     */
    static SignatureStore open(Path stateDir, Path root) {
        String key = key(root);
        Path file = fileFor(stateDir, key);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            return new SignatureStore(file, key, channel, readIndex(channel, key));
        } catch (NoSuchFileException e) {
            LOG.log(Level.DEBUG, "signatures {0} for {1}: none yet", file, key);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "signatures {0} for {1} are unusable, starting empty: {2}", file, key, e.toString());
        }
        closeQuietly(channel);
        return new SignatureStore(file, key, null, new SignatureRecords.KeyIndex());
    }

    private static String key(Path root) {
        return root.toAbsolutePath().normalize().toString();
    }

    static Path fileFor(Path stateDir, String key) {
        byte[] hash = TreeDigest.newSha256().digest(key.getBytes(StandardCharsets.UTF_8));
        return stateDir.resolve("signatures-" + HexFormat.of().formatHex(hash) + ".bin");
    }

    /** Files kept: what the next delta can describe against. */
    public int files() {
        return index.size();
    }

    /** The signature of {@code base}'s content, if kept and of its size. */
    public Optional<BlockSource> find(ManifestEntry base) {
        if (channel == null || base.type() != EntryType.FILE) {
            return Optional.empty();
        }
        long offset = index.find(SignatureRecords.key(base.sha256()));
        if (offset < 0) {
            return Optional.empty();
        }
        try {
            ByteBuffer size = ByteBuffer.allocate(8);
            while (size.hasRemaining() && channel.read(size, offset + size.position()) > 0) {
                // reads the 8 bytes
            }
            if (size.hasRemaining() || size.getLong(0) != base.size()) {
                return Optional.empty(); // another version under the same key, or a cut file
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new SignatureRecords.Reader(channel, offset, base.size()));
    }

    /** A recorder for the signatures of the files the next write reads. */
    public SignatureRecorder recorder() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new SignatureRecorder(
                Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".run-", ".tmp"));
    }

    /**
     * Replaces the store with the signatures of {@code delivered}'s files: those the run recorded, else those
     * kept so far (files the run did not read, as they did not change). Crash-safe; a failure leaves the
     * old store.
     */
    public void commit(List<ManifestEntry> delivered, SignatureRecorder run) throws IOException {
        if (run.failed()) {
            throw new IOException("the run's signatures could not be written", run.failure());
        }
        long[] keys = delivered.stream()
                .filter(e -> e.type() == EntryType.FILE)
                .mapToLong(e -> SignatureRecords.key(e.sha256()))
                .toArray();
        Arrays.sort(keys);
        StateFiles.replace(file, out -> write(out, keys, run));
    }

    private void write(DataOutputStream out, long[] keys, SignatureRecorder run) throws IOException {
        CountingOutputStream counted = new CountingOutputStream(out);
        DataOutputStream data = new DataOutputStream(counted);
        data.writeInt(MAGIC);
        data.writeShort(VERSION);
        byte[] name = root.getBytes(StandardCharsets.UTF_8);
        data.writeInt(name.length);
        data.write(name);
        SignatureRecords.KeyIndex written = new SignatureRecords.KeyIndex();
        for (int i = 0; i < keys.length; i++) {
            if (i > 0 && keys[i] == keys[i - 1]) {
                continue;
            }
            long at = run.find(keys[i]);
            FileChannel from = run.channel();
            if (at < 0 && channel != null) {
                at = index.find(keys[i]);
                from = channel;
            }
            long start = counted.count();
            if (at >= 0 && copyRecord(from, at, data)) {
                written.add(keys[i], start);
            }
        }
        data.flush();
        long indexOffset = counted.count();
        CRC32 crc = new CRC32();
        ByteBuffer entry = ByteBuffer.allocate(16);
        data.writeInt(written.size());
        for (int i = 0; i < written.size(); i++) {
            entry.clear();
            entry.putLong(written.key(i)).putLong(written.offset(i));
            data.write(entry.array());
            crc.update(entry.array());
        }
        data.writeLong(indexOffset);
        data.writeInt((int) crc.getValue());
        data.writeInt(MAGIC);
        data.flush();
    }

    /**
     * Copies the record at {@code at} in {@code from}; false if it cannot be read (what was copied of it
     * then stays unindexed, never read).
     */
    private static boolean copyRecord(FileChannel from, long at, DataOutputStream to) {
        try {
            ByteBuffer head = ByteBuffer.allocate(8);
            readFully(from, head, at);
            long size = head.getLong(0);
            if (size < 0) {
                return false;
            }
            long length = SignatureRecords.length(size);
            if (length <= 0 || length > from.size() - at) {
                return false;
            }
            ByteBuffer record = ByteBuffer.allocate((int) Math.min(length, 1 << 16));
            for (long done = 0; done < length; done += record.limit()) {
                record.clear().limit((int) Math.min(record.capacity(), length - done));
                readFully(from, record, at + done);
                to.write(record.array(), 0, record.limit());
            }
            return true;
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "a signature cannot be kept: {0}", e.toString());
            return false;
        }
    }

    private static void readFully(FileChannel from, ByteBuffer buffer, long at) throws IOException {
        long p = at;
        while (buffer.hasRemaining()) {
            int n = from.read(buffer, p);
            if (n < 0) {
                throw new IOException("the signature file ends early");
            }
            p += n;
        }
    }

    private static SignatureRecords.KeyIndex readIndex(FileChannel channel, String key) throws IOException {
        long size = channel.size();
        ByteBuffer head = ByteBuffer.allocate(4 + 2 + 4);
        readFully(channel, head, 0);
        if (head.getInt(0) != MAGIC || head.getShort(4) != VERSION) {
            throw new IOException("not a signature file of version " + VERSION);
        }
        int nameLength = head.getInt(6);
        if (nameLength < 0 || nameLength > 1 << 20 || size < TRAILER) {
            throw new IOException("a damaged header");
        }
        ByteBuffer name = ByteBuffer.allocate(nameLength);
        readFully(channel, name, 10);
        String fileRoot = new String(name.array(), StandardCharsets.UTF_8);
        if (!fileRoot.equals(key)) {
            throw new IOException("the file belongs to " + fileRoot);
        }
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
        readFully(channel, trailer, size - TRAILER);
        long indexOffset = trailer.getLong(0);
        if (trailer.getInt(12) != MAGIC || indexOffset < 10 + nameLength || indexOffset > size - TRAILER - 4) {
            throw new IOException("a damaged trailer (the file is cut or not one)");
        }
        ByteBuffer count = ByteBuffer.allocate(4);
        readFully(channel, count, indexOffset);
        int n = count.getInt(0);
        if (n < 0 || indexOffset + 4 + 16L * n != size - TRAILER) {
            throw new IOException("an index of " + n + " files does not fit the file");
        }
        ByteBuffer entries = ByteBuffer.allocate(16 * n);
        readFully(channel, entries, indexOffset + 4);
        CRC32 crc = new CRC32();
        crc.update(entries.array());
        if ((int) crc.getValue() != trailer.getInt(8)) {
            throw new IOException("its index fails its CRC-32");
        }
        SignatureRecords.KeyIndex index = new SignatureRecords.KeyIndex();
        for (int i = 0; i < n; i++) {
            long offset = entries.getLong(16 * i + 8);
            if (offset < 10 + nameLength || offset >= indexOffset) {
                throw new IOException("its index points outside the records");
            }
            index.add(entries.getLong(16 * i), offset);
        }
        return index;
    }

    /** Deletes what a crash left of earlier writes of this store (the root's lock is held). */
    private static void sweep(Path stateDir, Path file) {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(stateDir, file.getFileName() + ".*.tmp")) {
            for (Path t : temps) {
                Files.deleteIfExists(t);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot sweep {0}: {1}", stateDir, e.toString());
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // only read
            }
        }
    }
}
