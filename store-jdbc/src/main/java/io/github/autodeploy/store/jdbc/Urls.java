package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.config.StoreUrls;

/** Masks the secrets in a JDBC URL, so that it can be named in a message or a log. Stateless. */
final class Urls {
    private Urls() {
    }

    /** As the configuration masks it ({@link StoreUrls#mask}), so that every message shows a URL alike. */
    static String mask(String url) {
        return StoreUrls.mask(url);
    }
}
