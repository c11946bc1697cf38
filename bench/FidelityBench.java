import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.TreeScan;

/**
 * The figures of docs/PERFORMANCE.md "Hard links and sparse files": the agent's archive of a tree holding a
 * 1 GiB sparse file (1 MiB of data) and 1,000 hard links to one 1 MiB file of random bytes, written by the
 * build on the classpath (scan with an empty stat cache, then the write, to a file: no network, no server).
 *
 * <p>Run as a single-file program with backup-core and its dependencies on the class path:
 * {@code java -cp CP bench/FidelityBench.java --tree DIR --make} creates the tree in DIR (which must not exist);
 * {@code java -cp CP bench/FidelityBench.java --tree DIR --out FILE} archives it and prints one line: archive
 * bytes, scan ms, write ms. {@code bench/fidelity} runs both builds.
 */
public final class FidelityBench {
    private FidelityBench() {
    }

    public static void main(String[] args) throws Exception {
        Path tree = null;
        Path out = null;
        boolean make = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tree" -> tree = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--make" -> make = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (make) {
            make(tree);
            return;
        }
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults());
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
            long t0 = System.nanoTime();
            TreeScan scan = archiver.scan(tree, StatCache.empty());
            long t1 = System.nanoTime();
            archiver.write(scan, StatCache.empty(), file);
            long t2 = System.nanoTime();
            file.flush();
            System.out.printf("archive %d bytes, scan %d ms, write %d ms%n", Files.size(out), (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000);
        }
    }

    private static void make(Path tree) throws Exception {
        Files.createDirectories(tree.resolve("links"));
        SplittableRandom random = new SplittableRandom(42);
        byte[] data = new byte[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        Path shared = Files.write(tree.resolve("shared.bin"), data);
        for (int i = 0; i < 1000; i++) {
            Files.createLink(tree.resolve(String.format("links/name%04d.bin", i)), shared);
        }
        try (RandomAccessFile f = new RandomAccessFile(tree.resolve("disk.img").toFile(), "rw")) {
            f.setLength(1L << 30);
            for (int i = 0; i < 16; i++) { // 16 × 64 KiB of data spread over the file: 1 MiB
                f.seek((long) i * (64L << 20));
                f.write(data, i * 65536, 65536);
            }
        }
    }
}
