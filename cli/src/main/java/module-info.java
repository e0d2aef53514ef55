/**
 * The runnable node ({@code jv2p node|demo}). The codecs are not required here: they are bound
 * as service providers when their modules are on the module path. The TLS and WebSocket
 * transports are required because their options ({@code --key-file}, {@code --wss-*}) build them.
 */
module dev.jv2p.cli {
    requires dev.jv2p.sync;
    requires dev.jv2p.transport.tls;
    requires dev.jv2p.transport.ws;
    requires com.fasterxml.jackson.databind;
    requires info.picocli;

    // picocli sets the option fields of the commands reflectively
    opens dev.jv2p.cli to
            info.picocli;
}
