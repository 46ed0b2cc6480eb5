package io.github.autodeploy.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code server:} and {@code pages:} sections: what the servlet and the standalone server need
 * beyond the robot itself.
 *
 * @param port          {@code server.port} (default 8080)
 * @param maxBodyBytes  {@code server.max_body_bytes}: the largest webhook body accepted (default 5 MiB)
 * @param pagesToken    {@code pages.token}: a bearer token for the deployments list and for cancelling
 * @param pagesUser     {@code pages.username}, with {@code pages.password}: the same as HTTP basic
 * @param pagesPassword {@code pages.password}
 * @param pagesOpen     {@code pages.open}: no built-in access rule (the host application guards the pages)
 * @param publicUrl     {@code public_url} as the file sets it; empty: a server's links follow the address it listens on
 *
 * <p>Blank credentials count as absent. Immutable.
 */
public record ServerSettings(int port, long maxBodyBytes, Optional<String> pagesToken, Optional<String> pagesUser,
                             Optional<String> pagesPassword, boolean pagesOpen, Optional<String> publicUrl) {
    public static final long DEFAULT_MAX_BODY = 5L * 1024 * 1024;

    /** An empty credential is none: {@code admin:} must never be a way in. */
    public ServerSettings {
        pagesToken = Objects.requireNonNull(pagesToken, "pagesToken").filter(t -> !t.isBlank());
        pagesUser = Objects.requireNonNull(pagesUser, "pagesUser").filter(u -> !u.isBlank());
        pagesPassword = Objects.requireNonNull(pagesPassword, "pagesPassword").filter(p -> !p.isBlank());
        Objects.requireNonNull(publicUrl, "publicUrl");
    }

    /** Settings of a file that does not set {@code public_url}. */
    public ServerSettings(int port, long maxBodyBytes, Optional<String> pagesToken, Optional<String> pagesUser,
                          Optional<String> pagesPassword, boolean pagesOpen) {
        this(port, maxBodyBytes, pagesToken, pagesUser, pagesPassword, pagesOpen, Optional.empty());
    }

    public static ServerSettings defaults() {
        return new ServerSettings(8080, DEFAULT_MAX_BODY, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }
}
