package io.github.autodeploy.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * A request with the headers, parameters and remote user a test gives it; every other method
 * answers null (or false, 0), as a request that lacks them. Hand-written through a proxy, since the
 * interface has a hundred methods. Not thread-safe.
 */
final class FakeRequest {
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, String> parameters = new HashMap<>();
    private String remoteUser;

    FakeRequest header(String name, String value) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return this;
    }

    FakeRequest parameter(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    FakeRequest remoteUser(String user) {
        remoteUser = user;
        return this;
    }

    private String queryString;

    /** The request's query string, as a URL carries it. */
    FakeRequest query(String query) {
        this.queryString = query;
        return this;
    }

    HttpServletRequest build() {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                    case "getParameter" -> parameters.get((String) args[0]);
                    case "getRemoteUser" -> remoteUser;
                    case "getQueryString" -> queryString;
                    case "getMethod" -> "POST";
                    case "toString" -> "FakeRequest" + headers;
                    default -> nothing(method.getReturnType());
                });
    }

    /** What a method the fake does not play answers: false, 0, or null (kept apart: one ternary would unbox the null). */
    private static Object nothing(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}
