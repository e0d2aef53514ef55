package dev.jv2p.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No main-source class over {@value #LIMIT} lines outside {@code benchmarks} (issue 15), except
 * the files of a shrinking allow-list ({@code src/test/resources/class-size-allowlist.txt}): each
 * listed file may not grow past the line count it was listed with, and its entry must go once it
 * is split down to the limit. A class is counted as its source file, nested classes included.
 */
class ClassSizeTest {
    static final int LIMIT = 400;
    /** The repository root, seen from this module's directory (where Surefire runs tests). */
    private static final Path ROOT = Path.of("..");

    private static final Path ALLOW_LIST = Path.of("src", "test", "resources", "class-size-allowlist.txt");
    /** Top-level directories whose main sources are not held to the limit. */
    private static final Set<String> EXEMPT_MODULES = Set.of("benchmarks");

    @Test
    void noMainSourceFileOutsideBenchmarksIsOverTheLimitUnlessListedAndWithinItsCeiling() throws IOException {
        Map<String, Integer> sizes = mainSourceSizes(ROOT);
        assertTrue(
                sizes.keySet().stream().anyMatch(f -> f.startsWith("mesh-core/src/main/java/")),
                "the scan of " + ROOT.toAbsolutePath().normalize() + " found mesh-core's sources");
        Map<String, Integer> allowed = allowList(Files.readAllLines(ALLOW_LIST));
        sizes.forEach((file, lines) -> {
            if (lines > LIMIT) {
                Integer ceiling = allowed.get(file);
                System.out.printf(
                        "class size: %s %d lines (%s)%n",
                        file, lines, ceiling == null ? "not allowed" : "allow-listed, ceiling " + ceiling);
            }
        });
        List<String> problems = check(sizes, allowed);
        assertEquals(
                List.of(),
                problems,
                "main-source files over " + LIMIT + " lines; the allow-list is "
                        + Path.of("integration-tests").resolve(ALLOW_LIST));
    }

    @Test
    void anUnlistedFileOverTheLimitIsReported(@TempDir Path root) throws IOException {
        write(root, "mesh-core/src/main/java/a/Big.java", LIMIT + 1);
        write(root, "mesh-core/src/main/java/a/Small.java", LIMIT);

        List<String> problems = check(mainSourceSizes(root), Map.of());

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("mesh-core/src/main/java/a/Big.java has 401 lines"), problems.get(0));
    }

    @Test
    void aListedFileMayShrinkButNotGrowPastItsCeiling(@TempDir Path root) throws IOException {
        write(root, "sync-core/src/main/java/s/Shrinking.java", 500);
        write(root, "sync-core/src/main/java/s/Growing.java", 601);
        Map<String, Integer> allowed = allowList(
                List.of("sync-core/src/main/java/s/Shrinking.java 550", "sync-core/src/main/java/s/Growing.java 600"));

        List<String> problems = check(mainSourceSizes(root), allowed);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(
                problems.get(0)
                        .startsWith("sync-core/src/main/java/s/Growing.java has 601 lines, more than its"
                                + " ceiling of 600"),
                problems.get(0));
    }

    @Test
    void anEntryWhoseFileIsSplitToTheLimitOrGoneMustLeaveTheList(@TempDir Path root) throws IOException {
        write(root, "mesh-core/src/main/java/a/Split.java", LIMIT);
        Map<String, Integer> allowed = allowList(
                List.of("mesh-core/src/main/java/a/Split.java 610", "mesh-core/src/main/java/a/Gone.java 572"));

        List<String> problems = check(mainSourceSizes(root), allowed);

        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("mesh-core/src/main/java/a/Gone.java is gone"), problems.get(0));
        assertTrue(
                problems.get(1).startsWith("mesh-core/src/main/java/a/Split.java is down to 400 lines"),
                problems.get(1));
    }

    @Test
    void benchmarksTestSourcesAndBuildOutputAreNotCounted(@TempDir Path root) throws IOException {
        write(root, "benchmarks/src/main/java/b/Harness.java", 900);
        write(root, "mesh-core/src/test/java/a/BigTest.java", 900);
        write(root, "codec-protobuf/target/generated-sources/protobuf/java/src/main/java/w/Wire.java", 900);
        write(root, "mesh-core/src/main/java/a/Fine.java", 10);

        Map<String, Integer> sizes = mainSourceSizes(root);

        assertEquals(Map.of("mesh-core/src/main/java/a/Fine.java", 10), sizes);
    }

    @Test
    void aMalformedOrPointlessAllowListLineIsRefusedWithItsLineNumber() {
        IllegalArgumentException noCount = assertThrows(
                IllegalArgumentException.class,
                () -> allowList(List.of("# comment", "mesh-core/src/main/java/a/A.java")));
        assertTrue(noCount.getMessage().startsWith("allow-list line 2:"), noCount.getMessage());
        IllegalArgumentException twice = assertThrows(
                IllegalArgumentException.class,
                () -> allowList(List.of("a/src/main/java/A.java 500", "a/src/main/java/A.java 450")));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        IllegalArgumentException withinLimit =
                assertThrows(IllegalArgumentException.class, () -> allowList(List.of("a/src/main/java/A.java 400")));
        assertTrue(withinLimit.getMessage().contains("not over " + LIMIT), withinLimit.getMessage());
        assertFalse(
                allowList(List.of("", "  # note", "a/src/main/java/A.java 401")).isEmpty());
    }

    /** What breaks the rule, one sentence per file, in path order. */
    static List<String> check(Map<String, Integer> sizes, Map<String, Integer> allowed) {
        Map<String, String> problems = new TreeMap<>();
        sizes.forEach((file, lines) -> {
            Integer ceiling = allowed.get(file);
            if (lines > LIMIT && ceiling == null) {
                problems.put(
                        file,
                        file + " has " + lines + " lines, over " + LIMIT
                                + ": split it (the allow-list only shrinks; nothing is added to it)");
            } else if (ceiling != null && lines > ceiling) {
                problems.put(
                        file,
                        file + " has " + lines + " lines, more than its ceiling of " + ceiling
                                + " in the allow-list: a listed file may only shrink");
            } else if (ceiling != null && lines <= LIMIT) {
                problems.put(file, file + " is down to " + lines + " lines: remove its line from the allow-list");
            }
        });
        allowed.keySet().stream()
                .filter(file -> !sizes.containsKey(file))
                .forEach(file -> problems.put(file, file + " is gone: remove its line from the allow-list"));
        return new ArrayList<>(problems.values());
    }

    /** Line counts of every {@code src/main/java} source under {@code root}, by path from it with '/'. */
    static Map<String, Integer> mainSourceSizes(Path root) throws IOException {
        Map<String, Integer> sizes = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean exempt =
                        dir.getParent() != null && dir.getParent().equals(root) && EXEMPT_MODULES.contains(name);
                boolean skipped = !dir.equals(root)
                        && (name.equals("target") || name.equals("node_modules") || name.startsWith("."));
                return exempt || skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (relative.endsWith(".java") && relative.contains("/src/main/java/")) {
                    sizes.put(relative, Files.readAllLines(file).size());
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return sizes;
    }

    /** The allow-list: path → ceiling; blank lines and lines starting with '#' are skipped. */
    static Map<String, Integer> allowList(List<String> lines) {
        Map<String, Integer> allowed = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String where = "allow-list line " + (i + 1) + ": '" + line + "' ";
            if (words.length != 2 || !words[1].matches("[0-9]{1,6}")) {
                throw new IllegalArgumentException(where + "is not 'path/from/root/File.java lines'");
            }
            int ceiling = Integer.parseInt(words[1]);
            if (ceiling <= LIMIT) {
                throw new IllegalArgumentException(where + "is not over " + LIMIT + " lines: remove it");
            }
            if (allowed.put(words[0], ceiling) != null) {
                throw new IllegalArgumentException(where + "lists " + words[0] + " twice");
            }
        }
        return allowed;
    }

    private static void write(Path root, String file, int lines) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, "x\n".repeat(lines));
    }
}
