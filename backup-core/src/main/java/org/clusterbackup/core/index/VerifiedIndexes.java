package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Indexes checked once and then served from memory: the server's answer to the fixed cost of a request that
 * reads an archive's index ({@code fetch --file}, {@code files}, a changed run's base), which would
 * otherwise hash the whole {@code .idx} again every time. Each is held as the bytes that matched the
 * catalog's SHA-256, so what is served is exactly what was checked, never re-read from the disk.
 *
 * <p>An index is used again only while its file looks the same: same size, modification time and file key
 * (inode), and the same recorded SHA-256. An {@code .idx} replaced or rewritten on disk (a restore of the data
 * dir, a damaged copy) is therefore read and checked again, and refused if it no longer matches. A change
 * that keeps all of those (a bit flipped by the disk itself) is not noticed here: {@code verify} always
 * reads the file ({@link IndexFile#open}), and so does anything after the index leaves this cache.
 *
 * <p>Bounded: at most {@code maxBytes} of memory are held, least recently used out first; an index is
 * counted as twice its bytes, itself and the name table a lookup by name builds over it once
 * ({@link IndexDirectory}: at most 32 bytes an entry, and an entry's record is at least 58). An index that
 * counts for more than the bound is checked and streamed from its file per use, as without the cache.
 * Thread-safe.
 */
public final class VerifiedIndexes {
    /** The default bound on the memory held: about 50,000 files' worth of index at 150 bytes an entry. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    /** Memory held per byte of index: the index, and at most as much again for its name table. */
    private static final int HELD_PER_BYTE = 2;

    /** What must not have changed for a held index to be used again. */
    private record Key(long size, FileTime modified, Object fileKey, String sha256) {}

    private record Held(Key key, IndexFile index, long bytes) {}

    private final long maxBytes;
    private final Map<Path, Held> held = new LinkedHashMap<>(16, 0.75f, true);
    private long heldBytes;
    private long loads;

    public VerifiedIndexes(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("a negative bound: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * The index of {@code file}, checked against {@code expectedSha256} now or when it was loaded with its
     * file as it still is. Closing what this returns is always right and costs nothing for a held one.
     *
     * @throws UnusableIndexException as {@link IndexFile#open}
     */
    public IndexFile open(Path file, String expectedSha256) throws UnusableIndexException {
        Objects.requireNonNull(expectedSha256, "expectedSha256");
        Key before = key(file, expectedSha256);
        synchronized (this) {
            Held h = held.get(file);
            if (h != null && h.key.equals(before)) {
                return h.index;
            }
        }
        if (before.size * HELD_PER_BYTE > maxBytes) {
            return IndexFile.open(file, expectedSha256);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UnusableIndexException("its index file is missing: " + file);
        } catch (IOException e) {
            throw new UnusableIndexException("its index file cannot be read: " + file + ": " + e.getMessage());
        }
        IndexFile index = IndexFile.of(file, bytes, expectedSha256);
        synchronized (this) {
            loads++;
            // Held only if the file did not change while it was read: else the next use reads it again.
            if (before.equals(key(file, expectedSha256)) && bytes.length == before.size) {
                long weight = (long) bytes.length * HELD_PER_BYTE;
                Held old = held.put(file, new Held(before, index, weight));
                heldBytes += weight - (old == null ? 0 : old.bytes);
                evict();
            }
        }
        return index;
    }

    /** Times an index was read and checked from its file (not counting ones too large to hold). */
    public synchronized long loads() {
        return loads;
    }

    private void evict() {
        Iterator<Held> oldestFirst = held.values().iterator();
        while (heldBytes > maxBytes && oldestFirst.hasNext()) {
            heldBytes -= oldestFirst.next().bytes;
            oldestFirst.remove();
        }
    }

    private static Key key(Path file, String sha256) throws UnusableIndexException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Key(a.size(), a.lastModifiedTime(), a.fileKey(), sha256);
        } catch (NoSuchFileException e) {
            throw new UnusableIndexException("its index file is missing: " + file);
        } catch (IOException e) {
            throw new UnusableIndexException("its index file cannot be read: " + file + ": " + e.getMessage());
        }
    }
}
