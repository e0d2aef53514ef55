package dev.jv2p.it.js2p;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * JUnit 5 extension: when a test fails, prints the js2p console output and the transcript
 * location of every {@link Js2pNode} started during that test.
 *
 * <pre>{@code @ExtendWith(Js2pLogsOnFailure.class)}</pre>
 */
public final class Js2pLogsOnFailure implements BeforeEachCallback, TestWatcher {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Js2pLogsOnFailure.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("mark", Js2pNode.STARTED.size());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Integer mark = context.getStore(NS).get("mark", Integer.class);
        List<Js2pNode.Logs> started = Js2pNode.STARTED;
        StringBuilder sb = new StringBuilder();
        for (Js2pNode.Logs n : started.subList(mark == null ? 0 : Math.min(mark, started.size()), started.size())) {
            sb.append("===== js2p node ")
                    .append(n.name())
                    .append(" (")
                    .append(context.getDisplayName())
                    .append(") =====\n")
                    .append("--- console: ")
                    .append(n.stderrLog())
                    .append(" ---\n")
                    .append(Js2pInstall.tail(n.stderrLog()))
                    .append('\n')
                    .append("--- transcript: ")
                    .append(n.transcript())
                    .append(" ---\n");
        }
        if (sb.length() > 0) {
            System.err.print(sb);
        }
    }
}
