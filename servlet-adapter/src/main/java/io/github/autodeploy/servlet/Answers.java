package io.github.autodeploy.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes the webhook endpoint's short JSON answers: {@code {"result": ..., "reason": ...}}. Stateless. */
final class Answers {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Answers() {
    }

    static void write(HttpServletResponse response, int status, String result, String reason) throws IOException {
        byte[] bytes = json(result, reason);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The answer's JSON, written by hand: two strings, escaped as JSON requires. */
    static byte[] json(String result, String reason) {
        StringBuilder out = new StringBuilder(32 + result.length() + reason.length());
        out.append("{\"result\":");
        string(out, result);
        out.append(",\"reason\":");
        string(out, reason);
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                // Control characters, the two line separators JavaScript refuses, and a lone surrogate (UTF-8 cannot hold it).
                out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
