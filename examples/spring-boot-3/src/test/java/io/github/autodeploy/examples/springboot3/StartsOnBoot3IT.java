package io.github.autodeploy.examples.springboot3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.autodeploy.core.engine.Autodeploy;
import io.github.autodeploy.github.sample.SampleWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;

/**
 * The starter, built against Spring Boot 4, on Spring Boot 3.5: the context starts on an embedded
 * Tomcat, the robot is a bean, and a signed {@code deployment} webhook is accepted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "autodeploy.github.webhook_secret=boot-3-secret",
        "autodeploy.public_url=https://deploy.example.com",
        "autodeploy.repos.example/app.commands[0][0]=true",
        "autodeploy.repos.example/app.folder=${java.io.tmpdir}",
})
class StartsOnBoot3IT {
    @LocalServerPort
    int port;
    @Autowired
    Autodeploy robot;

    @Test
    void theStarterStartsOnBoot3AndAcceptsASignedDeploymentWebhook() throws Exception {
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
        assertThat(robot.config().rules()).hasSize(1);
        byte[] body = SampleWebhooks.body("deployment", Map.of("id", "4343"));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/hooks/github"))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "deployment")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", SampleWebhooks.signature("boot-3-secret", body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }
}
