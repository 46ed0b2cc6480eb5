package io.github.autodeploy.core.model;

import java.util.regex.Pattern;

/** GitHub's {@code X-GitHub-Delivery} header: the id of one webhook delivery (a GUID). */
public record DeliveryId(String value) {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public DeliveryId {
        InvalidValueException.requireNonNull(value, "delivery id");
        if (!ALLOWED.matcher(value).matches()) {
            throw new InvalidValueException("delivery id " + InvalidValueException.quote(value)
                    + " must be 1 to 128 letters, digits, '.', '_', ':' or '-'");
        }
    }

    public static DeliveryId of(String value) {
        return new DeliveryId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
