package dev.jv2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.SyncConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The configuration reference in {@code docs/GUIDE.md} names exactly the options the code
 * has: the builder methods of {@link MeshConfig} and {@link SyncConfig}, and the options of
 * {@code jv2p node} (with their defaults). A new option without a row, or a row for an option
 * that is gone, fails here.
 */
class ConfigurationReferenceTest {
    private static final Path GUIDE = Path.of("..", "docs", "GUIDE.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** The rows of the first table under the heading that starts with {@code heading}: first cell → second cell. */
    private static Map<String, String> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(GUIDE);
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith(heading)) {
            i++;
        }
        assertFalse(i == lines.size(), "GUIDE.md has a section '" + heading + "'");
        Map<String, String> rows = new LinkedHashMap<>();
        for (i++; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            String line = lines.get(i);
            if (!line.startsWith("|") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            if (cells[1].strip().equals("option")) {
                continue; // the header row
            }
            rows.put(cells[1].strip(), cells[2].strip());
        }
        return rows;
    }

    /** Every name in backquotes in the first cells ({@code `a` / `b`} is two options). */
    private static Set<String> documentedNames(Map<String, String> rows) {
        Set<String> names = new TreeSet<>();
        for (String cell : rows.keySet()) {
            Matcher m = CODE.matcher(cell);
            while (m.find()) {
                names.add(m.group(1).split(" ")[0]);
            }
        }
        return names;
    }

    private static Set<String> builderMethods(Class<?> builder) {
        Set<String> names = new TreeSet<>();
        for (Method m : builder.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() == builder) {
                names.add(m.getName());
            }
        }
        return names;
    }

    private static List<OptionSpec> nodeOptions() {
        List<OptionSpec> out = new ArrayList<>();
        for (OptionSpec o : new CommandLine(new NodeCommand()).getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                out.add(o);
            }
        }
        return out;
    }

    @Test
    void everyMeshConfigBuilderMethodIsDocumentedAndNoOther() throws IOException {
        assertEquals(builderMethods(MeshConfig.Builder.class), documentedNames(table("### `MeshConfig`")));
    }

    @Test
    void everySyncConfigBuilderMethodIsDocumentedAndNoOther() throws IOException {
        assertEquals(builderMethods(SyncConfig.Builder.class), documentedNames(table("### `SyncConfig`")));
    }

    @Test
    void everyNodeOptionIsDocumentedAndNoOther() throws IOException {
        Set<String> real = new TreeSet<>();
        nodeOptions().forEach(o -> real.add(o.longestName()));
        assertEquals(real, documentedNames(table("### CLI")));
    }

    @Test
    void theDocumentedDefaultOfEveryNodeOptionIsItsRealDefault() throws IOException {
        Map<String, String> defaults = new TreeMap<>();
        table("### CLI")
                .forEach((cell, dflt) -> defaults.put(cell.replace("`", "").split(" ")[0], dflt));
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> documented = new TreeMap<>();
        for (OptionSpec o : nodeOptions()) {
            if (o.defaultValue() != null) {
                expected.put(o.longestName(), "`" + o.defaultValue() + "`");
                documented.put(o.longestName(), defaults.get(o.longestName()));
            }
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, documented);
    }
}
