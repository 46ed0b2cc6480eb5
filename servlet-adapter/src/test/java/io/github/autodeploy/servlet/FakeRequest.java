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

    HttpServletRequest build() {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeader" -> headers.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                    case "getParameter" -> parameters.get((String) args[0]);
                    case "getRemoteUser" -> remoteUser;
                    case "getMethod" -> "POST";
                    case "toString" -> "FakeRequest" + headers;
                    default -> method.getReturnType() == boolean.class ? false
                            : method.getReturnType() == int.class ? 0 : method.getReturnType() == long.class ? 0L : null;
                });
    }
}
