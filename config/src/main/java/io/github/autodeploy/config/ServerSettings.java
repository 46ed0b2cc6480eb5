package io.github.autodeploy.config;

import io.github.autodeploy.core.control.Credential;
import java.util.ArrayList;
import java.util.List;
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
 * @param users         {@code access.users}: the named users with their tokens and roles, in the file's order
 *
 * <p>Blank credentials count as absent. Immutable.
 */
public record ServerSettings(int port, long maxBodyBytes, Optional<String> pagesToken, Optional<String> pagesUser,
                             Optional<String> pagesPassword, boolean pagesOpen, Optional<String> publicUrl,
                             List<Credential> users) {
    public static final long DEFAULT_MAX_BODY = 5L * 1024 * 1024;

    /** An empty credential is none: {@code admin:} must never be a way in. */
    public ServerSettings {
        pagesToken = Objects.requireNonNull(pagesToken, "pagesToken").filter(t -> !t.isBlank());
        pagesUser = Objects.requireNonNull(pagesUser, "pagesUser").filter(u -> !u.isBlank());
        pagesPassword = Objects.requireNonNull(pagesPassword, "pagesPassword").filter(p -> !p.isBlank());
        Objects.requireNonNull(publicUrl, "publicUrl");
        users = List.copyOf(users);
    }

    /** Settings without named users. */
    public ServerSettings(int port, long maxBodyBytes, Optional<String> pagesToken, Optional<String> pagesUser,
                          Optional<String> pagesPassword, boolean pagesOpen, Optional<String> publicUrl) {
        this(port, maxBodyBytes, pagesToken, pagesUser, pagesPassword, pagesOpen, publicUrl, List.of());
    }

    /** Settings of a file that does not set {@code public_url}. */
    public ServerSettings(int port, long maxBodyBytes, Optional<String> pagesToken, Optional<String> pagesUser,
                          Optional<String> pagesPassword, boolean pagesOpen) {
        this(port, maxBodyBytes, pagesToken, pagesUser, pagesPassword, pagesOpen, Optional.empty());
    }

    /**
     * Every way into the pages: the named users of {@code access.users}, then the shared credential of
     * older configurations as one admin ({@code pages.token}: named {@code admin}; {@code
     * pages.username} and {@code pages.password}: named after the user). Empty: nobody can sign in.
     */
    public List<Credential> credentials() {
        List<Credential> all = new ArrayList<>(users);
        pagesToken.ifPresent(t -> all.add(Credential.sharedToken(t)));
        pagesUser.ifPresent(u -> pagesPassword.ifPresent(p -> all.add(Credential.sharedBasic(u, p))));
        return List.copyOf(all);
    }

    public static ServerSettings defaults() {
        return new ServerSettings(8080, DEFAULT_MAX_BODY, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }
}
