package io.github.autodeploy.slack;

import java.util.ArrayList;
import java.util.List;

/**
 * Notices bound for one webhook in one message, all of one repository. Only the newest batch of a
 * webhook, not yet picked and never tried, takes more notices, so each webhook's order is kept. Not
 * thread-safe: the notifier guards it with its lock until the batch is picked for sending.
 */
final class Batch {
    final String url;
    final String repository;
    final List<Messages.Part> parts = new ArrayList<>();
    final int attempt;
    final long notBefore;
    int chars;

    Batch(String url, String repository, List<Messages.Part> parts, int attempt, long notBefore) {
        this.url = url;
        this.repository = repository;
        this.attempt = attempt;
        this.notBefore = notBefore;
        parts.forEach(this::add);
    }

    boolean takes(String url, String repository, Messages.Part part) {
        return attempt == 1 && this.url.equals(url) && this.repository.equals(repository)
                && parts.size() < Messages.MAX_NOTICES && chars + part.chars() <= Messages.MAX_MESSAGE_CHARS;
    }

    void add(Messages.Part part) {
        parts.add(part);
        chars += part.chars();
    }
}
