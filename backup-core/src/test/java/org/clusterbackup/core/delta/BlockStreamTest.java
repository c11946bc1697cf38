package org.clusterbackup.core.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlockStreamTest {
    private static final byte[] HASH = new byte[32];

    static {
        Arrays.fill(HASH, (byte) 7);
    }

    /** A stream with tar bytes, a described file (its 10 content bytes dropped), and the padding. */
    private static byte[] sample() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BlockStreamWriter w = new BlockStreamWriter(bytes);
        w.write("HEADER".getBytes(StandardCharsets.US_ASCII));
        w.beginFile("dir/file.txt", 10);
        w.copy(100, 4);
        w.copy(104, 2); // merged with the one before
        w.literal("xyz!".getBytes(StandardCharsets.US_ASCII), 0, 4);
        w.write(new byte[10]); // the content, as the tar writer writes it: dropped
        w.endFile(HASH);
        w.write("PAD".getBytes(StandardCharsets.US_ASCII));
        w.finish();
        return bytes.toByteArray();
    }

    @Test
    void whatTheWriterWritesTheReaderReads() throws Exception {
        BlockStreamReader r = new BlockStreamReader(new ByteArrayInputStream(sample()));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();

        assertEquals(BlockStream.TAR, r.next());
        r.copyTar(tar);
        assertEquals(BlockStream.FILE, r.next());
        assertEquals("dir/file.txt", r.path());
        assertEquals(10, r.size());
        assertEquals(BlockStream.COPY, r.nextOp());
        assertEquals(100, r.copyOffset());
        assertEquals(6, r.length());
        assertEquals(BlockStream.LITERAL, r.nextOp());
        ByteArrayOutputStream literal = new ByteArrayOutputStream();
        r.copyTar(literal);
        assertEquals("xyz!", literal.toString(StandardCharsets.US_ASCII));
        assertEquals(BlockStream.OP_END, r.nextOp());
        assertArrayEquals(HASH, r.sha256());
        assertEquals(BlockStream.TAR, r.next());
        r.copyTar(tar);
        assertEquals(BlockStream.END, r.next());
        assertEquals("HEADERPAD", tar.toString(StandardCharsets.US_ASCII), "the content bytes were dropped");
    }

    @Test
    void aCutStreamOrTrailingBytesAreRefused() throws Exception {
        byte[] whole = sample();
        for (int cut = 0; cut < whole.length; cut++) {
            BlockStreamReader r = new BlockStreamReader(new ByteArrayInputStream(Arrays.copyOf(whole, cut)));
            assertThrows(Exception.class, () -> readAll(r), "cut at " + cut);
        }
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertThrows(
                MalformedDeltaException.class, () -> readAll(new BlockStreamReader(new ByteArrayInputStream(longer))));
    }

    @Test
    void unknownKindsAndHugeNumbersAreRefused() {
        assertThrows(MalformedDeltaException.class, () -> readAll(reader(9)));
        assertThrows(
                MalformedDeltaException.class,
                () -> readAll(reader(1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)));
        assertThrows(EOFException.class, () -> readAll(reader(1, 5, 'a')));
        assertThrows(MalformedDeltaException.class, () -> readAll(reader(2, 0)), "an empty name");
    }

    @Test
    void opsBeyondTheFileAreAWritersBug() throws Exception {
        BlockStreamWriter w = new BlockStreamWriter(new ByteArrayOutputStream());
        w.beginFile("f", 4);
        w.copy(0, 4);
        assertThrows(IllegalStateException.class, () -> w.literal(new byte[1], 0, 1));
    }

    private static BlockStreamReader reader(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new BlockStreamReader(new ByteArrayInputStream(b));
    }

    private static void readAll(BlockStreamReader r) throws Exception {
        for (int kind = r.next(); kind != BlockStream.END; kind = r.next()) {
            if (kind == BlockStream.TAR) {
                r.skip();
                continue;
            }
            for (int op = r.nextOp(); op != BlockStream.OP_END; op = r.nextOp()) {
                if (op == BlockStream.LITERAL) {
                    r.skip();
                }
            }
            r.sha256();
        }
    }
}
