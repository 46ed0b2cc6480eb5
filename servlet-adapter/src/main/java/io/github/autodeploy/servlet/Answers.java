package io.github.autodeploy.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes the webhook endpoint's short JSON answers: {@code {"result": ..., "reason": ...}}. Stateless. */
final class Answers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    static void write(HttpServletResponse response, int status, String result, String reason) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("result", result);
        body.put("reason", reason);
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
