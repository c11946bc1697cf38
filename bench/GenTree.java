import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Generates the benchmark tree: a deterministic mix of source-like text (about 2/3 of the volume) and
 * already-compressed data (about 1/3: random bytes named like images and zips, and real gzip files of
 * text), in nested directories of a few dozen files each, like an application's directory.
 *
 * <p>Run as a single-file program (no build step): {@code java bench/GenTree.java --dir DIR --size-mb 200
 * --files 15000 --seed 42}. DIR must not exist. The same arguments always give the same names, contents,
 * sizes and mtimes (mtimes are set to fixed dates in 2024, so the tree is also "old" for the agent's
 * racy-timestamp rule; only ctimes are new). Prints one summary line.
 *
 * <p>Why this shape: file sizes are log-normal (many small files, a few large ones), as in real trees; the
 * text is built line by line from templates and a vocabulary, so it compresses roughly like code (about 3-5x
 * with gzip -6) rather than like repeated text (which would flatter every compressor).
 */
public final class GenTree {
    /** Share of the volume, and of the file count, that is already compressed. */
    private static final double COMPRESSED_VOLUME = 1.0 / 3.0;
    private static final double COMPRESSED_COUNT = 0.08;
    private static final int FILES_PER_DIR = 40;
    private static final long MTIME_BASE = 1_704_067_200L; // 2024-01-01T00:00:00Z

    private static final String[] TEXT_EXT = {".java", ".java", ".java", ".py", ".c", ".h", ".md", ".json", ".xml", ".log"};
    private static final String[] BINARY_EXT = {".jpg", ".png", ".zip", ".gz"};
    private static final String[] KEYWORDS = {"public", "private", "static", "final", "return", "if", "else", "for",
            "while", "new", "int", "long", "String", "void", "class", "import", "throws", "try", "catch", "null",
            "true", "false", "this", "def", "self", "const", "struct", "switch", "case", "break"};
    private static final String[] SYLLABLES = {"get", "set", "value", "count", "name", "file", "path", "node", "data",
            "buffer", "index", "size", "map", "list", "item", "key", "state", "time", "cache", "hash", "read", "write",
            "open", "close", "start", "stop", "entry", "target", "agent", "server", "result", "error", "config",
            "handler", "request", "reply", "stream", "chunk", "frame", "digest", "tree", "scan", "store", "log"};

    private final SplittableRandom random;
    private final String[] vocabulary;

    private GenTree(long seed) {
        random = new SplittableRandom(seed);
        vocabulary = new String[3000];
        for (int i = 0; i < vocabulary.length; i++) {
            StringBuilder w = new StringBuilder(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            int parts = 1 + random.nextInt(3);
            for (int p = 0; p < parts; p++) {
                String s = SYLLABLES[random.nextInt(SYLLABLES.length)];
                w.append(Character.toUpperCase(s.charAt(0))).append(s, 1, s.length());
            }
            if (random.nextInt(4) == 0) {
                w.append(random.nextInt(100));
            }
            vocabulary[i] = w.toString();
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = null;
        long sizeMb = 200;
        int files = 15000;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--size-mb" -> sizeMb = Long.parseLong(args[++i]);
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dir == null || sizeMb < 1 || files < 10) {
            System.err.println("usage: GenTree --dir DIR [--size-mb N>=1] [--files N>=10] [--seed S]");
            System.exit(2);
        }
        new GenTree(seed).generate(dir, sizeMb * 1024 * 1024, files);
    }

    private void generate(Path root, long totalBytes, int files) throws IOException {
        Files.createDirectory(root);
        int compressedFiles = Math.max(1, (int) Math.round(files * COMPRESSED_COUNT));
        long compressedBudget = Math.round(totalBytes * COMPRESSED_VOLUME);
        // Decide kinds and sizes first (so the budgets are met exactly), then shuffle the kinds into the tree.
        boolean[] compressed = new boolean[files];
        for (int i = 0; i < compressedFiles; i++) {
            compressed[i] = true;
        }
        for (int i = files - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            boolean t = compressed[i];
            compressed[i] = compressed[j];
            compressed[j] = t;
        }
        long[] sizes = new long[files];
        assignSizes(sizes, compressed, true, compressedBudget, 8.0 * 1024 * 1024);
        assignSizes(sizes, compressed, false, totalBytes - compressedBudget, 2.0 * 1024 * 1024);

        long written = 0;
        long textBytes = 0;
        Path current = null;
        for (int i = 0; i < files; i++) {
            if (i % FILES_PER_DIR == 0) {
                int d = i / FILES_PER_DIR;
                current = root.resolve(String.format("module-%02d/src/%s/pkg%03d", d % 12,
                        SYLLABLES[d % SYLLABLES.length], d));
                Files.createDirectories(current);
            }
            String ext = compressed[i] ? BINARY_EXT[random.nextInt(BINARY_EXT.length)]
                    : TEXT_EXT[random.nextInt(TEXT_EXT.length)];
            String base = vocabulary[random.nextInt(vocabulary.length)];
            Path file = current.resolve(String.format("%s%05d%s", base, i, ext));
            byte[] content;
            if (!compressed[i]) {
                content = text((int) sizes[i]);
                textBytes += content.length;
            } else if (ext.equals(".gz")) {
                content = gzipOfText((int) sizes[i]);
            } else {
                content = new byte[(int) sizes[i]];
                random.nextBytes(content);
            }
            Files.write(file, content);
            Files.setLastModifiedTime(file, FileTime.from(MTIME_BASE + random.nextLong(365L * 86400),
                    java.util.concurrent.TimeUnit.SECONDS));
            written += content.length;
        }
        // Directory mtimes last (writing a file changes its directory's), deepest first.
        List<Path> all = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.filter(Files::isDirectory).forEach(all::add);
        }
        all.sort((a, b) -> b.getNameCount() - a.getNameCount());
        for (Path d : all) {
            Files.setLastModifiedTime(d, FileTime.from(MTIME_BASE, java.util.concurrent.TimeUnit.SECONDS));
        }
        System.out.printf("generated %d files in %d directories: %d bytes (%d text, %d already compressed)%n",
                files, all.size(), written, textBytes, written - textBytes);
    }

