package io.swarmcast.event;

import tools.jackson.databind.JsonNode;

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

    Long optionalLong(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || (!value.isIntegralNumber() && value.doubleValue() != Math.rint(value.doubleValue()))) {
            throw invalid(name, "must be a whole number");
        }
        return value.longValue();
    }

    Integer optionalInt(String name, int min, int max) {
        Long value = optionalLong(name);
        if (value == null) {
            return null;
        }
        if (value < min || value > max) {
            throw invalid(name, "must be between " + min + " and " + max + " (got " + value + ")");
        }
        return value.intValue();
    }

    Double optionalDouble(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw invalid(name, "must be a number");
        }
        return value.doubleValue();
    }

    double requiredDouble(String name) {
        Double value = optionalDouble(name);
        if (value == null) {
            throw invalid(name, "is required and must be a number");
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
