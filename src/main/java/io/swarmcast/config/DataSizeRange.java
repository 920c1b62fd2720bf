package io.swarmcast.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.springframework.util.unit.DataSize;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link DataSize} setting within {@code min..max} (written as in configuration: {@code 1KB}, {@code 16MB}).
 * On a {@code @Validated @ConfigurationProperties} record a value outside fails startup with Spring's
 * {@code Property / Value / Reason} report naming the setting. Unset (null) is refused too.
 */
@Documented
@Constraint(validatedBy = DataSizeRange.Validator.class)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface DataSizeRange {

    String min();

    String max();

    String message() default "must be from {min} to {max}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<DataSizeRange, DataSize> {

        private DataSize min;
        private DataSize max;

        @Override
        public void initialize(DataSizeRange range) {
            min = DataSize.parse(range.min());
            max = DataSize.parse(range.max());
        }

        @Override
        public boolean isValid(DataSize value, ConstraintValidatorContext context) {
            return value != null && value.compareTo(min) >= 0 && value.compareTo(max) <= 0;
        }
    }
}
