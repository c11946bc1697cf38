package org.clusterbackup.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The apps' backend for core's {@code System.Logger}: java.util.logging, one line per record on stderr
 * ({@code 2026-01-02 03:04:05.123 INFO Catalog: message}). Stdout stays free for readiness lines and output.
 */
public final class Logging {
    private Logging() {}

    /** Configures the root logger; {@code verbose} adds debug lines. */
    public static void configure(boolean verbose) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler h = new ConsoleHandler();
        h.setFormatter(new ShortNameFormatter());
        Level level = verbose ? Level.FINE : Level.INFO;
        h.setLevel(level);
        root.setLevel(level);
        root.addHandler(h);
    }

    /** Drops the package from logger names: lines stay short and still say which class spoke. */
    private static final class ShortNameFormatter extends SimpleFormatter {
        @Override
        public String format(java.util.logging.LogRecord record) {
            String name = record.getLoggerName();
            if (name != null) {
                record.setLoggerName(name.substring(name.lastIndexOf('.') + 1));
            }
            // MessageFormat would print ids and byte counts as "1,234"; logs show them as 1234.
            Object[] params = record.getParameters();
            if (params != null) {
                Object[] plain = params.clone();
                for (int i = 0; i < plain.length; i++) {
                    if (plain[i] instanceof Number) {
                        plain[i] = plain[i].toString();
                    }
                }
                record.setParameters(plain);
            }
            return super.format(record);
        }
    }
}
