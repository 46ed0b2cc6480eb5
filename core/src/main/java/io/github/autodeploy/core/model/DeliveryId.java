package io.github.autodeploy.core.model;

/** GitHub's {@code X-GitHub-Delivery} header: the id of one webhook delivery (a GUID). */
public record DeliveryId(String value) {
    public DeliveryId {
        InvalidValueException.requireNonNull(value, "delivery id");
        if (!AsciiChecks.isDeliveryId(value)) {
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