    /** Log-normal sizes for the files of one kind, scaled to sum to {@code budget}, each capped at {@code cap}. */
    private void assignSizes(long[] sizes, boolean[] compressed, boolean kind, long budget, double cap) {
        double[] weights = new double[sizes.length];
        double sum = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (compressed[i] == kind) {
                weights[i] = Math.exp(1.3 * gaussian());
                sum += weights[i];
            }
        }
        // Scale, cap, and rescale the uncapped rest a few times so the caps do not shrink the total.
        double scale = budget / sum;
        for (int round = 0; round < 5; round++) {
            double cappedTotal = 0;
            double freeWeight = 0;
            for (int i = 0; i < sizes.length; i++) {
                if (compressed[i] == kind) {
                    if (weights[i] * scale >= cap) {
                        cappedTotal += cap;
                    } else {
                        freeWeight += weights[i];
                    }
                }
            }
            scale = (budget - cappedTotal) / freeWeight;
        }
        for (int i = 0; i < sizes.length; i++) {
            if (compressed[i] == kind) {
                sizes[i] = (long) Math.min(cap, weights[i] * scale);
            }
        }
    }

    private double gaussian() {
        // Box-Muller on the seeded generator (SplittableRandom has no nextGaussian in every JDK 17 build).
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Source-like text of exactly {@code size} bytes: indented lines of keywords, identifiers and numbers. */
    private byte[] text(int size) {
        StringBuilder sb = new StringBuilder(size + 200);
        int depth = 0;
        while (sb.length() < size) {
            int kind = random.nextInt(10);
            if (kind == 0 && depth < 6) {
                indent(sb, depth++);
                sb.append(KEYWORDS[random.nextInt(KEYWORDS.length)]).append(' ').append(word()).append('(')
                        .append(word()).append(' ').append(word()).append(") {\n");
            } else if (kind == 1 && depth > 0) {
                indent(sb, --depth);
                sb.append("}\n");
            } else if (kind == 2) {
                indent(sb, depth);
                sb.append("// ").append(word()).append(' ').append(word()).append(' ')
                        .append(KEYWORDS[random.nextInt(KEYWORDS.length)]).append(' ').append(word()).append('\n');
            } else {
                indent(sb, depth);
                sb.append(word()).append(" = ").append(word()).append('.').append(word()).append('(')
                        .append(word()).append(", ").append(random.nextInt(10_000)).append(");\n");
            }
        }
        sb.setLength(size);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void indent(StringBuilder sb, int depth) {
        for (int i = 0; i < depth; i++) {
            sb.append("    ");
        }
    }

    /** A vocabulary word, skewed so a few words are common, as identifiers are in real code. */
    private String word() {
        double u = random.nextDouble();
        return vocabulary[(int) (vocabulary.length * u * u * u)];
    }

    /**
     * A real gzip file of about {@code size} bytes (a few KiB over at most): gzip of text, fed in small
     * chunks with a sync flush after each, so the output size can be checked as it grows.
     */
    private byte[] gzipOfText(int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size + 16 * 1024);
        try (OutputStream gz = new GZIPOutputStream(bytes, 8192, true)) {
            while (bytes.size() < size) {
                gz.write(text(8 * 1024));
                gz.flush();
            }
        }
        return bytes.toByteArray();
    }
}
