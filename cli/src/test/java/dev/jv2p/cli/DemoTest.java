package dev.jv2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoTest {
    @Test
    void theDemoConvergesAndExitsZero() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("demo", "--nodes", "3");
        } finally {
            System.setOut(original);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("all nodes agree again"), text);
        long finalLines = text.lines()
                .filter(l -> l.startsWith("node ") && l.contains("{"))
                .count();
        assertEquals(3, finalLines, text);
        assertEquals(
                1,
                text.lines()
                        .filter(l -> l.startsWith("node ") && l.contains("{"))
                        .map(l -> l.substring(l.indexOf('{')))
                        .distinct()
                        .count(),
                "nodes disagree:\n" + text);
    }
}
