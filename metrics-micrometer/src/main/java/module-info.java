/** Micrometer meters for a mesh node and a synchronized dictionary. */
module dev.jv2p.metrics.micrometer {
    requires transitive dev.jv2p.sync;
    requires transitive micrometer.core;

    exports dev.jv2p.metrics.micrometer;
}
