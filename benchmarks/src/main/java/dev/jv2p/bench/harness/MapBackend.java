package dev.jv2p.bench.harness;

import java.util.Map;

/** A backend whose replicated map is a {@link Map}: the map calls go straight to it. */
abstract class MapBackend implements Backend {
    /** The replicated map, once {@link #start} has run. */
    protected abstract Map<String, String> map();

    @Override
    public void put(String key, String value) {
        map().put(key, value);
    }

    @Override
    public void putAll(Map<String, String> entries) {
        map().putAll(entries);
    }

    @Override
    public boolean containsKey(String key) {
        return map().containsKey(key);
    }

    @Override
    public int size() {
        return map().size();
    }
}
