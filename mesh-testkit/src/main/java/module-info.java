/**
 * Testing against a mesh: {@link dev.jv2p.mesh.testkit.TestMesh}, the network emulator and
 * virtual time ({@code dev.jv2p.mesh.testkit}).
 */
module dev.jv2p.mesh.testkit {
    requires transitive dev.jv2p.mesh;
    requires io.netty.common;
    requires io.netty.transport;

    exports dev.jv2p.mesh.testkit;
}
