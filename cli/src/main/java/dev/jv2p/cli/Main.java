package dev.jv2p.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code jv2p.jar}. */
@Command(
        name = "jv2p",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A p2p.today mesh node with a synchronized dictionary.",
        subcommands = {NodeCommand.class, DemoCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs {@code jv2p} with {@code args} and exits with its code. */
    public static void main(String[] args) {
        cacheDnsBriefly();
        System.exit(run(args));
    }

    /**
     * A {@code --join} name is re-resolved to find nodes that came or went (replicas of a
     * service); the JVM would otherwise keep an answer 30 s and a failure 10 s. Only when the
     * user set neither (the security properties, or {@code -Dsun.net.inetaddr.ttl}); it must run
     * before the first lookup, since the JVM reads these once.
     */
    static void cacheDnsBriefly() {
        if (java.security.Security.getProperty("networkaddress.cache.ttl") == null
                && System.getProperty("sun.net.inetaddr.ttl") == null) {
            java.security.Security.setProperty("networkaddress.cache.ttl", "5");
            java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
        }
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Reports the version from the jar's manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jv2p " + (v == null ? "dev" : v)};
        }
    }
}
