package org.clusterbackup.server.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.TargetPath;
import org.clusterbackup.core.protocol.TargetLine;

/**
 * A file of targets for {@code register --from} and {@code unregister --from}: one target a line,
 * {@code NODE PORT PATH SPEC}, fields separated by blanks; empty lines and lines starting with {@code #} are
 * skipped. PATH is everything between PORT and SPEC, so it may hold blanks. Every line is checked before
 * anything is sent: the first bad one is a usage error naming its line number.
 */
final class TargetFile {
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern SPEC = Pattern.compile("[1-9][0-9]*[smh]?");

    private TargetFile() {}

    /**
     * Reads and validates the file ({@code -}: {@code stdin}).
     *
     * @param specRequired whether each line must end with a SPEC (register) or may (unregister)
     * @throws InvalidInputException the file cannot be read, or a line is bad: {@code line N: why}
     */
    static List<TargetLine> read(String file, InputStream stdin, boolean specRequired) {
        String name = file.equals("-") ? "standard input" : file;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                file.equals("-") ? stdin : Files.newInputStream(Path.of(file)),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
            return parse(in, specRequired);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("cannot read " + name + ": no such file");
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("cannot read " + name + ": it is not UTF-8 text");
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException("cannot read " + name + ": " + e.getMessage());
        }
    }

    static List<TargetLine> parse(BufferedReader in, boolean specRequired) throws IOException {
        List<TargetLine> targets = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int number = 0;
        for (String raw = in.readLine(); raw != null; raw = in.readLine()) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            TargetLine t;
            try {
                t = line(line, specRequired);
            } catch (InvalidInputException e) {
                throw new InvalidInputException("line " + number + ": " + e.getMessage());
            }
            Integer first = seen.putIfAbsent(t.node() + " " + t.port() + " " + t.path(), number);
            if (first != null) {
                throw new InvalidInputException("line " + number + ": the same target as line " + first + " ("
                        + t.node() + " " + t.port() + " " + t.path() + ")");
            }
            targets.add(t);
        }
        return targets;
    }

    private static TargetLine line(String line, boolean specRequired) {
        String[] head = BLANKS.split(line, 3);
        if (head.length < 3) {
            throw new InvalidInputException("expected NODE PORT PATH" + (specRequired ? " SPEC" : " [SPEC]")
                    + ", found " + head.length + " field" + (head.length == 1 ? "" : "s"));
        }
        String node = NodeAddress.normalize(head[0]);
        int port = port(head[1]);
        String rest = head[2];
        String spec = null;
        int cut = lastBlank(rest);
        if (cut > 0 && (specRequired || SPEC.matcher(rest.substring(cut + 1)).matches())) {
            spec = rest.substring(cut + 1);
            rest = rest.substring(0, cut).strip();
        }
        if (specRequired && spec == null) {
            throw new InvalidInputException("expected NODE PORT PATH SPEC: no SPEC after the path " + rest);
        }
        return new TargetLine(
                node, port, TargetPath.normalize(rest), spec == null ? null : Frequency.parseSeconds(spec));
    }

    private static int port(String text) {
        try {
            return NodeAddress.checkPort(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("port '" + text + "' is not a number");
        }
    }

    private static int lastBlank(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
