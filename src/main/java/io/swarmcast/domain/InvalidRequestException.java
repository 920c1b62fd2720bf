package io.swarmcast.domain;

import lombok.Getter;

/** A command whose body breaks a rule that bean validation cannot express: 400 naming the field. */
@Getter
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }
}
