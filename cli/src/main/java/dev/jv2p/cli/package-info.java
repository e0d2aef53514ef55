/**
 * The {@code jv2p} command line: {@code node} runs a synchronized-dictionary node with a
 * command loop on standard input (and optionally a loopback control port), {@code demo}
 * shows a small mesh converging.
 */
package dev.jv2p.cli;
