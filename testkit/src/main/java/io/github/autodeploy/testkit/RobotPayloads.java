package io.github.autodeploy.testkit;

import io.github.autodeploy.core.control.DeploymentIntent;
import io.github.autodeploy.core.model.CommitSha;
import io.github.autodeploy.core.model.EnvironmentName;
import io.github.autodeploy.core.model.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Payloads as the robot writes them on the deployments it creates, sealed with a webhook secret the
 * way a robot of that configuration seals them, for tests that play what GitHub sends back. Stateless.
 */
public final class RobotPayloads {
    private RobotPayloads() {
    }

    /** The payload of an auto-deploy (a merge or push whose CI passed) with request id {@code request}. */
    public static String autoDeploy(String webhookSecret, RepositoryName repository, EnvironmentName environment, CommitSha sha,
                                    String request) {
        String seal = seal(webhookSecret, DeploymentIntent.sealedText(repository, environment, sha, "", "", 0, request));
        return "{\"autodeploy\":{\"request\":\"" + request + "\",\"cause\":\"merge\",\"seal\":\"" + seal + "\"}}";
    }

    private static String seal(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(("autodeploy-seal:" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
