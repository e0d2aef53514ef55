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
        System.exit(run(args));
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
