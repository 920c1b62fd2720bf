package io.swarmcast.event;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;

/** Reads typed fields out of a JSON object, failing with a message that names the field and what it must be. */
final class JsonFields {

    private final JsonNode node;
    private final String prefix;

    JsonFields(JsonNode node) {
        this(node, "");
    }

    private JsonFields(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    JsonNode raw(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    String requiredString(String name) {
        String value = optionalString(name);
        if (value == null || value.isBlank()) {
            throw invalid(name, "is required and must be a non-empty string");
        }
        return value;
    }

    String optionalString(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw invalid(name, "must be a string");
        }
        return value.stringValue();
    }

    /** A whole number of the JSON's own: refuses fractions, Infinity and anything outside {@code min..max}, naming the range. */
    Long optionalLong(String name, long min, long max) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        String range = "must be a whole number between " + min + " and " + max;
        if (!value.isNumber()) {
            throw invalid(name, range);
        }
        BigDecimal exact = exactValue(value);
        if (exact == null || exact.signum() != 0 && exact.stripTrailingZeros().scale() > 0) {
            throw invalid(name, range + " (got " + shown(value) + ")");
        }
        if (exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw invalid(name, range + " (got " + shown(value) + ")");
        }
        return exact.longValueExact();
    }

    /** A count: a whole number >= 0. */
    Long optionalCount(String name) {
        return optionalLong(name, 0, Long.MAX_VALUE);
    }

    /** Milliseconds since the epoch, from 1 to the end of year 9999 (so every date library can show it). */
    Long optionalTimestamp(String name) {
        return optionalLong(name, 1, EventParser.MAX_TIMESTAMP);
    }

    Integer optionalInt(String name, int min, int max) {
        Long value = optionalLong(name, min, max);
        return value == null ? null : value.intValue();
    }

    /** A measured amount (cpu, memory, latency, a rate): a finite number >= 0. */
    Double optionalAmount(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw invalid(name, "must be a number >= 0");
        }
        double amount = value.doubleValue();
        if (!Double.isFinite(amount) || amount < 0) {
            throw invalid(name, "must be a finite number >= 0 (got " + shown(value) + ")");
        }
        return amount;
    }

    double requiredAmount(String name) {
        Double value = optionalAmount(name);
        if (value == null) {
            throw invalid(name, "is required and must be a number >= 0");
        }
        return value;
    }

    int requiredCount(String name) {
        Integer value = optionalInt(name, 0, Integer.MAX_VALUE);
        if (value == null) {
            throw invalid(name, "is required and must be a whole number >= 0");
        }
        return value;
    }

    /** The number exactly as sent, or null when it is not finite (a double that overflowed to Infinity). */
    private static BigDecimal exactValue(JsonNode value) {
        if (value.isFloatingPointNumber() && !value.isBigDecimal() && !Double.isFinite(value.doubleValue())) {
            return null;
        }
        return value.decimalValue();
    }

    /** The offending value for a message, cut short: a number may be up to 1,000 digits long. */
    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    Boolean optionalBoolean(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(name, "must be true or false");
        }
        return value.booleanValue();
    }

    <E extends Enum<E> & WireEnum> E requiredEnum(String name, Class<E> type) {
        JsonNode value = raw(name);
        if (value != null && !value.isString()) {
            throw invalid(name, "must be one of " + WireEnum.allowed(type));
        }
        return WireEnum.parse(type, value == null ? null : value.stringValue(), prefix + name);
    }

    /** A trace or parent id ({@link Trace#ID}): opaque, but bounded in length and characters. */
    String optionalTraceId(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isString() || !Trace.validId(value.stringValue())) {
            throw invalid(name, "must be a string of " + Trace.ID_RULE);
        }
        return value.stringValue();
    }

    /** The event's causal link: its optional {@code traceId} and {@code parentId}; null when it has neither. */
    Trace optionalTrace() {
        return Trace.of(optionalTraceId("traceId"), optionalTraceId("parentId"));
    }

    /** A list field: absent means empty; present must be an array. */
    Iterable<JsonNode> optionalArray(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return java.util.List.of();
        }
        if (!value.isArray()) {
            throw invalid(name, "must be an array");
        }
        return value;
    }

    /** An object nested in an array, read with its path ({@code nodes[2]}) in front of every field it names. */
    static JsonFields element(JsonNode element, String path) {
        if (!element.isObject()) {
            throw new EventValidationException(path, path + " must be an object");
        }
        return new JsonFields(element, path + ".");
    }

    private EventValidationException invalid(String name, String requirement) {
        String field = prefix + name;
        return new EventValidationException(field, field + " " + requirement);
    }
}
