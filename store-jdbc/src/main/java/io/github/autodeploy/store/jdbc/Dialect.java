package io.github.autodeploy.store.jdbc;

import io.github.autodeploy.core.AutodeployException;
import java.util.Locale;

/** The databases this store supports, with what differs between them. Immutable. */
enum Dialect {
    /** One process: lane locks stay inside it. */
    SQLITE,
    /** Several nodes: lane locks are advisory locks in the server. */
    POSTGRESQL;

    static Dialect ofUrl(String url) {
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new AutodeployException("store url " + Urls.mask(url)
                + " is neither jdbc:sqlite:FILE nor jdbc:postgresql://HOST/DATABASE; use one of those");
    }

    static Dialect ofProductName(String product, String source) {
        String p = product.toLowerCase(Locale.ROOT);
        if (p.contains("sqlite")) {
            return SQLITE;
        }
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new AutodeployException(source + " is a " + product
                + " database; the JDBC store supports SQLite and PostgreSQL");
    }
}
