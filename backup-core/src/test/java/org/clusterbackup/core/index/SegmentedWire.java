package org.clusterbackup.core.index;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.Segment;

/**
 * A test producer of the segmented wire format: cuts a tar stream at given points (the receiver must not
 * care where), deflates each piece alone ending with SYNC_FLUSH, and lists the messages an agent sends.
 * Tests then bend one message to play an agent that lies.
 */
public final class SegmentedWire {
    private SegmentedWire() {}

    /** The tar stream our own writer makes of a tree. */
    public static byte[] tarOf(Path root) throws IOException {
        TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());
        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        archiver.write(archiver.scan(root, StatCache.empty()), StatCache.empty(), tgz);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz.toByteArray()))) {
            return in.readAllBytes();
        }
    }

    /** Segments of {@code segmentSize} tar bytes, each sent in Data frames of at most {@code frame} bytes. */
    public static List<Message> wire(byte[] tar, int segmentSize, int frame) {
        List<Message> out = new ArrayList<>();
        out.add(new Data(GzipLayout.header()));
        CRC32 whole = new CRC32();
        whole.update(tar);
        for (int from = 0; from < tar.length; from += segmentSize) {
            byte[] piece = Arrays.copyOfRange(tar, from, Math.min(tar.length, from + segmentSize));
            byte[] gz = deflate(piece);
            CRC32 crc = new CRC32();
            crc.update(piece);
            out.add(new Segment(piece.length, gz.length, crc.getValue()));
            for (int at = 0; at < gz.length; at += frame) {
                out.add(new Data(Arrays.copyOfRange(gz, at, Math.min(gz.length, at + frame))));
            }
        }
        out.add(new Data(GzipLayout.tail(whole.getValue(), tar.length)));
        return out;
    }

    /** The stored file those messages make: every Data byte in order. */
    public static byte[] tgz(List<Message> wire) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : wire) {
            if (m instanceof Data d) {
                out.writeBytes(d.bytes());
            }
        }
        return out.toByteArray();
    }

    /** Raw deflate of one piece, alone, ended by SYNC_FLUSH (byte aligned, not final). */
    public static byte[] deflate(byte[] piece) {
        Deflater d = new Deflater(6, true);
        try {
            d.setInput(piece);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** Feeds the messages to a receiver, as the server's receive loop does. */
    public static String receive(ArchiveReceiver receiver, List<Message> wire) throws ArchiveFormatException {
        try {
            for (Message m : wire) {
                if (m instanceof Data d) {
                    receiver.data(d.bytes());
                } else if (m instanceof Segment s) {
                    receiver.segment(s);
                }
            }
            return receiver.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
