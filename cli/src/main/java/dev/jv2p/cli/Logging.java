package dev.jv2p.cli;

import java.util.Locale;
import java.util.Set;

/** Sets the level of the bundled SLF4J simple logger; must run before the first logger is made. */
final class Logging {
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    private Logging() {}

    static void setLevel(String level) {
        String l = level.toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(l)) {
            throw new IllegalArgumentException("--log-level must be one of " + LEVELS + ", was '" + level + "'");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", l);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn".equals(l) || "error".equals(l) ? l : "warn");
    }
}
