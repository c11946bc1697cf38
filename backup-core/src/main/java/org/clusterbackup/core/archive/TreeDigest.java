package org.clusterbackup.core.archive;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
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
    private static final HexFormat HEX = HexFormat.of();
    private static final byte ENCODING_VERSION = 1;
    private static final byte WITH_XATTRS = 2;
    private static final byte LEAF = 0;
    private static final byte NODE = 1;

    private final MessageDigest sha256 = newSha256();
    /** Roots of complete subtrees of strictly decreasing size, largest at the bottom. */
    private final Deque<byte[]> hashes = new ArrayDeque<>();

    private final Deque<Integer> heights = new ArrayDeque<>();
    private ByteBuffer scratch = ByteBuffer.allocate(512);

    /** Adds the next entry; entries must come in manifest order. */
    public void add(ManifestEntry entry) {
        byte[] hash = leaf(entry);
        int height = 0;
        while (!heights.isEmpty() && heights.peek() == height) {
            heights.pop();
            hash = node(hashes.pop(), hash);
            height++;
        }
        hashes.push(hash);
        heights.push(height);
    }

    /** The root of everything added, lowercase hex. The digest is spent afterwards. */
    public String finish() {
        if (hashes.isEmpty()) {
            return HEX.formatHex(sha256.digest());
        }
        byte[] acc = hashes.pop();
        while (!hashes.isEmpty()) {
            acc = node(hashes.pop(), acc);
        }
        heights.clear();
        return HEX.formatHex(acc);
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
        ByteBuffer b = d.encodeInto(e);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
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
        ByteBuffer b = encodeInto(e);
        sha256.update(LEAF);
        sha256.update(b);
        return sha256.digest();
    }

    private byte[] node(byte[] left, byte[] right) {
        sha256.update(NODE);
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    private ByteBuffer encodeInto(ManifestEntry e) {
        byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
        byte[] content = e.type() == EntryType.FILE ? HEX.parseHex(e.sha256()) : new byte[0];
        byte[] target = e.linkTarget().getBytes(StandardCharsets.UTF_8);
        byte[] xattrs = e.xattrs().isEmpty() ? null : HEX.parseHex(e.xattrs());
        int length = 1
                + 4
                + name.length
                + 1
                + 4
                + 8
                + 4
                + content.length
                + 4
                + target.length
                + (xattrs == null ? 0 : 4 + xattrs.length);
        if (scratch.capacity() < length) {
            scratch = ByteBuffer.allocate(Math.max(length, scratch.capacity() * 2));
        }
        ByteBuffer b = scratch.clear();
        b.put(xattrs == null ? ENCODING_VERSION : WITH_XATTRS);
        b.putInt(name.length).put(name);
        b.put(e.type().code());
        b.putInt(e.mode());
        b.putLong(e.size());
        b.putInt(content.length).put(content);
        b.putInt(target.length).put(target);
        if (xattrs != null) {
            b.putInt(xattrs.length).put(xattrs);
        }
        return b.flip();
    }
}
