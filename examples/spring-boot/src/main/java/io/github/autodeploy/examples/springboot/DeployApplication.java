package io.github.autodeploy.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application that deploys: the starter assembles the robot from {@code autodeploy.*}
 * in {@code application.yml} and serves its webhook at {@code /hooks/github} and its pages under
 * {@code /deployments}; {@link RecentNotices}, a bean of the application, hears of every deployment.
 */
@SpringBootApplication
public class DeployApplication {
    public static void main(String[] args) {
        SpringApplication.run(DeployApplication.class, args);
    }
}
