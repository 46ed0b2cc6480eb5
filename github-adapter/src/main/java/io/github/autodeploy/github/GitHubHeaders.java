package io.github.autodeploy.github;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Adds the headers GitHub asks every API call to carry: media type, API version, and who is calling. Stateless. */
final class GitHubHeaders implements Interceptor {
    static final String API_VERSION = "2022-11-28";
    private final String userAgent;

    GitHubHeaders(String userAgent) {
        this.userAgent = userAgent;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return chain.proceed(chain.request().newBuilder()
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION)
                .header("User-Agent", userAgent)
                .build());
    }
}
