package org.clusterbackup.core.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SIZE of server and agent flags: bytes, or a number with {@code K}, {@code M} or {@code G} (powers of 1024). */
public final class SizeSpec {
    private static final Pattern SPEC = Pattern.compile("([1-9][0-9]{0,15})([KMG]?)");

    private SizeSpec() {}

    /**
     * @param flag the flag's name, for the message
     * @throws InvalidInputException not a SIZE, or more than a long holds
     */
    public static long parse(String spec, String flag) {
        Matcher m = spec == null ? null : SPEC.matcher(spec);
        if (m == null || !m.matches()) {
            throw new InvalidInputException(flag + " '" + spec
                    + "' is not a size: expected bytes, or a whole number with K, M or G (500M, 2G)");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new InvalidInputException(flag + " '" + spec + "' is too large");
        }
        return n << shift;
    }
}
