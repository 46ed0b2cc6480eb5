package io.github.autodeploy.ansible;

/** One host's counts from a PLAY RECAP or the json callback's {@code stats}. */
record HostStats(String host, int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {
}
