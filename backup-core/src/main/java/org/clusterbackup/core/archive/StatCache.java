package org.clusterbackup.core.archive;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Remembers, per regular file of one tree, its stat (type, mode, size, mtime and ctime to the nanosecond,
 * inode) and the SHA-256 of its content, so that a scan re-hashes only files whose stat moved (git-index /
 * restic style). The hash decides whether content changed; the cache only saves reading it.
 *
 * <p><b>Racy rule.</b> Timestamps have a granularity (often a kernel tick): a file written again right
 * after we hashed it can keep the same mtime, size and inode, and so look unchanged. An entry is therefore
 * trusted only if its mtime and ctime are at least {@link #RACY_WINDOW} older than the start of the scan or
 * write that read it (from the injected clock); a younger or future-dated one is neither reused nor stored.
 * A file that is still being written is simply re-hashed on every scan until it settles.
 *
 * <p><b>File.</b> One file per tree in the agent's state dir, named by the SHA-256 of the root path, written
 * to a temp file, fsync'ed and renamed over the old one (then the directory is fsync'ed), so a crash leaves
 * the old cache or the new, whole. A missing, unreadable, foreign or corrupt file is an empty cache: losing
 * it costs a re-hash, never a different digest. Format, big-endian:
 * <pre>
 *   u32 magic "CBSC" · u16 version (2) · UTF root path (DataOutput.writeUTF) · u32 count
 *   count × { u16 bytes shared with the previous name · u16 suffix length · suffix (UTF-8)
 *             · u8 type · u32 mode · u64 size · s64 mtime seconds · u32 mtime nanoseconds
 *             · s64 ctime seconds · u32 ctime nanoseconds · u64 inode · 32 bytes SHA-256 }
 *   u32 CRC-32 of all the bytes before it
 * </pre>
 * Names are sorted by their UTF-8 bytes, so the shared-prefix coding removes most of each path. Version 1
 * kept each time as one u64 of nanoseconds, which ends in 2262; it is still read.
 *
 * <p>Not thread-safe: one backup of a tree at a time uses its cache.
 */
public final class StatCache {
    /** Timestamps closer than this to the start of a scan are not trusted (see the class comment). */
    public static final Duration RACY_WINDOW = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(StatCache.class.getName());
    private static final int MAGIC = 0x43425343; // "CBSC"
    private static final int VERSION = 2;
    /** Times as nanoseconds in one long: still read, never written. */
    private static final int VERSION_NANOS = 1;
    private static final int HASH_BYTES = 32;
    private static final int MAX_NAME_BYTES = 0xFFFF;

    private final Path file;
    private final String root;
    private final Map<String, Entry> entries;
    private boolean dirty;

    private StatCache(Path file, String root, Map<String, Entry> entries) {
        this.file = file;
        this.root = root;
        this.entries = entries;
    }

    /** The cache of {@code root} kept in {@code stateDir}; empty if there is none or it cannot be read. */
    public static StatCache load(Path stateDir, Path root) {
        String rootKey = rootKey(root);
        Path file = fileFor(stateDir, root);
        try (InputStream in = Files.newInputStream(file)) {
            return new StatCache(file, rootKey, read(in, rootKey));
        } catch (NoSuchFileException e) {
            LOG.log(Level.DEBUG, "stat cache {0} for {1}: none yet", file, rootKey);
        } catch (IOException | RuntimeException e) {
            // Only an optimisation is lost: every file of the tree is re-hashed once.
            LOG.log(Level.WARNING, "stat cache {0} for {1} is unreadable, starting empty: {2}", file, rootKey,
                    e.toString());
        }
        return new StatCache(file, rootKey, new HashMap<>());
    }

    /** A cache kept in memory only: {@link #save()} does nothing. */
    public static StatCache empty() {
        return new StatCache(null, null, new HashMap<>());
    }

    /** Where {@link #load} and {@link #save} keep the cache of {@code root}. */
    public static Path fileFor(Path stateDir, Path root) {
        byte[] hash = TreeDigest.newSha256().digest(rootKey(root).getBytes(StandardCharsets.UTF_8));
        return stateDir.resolve("statcache-" + HexFormat.of().formatHex(hash) + ".bin");
    }

    /** Number of files remembered. */
    public int size() {
        return entries.size();
    }

    /**
     * Writes the cache to its file, atomically, if anything changed since it was loaded or last saved.
     * Scans and writes call this themselves; it is public for callers that change nothing else.
     */
    public void save() throws IOException {
        if (file == null || !dirty) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
                write(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // makes the rename itself durable
        } catch (IOException e) {
            // Some file systems refuse to sync a directory; the rename is then as durable as they make it.
            LOG.log(Level.DEBUG, "stat cache {0}: directory sync failed: {1}", file, e.toString());
        }
        dirty = false;
        LOG.log(Level.DEBUG, "stat cache {0} for {1}: saved {2} entries", file, root, entries.size());
    }

