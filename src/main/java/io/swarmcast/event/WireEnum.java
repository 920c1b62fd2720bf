package io.swarmcast.event;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum whose constants travel on the wire under a lower-case name. */
public interface WireEnum {

    /** The name on the wire; also how Jackson writes the constant in REST answers. */
    @JsonValue
    String wireName();

    /**
     * Reads a wire name into its constant.
     *
     * @throws EventValidationException naming the field, the value and the allowed values
     */
    static <E extends Enum<E> & WireEnum> E parse(Class<E> type, String value, String field) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wireName().equals(value)) {
                return constant;
            }
        }
        throw new EventValidationException(field, field + " must be one of " + allowed(type)
                + (value == null ? "" : " (got '" + value + "')"));
    }

    static <E extends Enum<E> & WireEnum> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireEnum::wireName).collect(Collectors.joining(", "));
    }
}
