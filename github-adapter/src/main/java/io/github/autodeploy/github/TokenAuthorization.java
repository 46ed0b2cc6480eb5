package io.github.autodeploy.github;

import java.io.IOException;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds the {@code Authorization} header (a token, a GitHub App JWT or installation token) to requests
 * for the configured API origin, and to no other: the token never travels to another host. Thread-safe
 * if the supplier is.
 */
final class TokenAuthorization implements Interceptor {
    private final HttpUrl base;
    private final Supplier<String> authorization;

    TokenAuthorization(HttpUrl base, Supplier<String> authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    static boolean sameOrigin(HttpUrl url, HttpUrl base) {
        return url.scheme().equals(base.scheme()) && url.host().equals(base.host()) && url.port() == base.port();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!sameOrigin(request.url(), base)) {
            return chain.proceed(request.newBuilder().removeHeader("Authorization").build());
        }
        return chain.proceed(request.newBuilder().header("Authorization", authorization.get()).build());
    }
}
