package org.clusterbackup.core.archive;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * What the agent delivered for one root: the manifests (every entry, with the content hash of every file) of
 * the last {@link #KEPT} archives it sent, keyed by tree digest, newest first. When the server names one of
 * them as its base, the agent can send a delta against it. Kept in the state dir beside the stat cache,
 * replaced crash-safely; a missing, damaged or foreign file reads as empty, which costs one full backup.
 * More than one is kept so that a run the server did not store (it failed a check, or the server died
 * before its commit) does not cost a full backup next time.
 */
public final class DeliveredManifests {
    /** Manifests kept per root. */
    public static final int KEPT = 3;

    private static final System.Logger LOG = System.getLogger(DeliveredManifests.class.getName());
    private static final int MAGIC = 0x43424d46; // "CBMF"
    /**
     * Version 2 adds each entry's mtime nanoseconds and extended-attribute digest and hard links. A file of
     * version 1 reads as empty: one full backup, after which every entry differs anyway (sub-second times).
     */
    private static final int VERSION = 2;

    private static final int HASH_BYTES = 32;

    /** One delivered archive's manifest. */
    public record Manifest(String digest, List<ManifestEntry> entries) {
        public Manifest {
            if (digest == null || digest.isEmpty()) {
                throw new IllegalArgumentException("a manifest needs its tree digest");
            }
            entries = List.copyOf(entries);
        }
    }

    private final Path file;
    private final String root;
    private final List<Manifest> manifests;

    private DeliveredManifests(Path file, String root, List<Manifest> manifests) {
        this.file = file;
        this.root = root;
        this.manifests = manifests;
    }

    /** The manifests of {@code root} kept in {@code stateDir}; none if there are none or they cannot be read. */
    public static DeliveredManifests load(Path stateDir, Path root) {
        String key = root.toAbsolutePath().normalize().toString();
        Path file = fileFor(stateDir, key);
        try (InputStream in = Files.newInputStream(file)) {
            return new DeliveredManifests(file, key, read(in, key));
        } catch (NoSuchFileException e) {
            LOG.log(Level.DEBUG, "delivered manifests {0} for {1}: none yet", file, key);
        } catch (IOException | RuntimeException e) {
            // Only a saving is lost: the next backup of this root is sent whole.
            LOG.log(
                    Level.WARNING,
                    "delivered manifests {0} for {1} are unreadable, starting empty: {2}",
                    file,
                    key,
                    e.toString());
        }
        return new DeliveredManifests(file, key, new ArrayList<>());
    }

    private static Path fileFor(Path stateDir, String key) {
        byte[] hash = TreeDigest.newSha256().digest(key.getBytes(StandardCharsets.UTF_8));
        return stateDir.resolve("delivered-" + HexFormat.of().formatHex(hash) + ".bin");
    }

    /** The manifest of the archive with tree digest {@code digest}, if this agent delivered it recently. */
    public Optional<Manifest> find(String digest) {
        return manifests.stream().filter(m -> m.digest().equals(digest)).findFirst();
    }

    /** Remembers a delivered archive (newest first, the oldest beyond {@link #KEPT} forgotten) and saves. */
    public void delivered(Manifest manifest) throws IOException {
        manifests.removeIf(m -> m.digest().equals(manifest.digest()));
        manifests.add(0, manifest);
        while (manifests.size() > KEPT) {
            manifests.remove(manifests.size() - 1);
        }
        StateFiles.replace(file, this::write);
    }

    private void write(DataOutputStream data) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(data, crc));
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        writeString(out, root);
        out.writeInt(manifests.size());
        for (Manifest m : manifests) {
            writeString(out, m.digest());
            out.writeInt(m.entries().size());
            for (ManifestEntry e : m.entries()) {
                writeString(out, e.name());
                out.writeByte(e.type().code());
                out.writeShort(e.mode());
                out.writeLong(e.size());
                out.writeLong(e.mtime());
                out.writeInt(e.mtimeNanos());
                out.writeLong(e.uid());
                out.writeLong(e.gid());
                if (e.type() == EntryType.FILE) {
                    out.write(HexFormat.of().parseHex(e.sha256()));
                }
                if (e.type() == EntryType.SYMLINK || e.type() == EntryType.HARDLINK) {
                    writeString(out, e.linkTarget());
                }
                writeString(out, e.xattrs());
            }
        }
        out.flush();
        data.writeInt((int) crc.getValue());
    }

    private static List<Manifest> read(InputStream raw, String key) throws IOException {
        CRC32 crc = new CRC32();
        DataInputStream data = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        DataInputStream in = new DataInputStream(new CheckedInputStream(data, crc));
        if (in.readInt() != MAGIC || in.readUnsignedShort() != VERSION) {
            throw new IOException("not a delivered-manifests file of version " + VERSION);
        }
        String fileRoot = readString(in);
        if (!fileRoot.equals(key)) {
            throw new IOException("the file belongs to " + fileRoot);
        }
        int count = in.readInt();
        if (count < 0 || count > KEPT) {
            throw new IOException("it claims " + count + " manifests");
        }
        List<Manifest> manifests = new ArrayList<>();
        byte[] hash = new byte[HASH_BYTES];
        for (int i = 0; i < count; i++) {
            String digest = readString(in);
            int n = in.readInt();
            if (n < 0) {
                throw new IOException("a manifest claims " + n + " entries");
            }
            // A corrupt count must not become a huge allocation: the list grows with entries actually read.
            List<ManifestEntry> entries = new ArrayList<>(Math.min(n, 1 << 16));
            for (int j = 0; j < n; j++) {
                String name = readString(in);
                EntryType type = type(in.readUnsignedByte());
                int mode = in.readUnsignedShort();
                long size = in.readLong();
                long mtime = in.readLong();
                int nanos = in.readInt();
                long uid = in.readLong();
                long gid = in.readLong();
                String sha = "";
                if (type == EntryType.FILE) {
                    in.readFully(hash);
                    sha = HexFormat.of().formatHex(hash);
                }
                String link = type == EntryType.SYMLINK || type == EntryType.HARDLINK ? readString(in) : "";
                String xattrs = readString(in);
                entries.add(new ManifestEntry(name, type, mode, size, mtime, uid, gid, sha, link, nanos, xattrs));
            }
            manifests.add(new Manifest(digest, entries));
        }
        int expected = (int) crc.getValue();
        if (data.readInt() != expected || data.read() != -1) {
            throw new IOException("checksum mismatch or trailing bytes");
        }
        return manifests;
    }

    private static EntryType type(int code) throws IOException {
        for (EntryType t : EntryType.values()) {
            if (t.code() == code) {
                return t;
            }
        }
        throw new IOException("unknown entry type " + code);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("a string of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