    /** Saves, logging a failure: the backup itself is fine, and the next scan re-hashes what was not kept. */
    void saveQuietly() {
        try {
            save();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "stat cache {0} for {1} not saved: {2}", file, root, e.toString());
        }
    }

    /** The remembered hash of {@code name}, if its stat is unchanged and old enough to trust; else null. */
    byte[] trustedHash(String name, FileStat stat, Instant start) {
        Entry e = entries.get(name);
        if (e == null || !e.matches(stat) || isRacy(stat, start)) {
            return null;
        }
        return e.sha256;
    }

    /**
     * Remembers {@code hash} as the content of {@code name} with {@code stat}, or forgets {@code name} if
     * that stat is too young to trust. Callers pass only stats that did not move while the file was read.
     */
    void remember(String name, FileStat stat, byte[] hash, Instant start) {
        if (!stat.isFile() || isRacy(stat, start) || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            forget(name);
            return;
        }
        Entry e = new Entry(stat.mode(), stat.size(), stat.mtime(), stat.ctime(), stat.inode(), hash.clone());
        Entry old = entries.put(name, e);
        if (old == null || !old.sameAs(e)) {
            dirty = true;
        }
    }

    void forget(String name) {
        if (entries.remove(name) != null) {
            dirty = true;
        }
    }

    /** Forgets every file not in {@code names} (files deleted from the tree). */
    void retainOnly(Set<String> names) {
        if (entries.keySet().retainAll(names)) {
            dirty = true;
        }
    }

    static boolean isRacy(FileStat stat, Instant start) {
        Instant trusted = start.minus(RACY_WINDOW);
        return stat.mtime().compareTo(trusted) >= 0 || stat.ctime().compareTo(trusted) >= 0;
    }

    private static String rootKey(Path root) {
        return root.toAbsolutePath().normalize().toString();
    }

    private void write(DataOutputStream data) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(data, crc));
        List<Map.Entry<byte[], Entry>> sorted = new ArrayList<>(entries.size());
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            sorted.add(Map.entry(e.getKey().getBytes(StandardCharsets.UTF_8), e.getValue()));
        }
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeUTF(root);
        out.writeInt(sorted.size());
        byte[] previous = new byte[0];
        for (Map.Entry<byte[], Entry> item : sorted) {
            byte[] name = item.getKey();
            Entry e = item.getValue();
            int shared = Arrays.mismatch(previous, name);
            if (shared < 0) {
                shared = name.length; // unreachable: names are unique
            }
            out.writeShort(shared);
            out.writeShort(name.length - shared);
            out.write(name, shared, name.length - shared);
            out.writeByte(EntryType.FILE.code());
            out.writeInt(e.mode());
            out.writeLong(e.size());
            out.writeLong(e.mtime().getEpochSecond());
            out.writeInt(e.mtime().getNano());
            out.writeLong(e.ctime().getEpochSecond());
            out.writeInt(e.ctime().getNano());
            out.writeLong(e.inode());
            out.write(e.sha256());
            previous = name;
        }
        out.flush();
        data.writeInt((int) crc.getValue());
    }

    private static Map<String, Entry> read(InputStream raw, String rootKey) throws IOException {
        CRC32 crc = new CRC32();
        DataInputStream data = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        DataInputStream in = new DataInputStream(new CheckedInputStream(data, crc));
        if (in.readInt() != MAGIC) {
            throw new IOException("not a stat cache (bad magic)");
        }
        int version = in.readUnsignedShort();
        if (version != VERSION && version != VERSION_NANOS) {
            throw new IOException("stat cache version " + version + ", this agent reads " + VERSION_NANOS + " and "
                    + VERSION);
        }
        String fileRoot = in.readUTF();
        if (!fileRoot.equals(rootKey)) {
            throw new IOException("stat cache belongs to " + fileRoot);
        }
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative entry count " + count);
        }
        // A corrupt count must not become a huge allocation: the map grows with entries actually read.
        Map<String, Entry> entries = new HashMap<>(Math.min(count, 1 << 16) * 2);
        byte[] name = new byte[256];
        int nameLength = 0;
        byte[] hash = new byte[HASH_BYTES];
        for (int i = 0; i < count; i++) {
            int shared = in.readUnsignedShort();
            int suffix = in.readUnsignedShort();
            if (shared > nameLength) {
                throw new IOException("entry " + i + " shares " + shared + " bytes with a " + nameLength + "-byte name");
            }
            if (shared + suffix > name.length) {
                name = Arrays.copyOf(name, Math.max(shared + suffix, name.length * 2));
            }
            in.readFully(name, shared, suffix);
            nameLength = shared + suffix;
            int type = in.readUnsignedByte();
            if (type != EntryType.FILE.code()) {
                throw new IOException("entry " + i + " has type " + type);
            }
            int mode = in.readInt();
            long size = in.readLong();
            Instant mtime = readTime(in, version);
            Instant ctime = readTime(in, version);
            long inode = in.readLong();
            in.readFully(hash);
            entries.put(new String(name, 0, nameLength, StandardCharsets.UTF_8),
                    new Entry(mode, size, mtime, ctime, inode, hash.clone()));
        }
        int expected = (int) crc.getValue();
        int stored = data.readInt();
        if (stored != expected) {
            throw new IOException("checksum mismatch");
        }
        if (data.read() != -1) {
            throw new IOException("trailing bytes after the checksum");
        }
        return entries;
    }

    private static Instant readTime(DataInputStream in, int version) throws IOException {
        if (version == VERSION_NANOS) {
            return Instant.EPOCH.plusNanos(in.readLong());
        }
        long seconds = in.readLong();
        int nanos = in.readInt();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IOException("a time has " + nanos + " nanoseconds");
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** What was true of one regular file when it was hashed. */
    private record Entry(int mode, long size, Instant mtime, Instant ctime, long inode, byte[] sha256) {

        boolean matches(FileStat s) {
            return s.isFile() && mode == s.mode() && size == s.size() && mtime.equals(s.mtime())
                    && ctime.equals(s.ctime()) && inode == s.inode();
        }

        boolean sameAs(Entry o) {
            return mode == o.mode && size == o.size && mtime.equals(o.mtime) && ctime.equals(o.ctime)
                    && inode == o.inode && Arrays.equals(sha256, o.sha256);
        }
    }
}
