package dev.jv2p.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One dictionary entry as a node reports it ({@code dump}): the value and the stamp of the
 * write that set it.
 */
record Entry(JsonNode value, String owner, long timestamp) {

    static Entry of(JsonNode dumped) {
        return new Entry(
                dumped.get("value"),
                dumped.path("owner").asText(null),
                dumped.path("timestamp").asLong(-1));
    }

    @Override
    public String toString() {
        return value + " by " + (owner == null ? "?" : owner.substring(0, Math.min(8, owner.length()))) + " @"
                + timestamp;
    }
}
