package org.clusterbackup.core.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The digest of a tree: a Merkle root over its entries in manifest order (the root {@code ./} first, then
 * sorted by the UTF-8 bytes of the names). It is a function of the tree alone, never of a cache or of
 * timestamps, so a restarted agent with no cache recognises an unchanged tree, and {@code touch} is not a
 * change.
 *
 * <p>Exact construction, so that another implementation (the server verifying a stored archive) can
 * reproduce it. All integers are big-endian; {@code H} is SHA-256; {@code ||} concatenates.
 * <pre>
 *   str(s)   = u32 byte length || UTF-8 bytes of s
 *   bytes(b) = u32 length || b
 *   enc(e)   = u8 1 (encoding version; 2 when the entry has extended attributes)
 *           || str(name)                      e.g. "./", "dir/", "dir/file"
 *           || u8 type                        'd', 'f', 'l' or 'h' (a hard link)
 *           || u32 mode                       permission bits, 07777 at most
 *           || u64 size                       0 for directories, symlinks and hard links
 *           || bytes(content SHA-256)         32 raw bytes for a file, empty otherwise
 *           || str(link target)               a symlink's target, a hard link's first name, else empty
 *           [|| bytes(xattrs SHA-256)]        version 2 only: 32 raw bytes, see Xattrs#digest
 *   leaf(e)  = H(0x00 || enc(e))
 *   node(l, r) = H(0x01 || l || r)
 *   root(L[0..n)) = L[0]                                   if n = 1
 *                 = node(root(L[0..k)), root(L[k..n)))      if n > 1, k the largest power of two below n
 * </pre>
 * This is the Merkle Tree Hash of RFC 6962 §2.1 over the encoded entries (an empty list, which a scan
 * never produces, hashes to {@code H()}). Leaves and nodes carry distinct prefixes so that no leaf can pose
 * as a node. Owner, group and mtime are archived but not digested: the digest answers "would the backup
 * differ in content?", and a {@code touch} must not cost a transfer. An entry without extended attributes
 * encodes as before they were archived, so a tree without them keeps its digest.
 *
 * <p>Entries are folded as they come with a stack of complete subtrees, so memory is O(log n).
 * Not thread-safe.
 */
public final class TreeDigest {
    private static final byte ENCODING_VERSION = 1;
    private static final byte WITH_XATTRS = 2;
    private static final byte LEAF = 0;
    private static final byte NODE = 1;

    private final MessageDigest sha256 = newSha256();
    /** Roots of complete subtrees of strictly decreasing size, largest first, and their heights. */
    private byte[][] hashes = new byte[64][];

    private final int[] heights = new int[64];
    private int depth;
    /**
     * One entry's encoding, reused: encoded by hand, big-endian, because this runs for every entry the agent
     * scans and every entry of an archive the server synthesizes, and a {@code ByteBuffer}'s checked puts
     * made the JIT compile a much larger loop.
     */
    private byte[] scratch = new byte[512];

    private int length;

    /** Adds the next entry; entries must come in manifest order. */
    public void add(ManifestEntry entry) {
        byte[] hash = leaf(entry);
        int height = 0;
        while (depth > 0 && heights[depth - 1] == height) {
            depth--;
            hash = node(hashes[depth], hash);
            hashes[depth] = null;
            height++;
        }
        if (depth == hashes.length) { // at most 64 levels for 2^64 entries: never
            throw new IllegalStateException("too many entries");
        }
        hashes[depth] = hash;
        heights[depth++] = height;
    }

    /** The root of everything added, lowercase hex. The digest is spent afterwards. */
    public String finish() {
        if (depth == 0) {
            return Hex.format(sha256.digest());
        }
        byte[] acc = hashes[--depth];
        while (depth > 0) {
            acc = node(hashes[--depth], acc);
        }
        hashes = new byte[64][];
        return Hex.format(acc);
    }

    public static String of(List<ManifestEntry> entries) {
        TreeDigest digest = new TreeDigest();
        for (ManifestEntry e : entries) {
            digest.add(e);
        }
        return digest.finish();
    }

    /** The canonical encoding {@code enc(e)} described above. */
    static byte[] encode(ManifestEntry e) {
        TreeDigest d = new TreeDigest();
        d.encodeInto(e);
        return Arrays.copyOf(d.scratch, d.length);
    }

    static void checkHex(String digest) {
        if (digest == null
                || digest.length() != 64
                || !digest.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("digest must be 64 lowercase hex digits, was '" + digest + "'");
        }
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private byte[] leaf(ManifestEntry e) {
        encodeInto(e);
        sha256.update(LEAF);
        sha256.update(scratch, 0, length);
        return sha256.digest();
    }

    private byte[] node(byte[] left, byte[] right) {
        sha256.update(NODE);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    private void encodeInto(ManifestEntry e) {
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        byte[] target = e.linkTarget().getBytes(StandardCharsets.UTF_8);
        boolean file = e.type() == EntryType.FILE;
        boolean xattrs = !e.xattrs().isEmpty();
        int content = file ? e.sha256().length() / 2 : 0;
        int needed = 1
                + 4
                + name.length
                + 1
                + 4
                + 8
                + 4
                + content
                + 4
                + target.length
                + (xattrs ? 4 + e.xattrs().length() / 2 : 0);
        if (scratch.length < needed) {
            scratch = new byte[Math.max(needed, scratch.length * 2)];
        }
        length = 0;
        scratch[length++] = xattrs ? WITH_XATTRS : ENCODING_VERSION;
        bytes(name);
        scratch[length++] = e.type().code();
        u32(e.mode());
        u32((int) (e.size() >>> 32));
        u32((int) e.size());
        u32(content);
        if (file) {
            length += Hex.decode(e.sha256(), scratch, length);
        }
        bytes(target);
        if (xattrs) {
            u32(e.xattrs().length() / 2);
            length += Hex.decode(e.xattrs(), scratch, length);
        }
    }

    private void bytes(byte[] b) {
        u32(b.length);
        System.arraycopy(b, 0, scratch, length, b.length);
        length += b.length;
    }

    private void u32(int v) {
        scratch[length++] = (byte) (v >>> 24);
        scratch[length++] = (byte) (v >>> 16);
        scratch[length++] = (byte) (v >>> 8);
        scratch[length++] = (byte) v;
    }
}
