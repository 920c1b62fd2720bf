package io.swarmcast.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.springframework.boot.convert.DurationStyle;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;

/**
 * A {@link Duration} setting within {@code min..max} (written as in configuration: {@code 100ms}, {@code 1h}).
 * On a {@code @Validated @ConfigurationProperties} record a value outside fails startup with Spring's
 * {@code Property / Value / Reason} report naming the setting. Unset (null) is refused too.
 */
@Documented
@Constraint(validatedBy = DurationRange.Validator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface DurationRange {

    String min();

    String max();

    String message() default "must be from {min} to {max}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<DurationRange, Duration> {

        private Duration min;
        private Duration max;

        @Override
        public void initialize(DurationRange range) {
            min = DurationStyle.detectAndParse(range.min());
            max = DurationStyle.detectAndParse(range.max());
        }

        @Override
        public boolean isValid(Duration value, ConstraintValidatorContext context) {
            return value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        }
    }
}
