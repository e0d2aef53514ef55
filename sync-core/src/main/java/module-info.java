/**
 * The synchronized dictionary over a mesh: {@link dev.jv2p.sync.SyncSocket}. The store and its
 * merge rules ({@code dev.jv2p.sync.internal}) are internal.
 */
module dev.jv2p.sync {
    requires transitive dev.jv2p.mesh;
    requires org.slf4j;

    exports dev.jv2p.sync;
}
