package io.swarmcast.web;

import io.swarmcast.domain.InvalidRequestException;
import io.swarmcast.event.EventValidationException;
import io.swarmcast.event.WireEnum;
import tools.jackson.databind.JsonNode;

/**
 * Reads optional fields of a command body given as JSON, for commands where "absent", "null" and a value
 * mean different things (a PATCH). Errors name the field and what it must be.
 */
public final class RequestFields {

    private final JsonNode body;

    public RequestFields(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException(null, "request body must be a JSON object");
        }
        this.body = body;
    }

    public boolean isExplicitNull(String field) {
        return body.has(field) && body.get(field).isNull();
    }

    public String string(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.stringValue().isBlank()) {
            throw new InvalidRequestException(field, field + " must be a non-empty string");
        }
        return value.stringValue();
    }

    public String requiredString(String field) {
        String value = string(field);
        if (value == null) {
            throw new InvalidRequestException(field, field + " is required");
        }
        return value;
    }

    /** A finite number: JSON cannot say Infinity, but a number too large for a double (1e400) reads as one. */
    public Double number(String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new InvalidRequestException(field, field + " must be a finite number");
        }
        return value.doubleValue();
    }

    /** A measured amount (cpu, memory): a finite number >= 0. */
    public Double amount(String field) {
        Double value = number(field);
        if (value != null && value < 0) {
            throw new InvalidRequestException(field, field + " must be a number >= 0 (got " + value + ")");
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}; anything else (a fraction, 1e19) is a 400 naming the range. */
    public Long wholeNumber(String field, long min, long max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String range = field + " must be a whole number from " + min + " to " + max;
        Double number = value.isNumber() ? value.doubleValue() : null;
        if (number == null || !Double.isFinite(number) || number != Math.rint(number) || number < min || number > max) {
            String shown = value.toString();
            throw new InvalidRequestException(field, range + " (got " + (shown.length() <= 40 ? shown : shown.substring(0, 37) + "...") + ")");
        }
        return value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : number.longValue();
    }

    public <E extends Enum<E> & WireEnum> E enumValue(String field, Class<E> type) {
        return enumOf(field, string(field), type);
    }

    /** Reads a wire name into its constant; null stays null; anything else is a 400 listing the allowed values. */
    public static <E extends Enum<E> & WireEnum> E enumOf(String field, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return WireEnum.parse(type, value, field);
        } catch (EventValidationException e) {
            throw new InvalidRequestException(field, e.getMessage());
        }
    }

    public JsonNode node(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    public RequestFields object(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidRequestException(field, field + " must be a JSON object");
        }
        return new RequestFields(value);
    }
}
